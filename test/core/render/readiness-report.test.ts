import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { escapeCell } from "../../../src/core/render/markdown.js";
import { capAnnotations, MAX_SUMMARY_CHARS, renderConfigFailure, renderReadinessReport } from "../../../src/core/render/readiness-report.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
import type { Annotation, PullFacts } from "../../../src/core/rules/types.js";

const base: PullFacts = {
  number: 1,
  title: "feat: x",
  body: "## Rollback contract\nrevert; error rate > 1%",
  author: "a",
  headSha: "0123456789abcdef0123456789abcdef01234567",
  labels: [],
  changedFiles: [],
  changedFilesTruncated: false,
};

describe("renderReadinessReport", () => {
  it("titles a failure by the missing items and tabulates every item", () => {
    const report = renderReadinessReport(evaluateReadiness(base, defaultConfig()), "defaults");
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("Not ready: communication note");
    expect(report.summary).toContain("| Item | Status | Why | How to fix |");
    expect(report.summary).toMatch(/\| Rollback contract \| ✅ pass \|/);
    expect(report.summary).toMatch(/\| Communication note \| ❌ fail \|/);
    expect(report.summary).toContain("`error-rate > 1%` (line 2)");
    expect(report.summary).toContain("head 0123456");
  });

  it("says ready when every required item holds", () => {
    const report = renderReadinessReport(evaluateReadiness({ ...base, title: "fix: x" }, defaultConfig()), "defaults");
    expect(report).toMatchObject({ conclusion: "success", title: "Ready to release" });
  });

  it("keeps the rules' title notes (SQL exceptions) in the title whatever the verdict", () => {
    const verdict = evaluateReadiness({ ...base, title: "fix: x" }, defaultConfig());
    expect(renderReadinessReport({ ...verdict, titleNotes: ["1 SQL exception accepted by @bob"] }, "defaults").title).toBe("Ready to release — 1 SQL exception accepted by @bob");
    const failing = evaluateReadiness(base, defaultConfig());
    expect(renderReadinessReport({ ...failing, titleNotes: ["1 SQL exception awaiting acceptance"] }, "defaults").title).toBe(
      "Not ready: communication note — 1 SQL exception awaiting acceptance",
    );
  });

  it("keeps hostile file names from injecting mentions, HTML or table cells", () => {
    const facts = { ...base, title: "fix: x", changedFiles: ["db/migrations/<img src=x>|@admin`.sql"] };
    const summary = renderReadinessReport(evaluateReadiness(facts, defaultConfig()), "defaults").summary;
    // Inside a code span GitHub renders text literally; outside one nothing may stay active.
    const prose = summary.replace(/`[^`]*`/g, "");
    expect(summary).toContain("`db/migrations/<img src=x>\\|@admin .sql`");
    expect(prose).not.toMatch(/<img|@admin/);
    const row = summary.split("\n").find((l) => l.startsWith("| Schema migration"))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(6);
  });

  it("stays under GitHub's summary cap for thousands of matched files", () => {
    const changedFiles = Array.from({ length: 3000 }, (_, i) => `db/migrations/${"x".repeat(200)}${i}.sql`);
    const report = renderReadinessReport(evaluateReadiness({ ...base, changedFiles }, defaultConfig()), "defaults");
    expect(report.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  });
});

describe("escapeCell", () => {
  it("escapes outside code spans and keeps code readable", () => {
    expect(escapeCell("see @team and <b>x</b> [link](http://e) #12 `a|b`")).toBe(
      "see @\u200bteam and &lt;b&gt;x&lt;/b&gt; \\[link\\](http:\u200b//e) #\u200b12 `a\\|b`",
    );
  });
});

describe("renderConfigFailure", () => {
  it("names file, line and column, and annotates only the repo's own file", () => {
    const report = renderConfigFailure(
      [
        { file: ".github/release-gate.yml", line: 4, column: 7, key: "rollout.environment", message: "expected string" },
        { file: "acme/.github:.github/release-gate.yml", line: 2, column: 1, key: "", message: "invalid YAML: x" },
      ],
      (f) => (f === ".github/release-gate.yml" ? f : undefined),
    );
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("Invalid config: .github/release-gate.yml:4:7: `rollout.environment`: expected string");
    expect(report.summary).toContain("`.github/release-gate.yml:4:7`");
    expect(report.annotations).toEqual([expect.objectContaining({ path: ".github/release-gate.yml", startLine: 4 })]);
  });
});

describe("annotation cap (one write per verdict)", () => {
  const at = (level: Annotation["level"], line: number, path = "db/1.sql"): Annotation => ({ path, startLine: line, endLine: line, level, title: level, message: "m" });

  it("keeps the 50 most severe, in their order within a level, and counts the rest", () => {
    const annotations = [
      ...Array.from({ length: 30 }, (_, i) => at("notice", i + 1)),
      ...Array.from({ length: 40 }, (_, i) => at("warning", i + 1, "db/2.sql")),
      ...Array.from({ length: 31 }, (_, i) => at("failure", i + 1, "db/3.sql")),
    ];
    const { shown, omitted } = capAnnotations(annotations);
    expect(shown).toHaveLength(50);
    expect(shown.slice(0, 31).every((a) => a.level === "failure")).toBe(true);
    expect(shown.slice(31).map((a) => `${a.level}:${a.startLine}`)).toEqual(Array.from({ length: 19 }, (_, i) => `warning:${i + 1}`));
    expect(omitted).toHaveLength(51);
    expect(capAnnotations(annotations.slice(0, 50)).omitted).toEqual([]);
  });

  it("says how many findings are not annotated, in how many files, in the summary", () => {
    const migration = "db/migrations/1.sql";
    const facts: PullFacts = {
      ...base,
      body: `${base.body}\n## Schema migration\n- [x] backward compatible`,
      changedFiles: [migration],
      migrationReport: {
        analysed: [{ path: migration, statements: 12_345 + 50, unparsed: 0 }],
        skipped: [],
        findings: Array.from({ length: 12_345 + 50 }, (_, i) => ({
          file: i % 2 ? migration : "db/migrations/2.sql",
          line: i + 1,
          endLine: i + 1,
          rule: "drop-table" as const,
          class: "breaking" as const,
          title: "Drops a table",
          detail: "drops t",
          why: "w",
          alternative: "a",
          statement: "DROP TABLE t",
          via: "parser" as const,
        })),
      },
    };
    const report = renderReadinessReport(evaluateReadiness(facts, defaultConfig()), "defaults");
    expect(report.annotations).toHaveLength(50);
    expect(report.summary).toContain("…and 12,345 more findings in 2 files (12,345 failure) not annotated: a check run shows the 50 most severe.");
  });
});

describe("escapeCell with unpaired backticks and bare URLs", () => {
  it("treats text after an unpaired backtick as prose", () => {
    expect(escapeCell("stage `@team <b>")).toBe("stage \\`@\u200bteam &lt;b&gt;");
    expect(escapeCell("`a` and `@team")).toBe("`a` and \\`@\u200bteam");
  });

  it("keeps bare URLs from becoming links", () => {
    expect(escapeCell("see https://evil.test and www.evil.test")).toBe("see https:\u200b//evil.test and www\u200b.evil.test");
  });
});
