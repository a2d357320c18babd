// The known ways past the old escaping, judged by a real CommonMark + GFM renderer (markdown-it), in
// every place user text lands: paragraph, list item, quote, table cell, heading, line start.
import { code, escapeCell, escapeMessage, escapeProse, plainText, truncateMarkdown } from "../../../src/core/render/markdown.js";
import { liveMarkdown, normalise, visibleText } from "../../support/markdown-oracle.js";

const PLACES: Record<string, (text: string) => string> = {
  paragraph: (t) => `Reason: ${t}`,
  "list item": (t) => `- Reason: ${t}\n- next`,
  quote: (t) => `> Reason: ${t}`,
  "table cell": (t) => `| a | b |\n| --- | --- |\n| before | ${t} |`,
  heading: (t) => `### Stage ${t}`,
  "line start": (t) => `${t}\n\nafter`,
  "inside <sub>": (t) => `<sub>Config: ${t}</sub>`,
};
const OWN_HTML = ["<sub>", "</sub>"];

const BYPASSES = [
  "\\`[x](//h)`",
  "\\[x\\](//host)",
  "```\n[x](//evil)\n",
  "a ``` b [x](//h) ```",
  "``` [x](//h)",
  "~~~\n<img src=x onerror=alert(1)>",
  "![i](https://e.test/i.png)",
  "<a href='https://e.test'>x</a>",
  "<https://e.test>",
  "&#91;x&#93;(//h) &lt;b&gt;",
  "see www.evil.test and https://evil.test and _www.evil.test_",
  "ping @octocat and @acme/team, mail me@evil.test",
  "fixes #12 and GH-3",
  "x | [y](//h) | z",
  "    indented\n\n    code",
  "[x]: //evil\n[x]",
  "\\",
  "`",
  "a\\|b `c\\|d` e",
];

describe.each(Object.entries(PLACES))("escapeProse in a %s", (_place, place) => {
  it.each(BYPASSES)("keeps %j inert and shows it as written", (input) => {
    const markdown = place(escapeProse(input));
    expect(liveMarkdown(markdown, OWN_HTML)).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    expect(normalise(visibleText(markdown))).toContain(normalise(input));
  });
});

describe.each(Object.entries(PLACES))("escapeMessage / escapeCell in a %s", (place, template) => {
  const escape = place === "table cell" ? escapeCell : escapeMessage;
  it.each(BYPASSES)("keeps %j inert", (input) => {
    const markdown = template(escape(input));
    const live = liveMarkdown(markdown, OWN_HTML);
    expect({ ...live, code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    // Code spans may pair up; every other character still shows.
    expect(normalise(visibleText(markdown).replace(/`/g, ""))).toContain(normalise(input.replace(/`/g, "")));
  });
});

describe("escapeMessage", () => {
  it("keeps the app's code spans and makes the rest literal", () => {
    const markdown = escapeMessage(`There is no stage ${code("[x](//h) @team")}; see \\[y\\](//h) @team`);
    expect(liveMarkdown(markdown).code).toEqual(["[x](//h) @team"]);
    expect(liveMarkdown(markdown).links).toEqual([]);
    expect(normalise(visibleText(markdown))).toBe("There is no stage [x](//h) @team; see \\[y\\](//h) @team");
  });

  it("pairs backtick runs by length, as CommonMark does", () => {
    expect(liveMarkdown(escapeMessage("``a`b`` and `c")).code).toEqual(["a`b"]);
    expect(normalise(visibleText(escapeMessage("``a`b`` and `c")))).toBe("a`b and `c");
  });

  it("escapes pipes inside a cell's code spans and shows a backslash before a pipe as text", () => {
    const row = (t: string) => visibleText(`| a | b |\n| --- | --- |\n| ${escapeCell(t)} | end |`).split("\n");
    expect(row("`x|y`")).toEqual(["a", "b", "x|y", "end"]);
    expect(row("`x\\|[l](//h)`")).toEqual(["a", "b", "`x\\|[l](//h)`", "end"]);
  });
});

describe("code", () => {
  it.each(["plain", "a`b", "`edge`", " spaced ", "```", "|", ""])("shows %j inside one code span", (text) => {
    const live = liveMarkdown(`x ${code(text)} y`);
    expect(live.code).toEqual([text === "" ? " " : text]);
  });
});

describe("truncateMarkdown", () => {
  it("cuts at a line end, so no code span is left open", () => {
    const body = `${"line\n".repeat(5)}\`[x](//h)\` and more text`;
    const cut = truncateMarkdown(body, body.length - 5, "\n…");
    expect(cut).toBe(`${"line\n".repeat(4)}line\n…`);
    expect(liveMarkdown(cut).links).toEqual([]);
  });
});

describe("plainText", () => {
  it("turns each code span into quoted text and leaves a lone backtick alone", () => {
    expect(plainText("unknown key `rolout`; did you mean `rollout`?")).toBe('unknown key "rolout"; did you mean "rollout"?');
    expect(plainText(`${code("a`b")} and a \` lone`)).toBe('"a`b" and a ` lone');
  });
});
