import { parsePlan, normalizeHeading, type SectionHeadings } from "../../../src/core/plan/parse-plan.js";
import { meaningfulLines, PR_TEMPLATE } from "../../../src/core/plan/template.js";

const HEADINGS: SectionHeadings = {
  rollback: ["Rollback contract", "Rollback"],
  migration: ["Schema migration"],
  communication: ["Communication"],
};

describe("parsePlan", () => {
  it("reads level-2 and level-3 sections case-insensitively, with line numbers", () => {
    const body = ["# Title", "intro", "## ROLLBACK CONTRACT", "Procedure: revert", "### communication", "Audience: support"].join("\n");
    const plan = parsePlan(body, HEADINGS);
    expect(plan.sections.rollback?.line).toBe(3);
    expect(plan.sections.rollback?.lines.map((l) => l.text)).toEqual(["Procedure: revert"]);
    expect(plan.sections.communication?.lines).toEqual([{ line: 6, text: "Audience: support" }]);
  });

  it("ignores level-1 and level-4 headings as section starts", () => {
    const plan = parsePlan("# Rollback contract\nx\n#### Rollback contract\ny", HEADINGS);
    expect(plan.sections.rollback).toBeUndefined();
  });

  it("tolerates leading emoji, numbering, punctuation and closing hashes", () => {
    for (const heading of ["## 🔙 Rollback contract", "## 1. Rollback contract ##", "### **Rollback contract:**", "## Rollback-contract (required)"]) {
      expect(parsePlan(`${heading}\nrevert`, HEADINGS).sections.rollback?.heading).toBeDefined();
    }
  });

  it("does not match a heading that merely starts with the same letters", () => {
    expect(parsePlan("## Rollbacks considered harmful\nx", { ...HEADINGS, rollback: ["Rollback"] }).sections.rollback).toBeUndefined();
  });

  it("ends a section at the next heading of the same or higher level, keeps deeper ones", () => {
    const body = "## Rollback contract\na\n### Details\nb\n## Other\nc";
    const plan = parsePlan(body, HEADINGS);
    expect(plan.sections.rollback?.lines.map((l) => l.text)).toEqual(["a", "### Details", "b"]);
  });

  it("ignores headings inside fenced code, including nested and tilde fences", () => {
    const body = ["## Summary", "````md", "```", "## Rollback contract", "```", "````", "~~~", "## Rollback contract", "~~~"].join("\n");
    expect(parsePlan(body, HEADINGS).sections.rollback).toBeUndefined();
  });

  it("strips HTML comments, single- and multi-line, keeping line numbers", () => {
    const body = "<!-- ## Rollback contract -->\n## Rollback contract\n<!--\nhidden\n-->\nvisible <!-- x --> text";
    const plan = parsePlan(body, HEADINGS);
    expect(plan.sections.rollback?.line).toBe(2);
    expect(plan.sections.rollback?.lines.filter((l) => l.text.trim()).map((l) => [l.line, l.text])).toEqual([[6, "visible  text"]]);
  });

  it("treats an unclosed comment as hiding the rest, as GitHub renders it", () => {
    expect(parsePlan("<!-- open\n## Rollback contract\nrevert", HEADINGS).sections.rollback).toBeUndefined();
  });

  it("handles null, empty and CRLF bodies", () => {
    expect(parsePlan(null, HEADINGS).sections).toEqual({});
    expect(parsePlan("", HEADINGS).sections).toEqual({});
    const plan = parsePlan("## Rollback contract\r\nrevert\r\n", HEADINGS);
    expect(plan.sections.rollback?.lines[0]?.text).toBe("revert");
  });

  it("reads checkbox state", () => {
    const plan = parsePlan("## Schema migration\n- [x] Backward compatible\n* [ ] No migration\n1. [X] ordered", HEADINGS);
    expect(plan.sections.migration?.checkboxes.map((b) => [b.checked, b.label])).toEqual([
      [true, "Backward compatible"],
      [false, "No migration"],
      [true, "ordered"],
    ]);
  });

  it("reads only the first of duplicated sections and says so", () => {
    const plan = parsePlan("## Rollback contract\nfirst\n## Rollback contract\nsecond", HEADINGS);
    expect(plan.sections.rollback?.lines.map((l) => l.text)).toEqual(["first"]);
    expect(plan.duplicates).toEqual(["rollback"]);
  });
});

describe("normalizeHeading", () => {
  it("folds case, separators and unicode compatibility forms", () => {
    expect(normalizeHeading("  🚀 Ｒollback_Contract!! ")).toBe("rollback contract");
  });
});

describe("meaningfulLines", () => {
  it("finds nothing in the unchanged template", () => {
    const plan = parsePlan(PR_TEMPLATE, HEADINGS);
    expect(meaningfulLines(plan.sections.rollback!)).toEqual([]);
    expect(meaningfulLines(plan.sections.communication!)).toEqual([]);
  });

  it("keeps the author's words and drops filler after a template label", () => {
    const body = PR_TEMPLATE.replace("Procedure:\n", "Procedure: TODO\n").replace("Triggers:\n", "Triggers: error rate > 1%\n");
    const lines = meaningfulLines(parsePlan(body, HEADINGS).sections.rollback!);
    expect(lines.map((l) => l.text)).toEqual(["Triggers: error rate > 1%"]);
  });
});

describe("hostile bodies", () => {
  // Speed is measured in bench/parser-scaling.mjs; here only correctness on hostile shapes.
  it("parses a body at GitHub's 65536-character cap made of thousands of headings", () => {
    const body = "## Rollback contract\n".repeat(3200).slice(0, 65536);
    const plan = parsePlan(body, HEADINGS);
    expect(plan.sections.rollback?.line).toBe(1);
    expect(plan.duplicates).toEqual(["rollback"]);
  });

  it("survives pathological lines: long punctuation runs, unclosed fences, huge headings", () => {
    const inputs = [
      "## a" + "!".repeat(65000) + "b",
      "```\n".repeat(20000),
      "<!--".repeat(16000),
      "## " + "🚀".repeat(30000),
      "- [x]" + " ".repeat(65000),
    ];
    for (const body of inputs) expect(() => parsePlan(body, HEADINGS)).not.toThrow();
  });
});
