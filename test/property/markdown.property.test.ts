// Property tests for Markdown neutralisation, judged by a real CommonMark + GFM renderer (markdown-it,
// linkify on) plus GitHub's own linking of mentions, references and bare URLs in rendered text:
// 10,000 hostile inputs per place user text lands. Nothing may become a link, image, HTML, code
// block or mention, and the reader must see every character of the input.
import fc from "fast-check";
import { code, escapeCell, escapeMessage, escapeProse } from "../../src/core/render/markdown.js";
import { renderPostMortemIssue } from "../../src/core/render/override-report.js";
import { liveMarkdown, normalise, visibleText } from "../support/markdown-oracle.js";

const RUNS = 10_000;
/** Each property renders 10,000 documents; the machine may be shared. */
const TIMEOUT = 180_000;

/** Biased to what opens Markdown syntax, with plain graphemes and raw bytes mixed in. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(
    fc.constantFrom("`", "``", "```", "~~~", "\\", "\\\\", "[", "]", "(", ")", "](", "![", "<", ">", "</", "@", "!", "www.", "://", "http", "https://e.test/x", "//h", "|", "\\|",
      "\n", "\r\n", "\n\n", "    ", "\t", "&#91;", "&#x5B;", "&lt;", "&amp;", "&#64;", "#1", "GH-2", "-", "+", "*", "_", "~", "=", "---", "1.", "2)", "$", ":", "^", "\"", "'", " ",
      "a", "x.co", "me@evil.test", "@team", "@acme/admins", "<img src=x>", "<a href='//e'>", "<!--", "-->", "<https://e.test>", "[x]: //e", "javascript:", "[^1]", "> ", "# "),
    fc.string({ unit: "grapheme", maxLength: 4 }),
  ), { maxLength: 24 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
);

const NOTHING_LIVE = { links: [], images: [], html: [], blocks: [], code: [], autolinks: [] };
const PLACES: Record<string, (text: string) => string> = {
  paragraph: (t) => `Reason: ${t}`,
  "list item": (t) => `- Reason: ${t}\n- next`,
  quote: (t) => `> Reason: ${t}`,
  "table cell": (t) => `| a | b |\n| --- | --- |\n| before | ${t} |`,
  heading: (t) => `### Stage ${t}`,
  "line start": (t) => `before\n\n${t}\n\nafter`,
  "inside <sub>": (t) => `<sub>Config: ${t}</sub>`,
};
const OWN_HTML = ["<sub>", "</sub>"];
/** The template's own visible text around the embedded text. */
const AROUND: Record<string, [string, string]> = {
  paragraph: ["Reason:", ""],
  "list item": ["Reason:", "next"],
  quote: ["Reason:", ""],
  "table cell": ["a b before", ""],
  heading: ["Stage", ""],
  "line start": ["before", "after"],
  "inside <sub>": ["Config:", ""],
};

describe.each(Object.keys(PLACES))("user text (escapeProse) in a %s (property)", (place) => {
  it("is inert and shows exactly the input", () => {
    const [before, after] = AROUND[place]!;
    fc.assert(
      fc.property(hostileText, (input) => {
        const markdown = PLACES[place]!(escapeProse(input));
        expect(liveMarkdown(markdown, OWN_HTML)).toEqual(NOTHING_LIVE);
        expect(normalise(visibleText(markdown))).toBe(normalise(`${before} ${input} ${after}`));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe.each(Object.keys(PLACES))("an app message (escapeMessage / escapeCell) in a %s (property)", (place) => {
  const escape = place === "table cell" ? escapeCell : escapeMessage;
  it("is inert outside its code spans, and shows every character but backticks and spaces", () => {
    const [before, after] = AROUND[place]!;
    fc.assert(
      fc.property(hostileText, hostileText, (prose, value) => {
        // As messages are built: the app's text, a user value in code(), and user text around it.
        const message = `${prose} ${code(value)} ${prose}`;
        const markdown = PLACES[place]!(escape(message));
        const live = liveMarkdown(markdown, OWN_HTML);
        expect({ ...live, code: [] }).toEqual(NOTHING_LIVE);
        // CommonMark strips a space at each end of a code span, so whitespace does not count here.
        const noTicks = (t: string) => normalise(t).replace(/[`\s]/g, "");
        expect(noTicks(visibleText(markdown))).toBe(noTicks(`${before} ${message.replace(/\r\n?|\n/g, " ")} ${after}`));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe("code (property)", () => {
  it("shows any value in one code span", () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const live = liveMarkdown(`x ${code(value, 10_000)} y`);
        expect({ ...live, code: [] }).toEqual(NOTHING_LIVE);
        expect(live.code).toHaveLength(1);
        expect(normalise(live.code[0]!)).toBe(normalise(value.trim() === "" ? " " : value));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe("post-mortem issue (property)", () => {
  it("keeps the override reason and logins inert and shows the reason", () => {
    fc.assert(
      fc.property(hostileText, hostileText, (reason, login) => {
        const approval = { requestedBy: login || "x", approvedBy: "erin", reason, sha: "abcdef1", at: "2026-01-01T00:00:00Z", approvedAt: "2026-01-01T00:10:00Z", key: "1", approvalKey: "2" };
        const { body } = renderPostMortemIssue(approval, { number: 7, title: "x" }, []);
        // Only what the app writes itself is live: the reference to the PR and the SHA in code.
        expect(liveMarkdown(body)).toEqual(liveMarkdown(renderPostMortemIssue({ ...approval, reason: "r", requestedBy: "x" }, { number: 7, title: "x" }, []).body));
        expect(normalise(visibleText(body))).toContain(normalise(`Reason: ${reason}`));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
