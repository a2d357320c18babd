// Property tests for the comment-command parser: hostile comment bodies never crash it, a command is
// only ever read from a line that really starts with `/release`, and formatted commands read back.
import fc from "fast-check";
import { formatCommand, parseCommands } from "../../src/core/commands/parse-commands.js";
import { VERBS } from "../../src/core/commands/types.js";

const RUNS = 10_000;

const fragment = fc.oneof(
  fc.constantFrom("/release ", "/RELEASE advance", "/releases", "/release advance canary", "/release rollback 'oops", '"', "'", "```", "~~~",
    "````", "> ", ">", "<!--", "-->", "\r\n", "\n", "\r", "    ", "\t", " ", "approve-override", "override", "help", "frobnicate"),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 15 }),
);
const body = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(""));

describe("parseCommands (property)", () => {
  it("never throws, and every command comes from a line that starts with /release", () => {
    fc.assert(
      fc.property(body, (text) => {
        const lines = text.split(/\r\n|\r|\n/);
        for (const command of parseCommands(text)) {
          const line = lines[command.line - 1];
          expect(line).toBeDefined();
          const trimmed = line!.replace(/^[ \t]*/, "");
          expect(trimmed.slice(0, 8).toLowerCase()).toBe("/release");
          expect(trimmed.trimEnd()).toBe(command.text);
          expect(/^[ \t]*>/.test(line!)).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("reads back a formatted command placed among prose lines", () => {
    const arg = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !/[\r\n]/.test(s) && !(s.includes('"') && s.includes("'")));
    const prose = fc.string({ maxLength: 40 }).map((s) => `prose ${s.replace(/[\r\n`~<>]/g, "")}`);
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), fc.array(arg, { maxLength: 4 }), prose, prose, (verb, args, before, after) => {
        // Leading and trailing spaces of an argument are not kept by design.
        const clean = args.map((a) => a.trim());
        const commands = parseCommands([before, formatCommand(verb, clean), after].join("\n"));
        expect(commands).toHaveLength(1);
        expect(commands[0]).toMatchObject({ kind: "command", verb, args: clean, line: 2 });
      }),
      { numRuns: RUNS },
    );
  });

  it("never reads a command inside a closed fence", () => {
    fc.assert(
      fc.property(body, (text) => {
        const inner = text.replace(/```|~~~/g, "");
        expect(parseCommands(`\`\`\`\n${inner}\n\`\`\``)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
