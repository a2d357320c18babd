import { formatCommand, MAX_COMMANDS_PER_COMMENT, parseCommands, tokenize } from "../../../src/core/commands/parse-commands.js";

const verbs = (body: string) => parseCommands(body).map((c) => (c.kind === "command" ? [c.verb, ...c.args] : ["?", c.word]));

describe("parseCommands", () => {
  it("reads every verb with its arguments and line number", () => {
    const body = [
      "Looks good.",
      "/release advance",
      "/release advance 50-percent",
      "/release rollback error rate spiked",
      "/release pause",
      "/release resume",
      "/release status",
      "/release override flaky e2e suite",
      "/release approve-override",
      "/release help",
    ].join("\n");
    const commands = parseCommands(body);
    expect(commands.map((c) => c.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(commands[2]).toEqual({ kind: "command", verb: "rollback", args: ["error", "rate", "spiked"], line: 4, text: "/release rollback error rate spiked" });
    expect(verbs(body)).toEqual([
      ["advance"],
      ["advance", "50-percent"],
      ["rollback", "error", "rate", "spiked"],
      ["pause"],
      ["resume"],
      ["status"],
      ["override", "flaky", "e2e", "suite"],
      ["approve-override"],
      ["help"],
    ]);
  });

  it("is case-insensitive in the prefix and the verb, but keeps argument case", () => {
    expect(verbs("/RELEASE Advance Canary")).toEqual([["advance", "Canary"]]);
  });

  it("does not read /releases, /release-notes or a prefix in the middle of a line", () => {
    expect(parseCommands("/releases advance\n/release-notes\n/releaseadvance\nplease /release advance")).toEqual([]);
  });

  it("groups double- and single-quoted arguments and tolerates extra spaces and tabs", () => {
    expect(verbs(`/release   override   "flaky test suite"  'it said "no"'\t now  `)).toEqual([
      ["override", "flaky test suite", 'it said "no"', "now"],
    ]);
  });

  it("keeps an apostrophe inside a word and takes an unclosed quote to the end of the line", () => {
    expect(verbs("/release rollback it's broken")).toEqual([["rollback", "it's", "broken"]]);
    expect(verbs('/release override "never closed here  ')).toEqual([["override", "never closed here"]]);
  });

  it("handles CRLF and lone CR line ends", () => {
    expect(parseCommands("hi\r\n/release pause\r\n/release resume\rlast")).toMatchObject([
      { verb: "pause", line: 2, text: "/release pause" },
      { verb: "resume", line: 3, text: "/release resume" },
    ]);
  });

  it("ignores lines inside backtick and tilde fences, nested longer fences and unclosed fences", () => {
    const body = [
      "```",
      "/release advance",
      "```",
      "~~~sh",
      "/release rollback",
      "```", // a backtick line does not close a tilde fence
      "/release pause",
      "~~~",
      "````md",
      "```",
      "/release resume",
      "```",
      "````",
      "/release status",
      "```",
      "/release help",
    ].join("\n");
    expect(verbs(body)).toEqual([["status"]]);
  });

  it("ignores quoted replies, indented code and HTML comments", () => {
    const body = [
      "> /release advance",
      ">/release advance",
      "  > /release rollback",
      "    /release pause",
      "\t/release pause",
      "<!-- /release resume",
      "/release resume",
      "-->",
      "   /release status",
    ].join("\n");
    expect(verbs(body)).toEqual([["status"]]);
  });

  it("answers unknown verbs and a bare /release as unknown", () => {
    expect(parseCommands("/release frobnicate now\n/release")).toEqual([
      { kind: "unknown", word: "frobnicate", line: 1, text: "/release frobnicate now" },
      { kind: "unknown", word: "", line: 2, text: "/release" },
    ]);
  });

  it("returns nothing for null, empty or command-free bodies", () => {
    expect(parseCommands(null)).toEqual([]);
    expect(parseCommands("")).toEqual([]);
    expect(parseCommands("LGTM, ship it")).toEqual([]);
  });

  it(`stops after ${MAX_COMMANDS_PER_COMMENT} commands`, () => {
    const body = Array.from({ length: 50 }, () => "/release status").join("\n");
    expect(parseCommands(body)).toHaveLength(MAX_COMMANDS_PER_COMMENT);
  });

  it("reads a 65,536-character hostile body", () => {
    const hostile = ("/release " + '"'.repeat(1000) + "`".repeat(3) + "<!--" + " ".repeat(500) + "\r").repeat(40).padEnd(65_536, "'");
    expect(() => parseCommands(hostile)).not.toThrow();
    expect(parseCommands("x".repeat(65_536) + "\n/release status")).toHaveLength(1);
  });
});

describe("tokenize and formatCommand", () => {
  it("round-trips arguments with spaces and quotes", () => {
    const args = ["plain", "two words", 'say "hi"', "it's", ""];
    const [command] = parseCommands(formatCommand("override", args));
    expect(command).toMatchObject({ kind: "command", verb: "override", args });
  });

  it("splits on runs of whitespace", () => {
    expect(tokenize("  a \t b  ")).toEqual(["a", "b"]);
  });
});
