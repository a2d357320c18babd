import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { escapeCell } from "../../../src/core/render/markdown.js";
import { liveMarkdown, normalise, render, visibleText } from "../../support/markdown-oracle.js";
import { capAnnotations, MAX_SUMMARY_CHARS, renderConfigFailure, renderReadinessReport } from "../../../src/core/render/readiness-report.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
import type { Annotation, PullFacts } from "../../../src/core/rules/types.js";
import { analyseMigrations } from "../../../src/core/sql/analyse-migrations.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";

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
    // Judged by a real renderer: the name shows whole in one code span, nothing else is live.
    const live = liveMarkdown(summary, ["<sub>", "</sub>"]);
    expect(live.code).toContain("db/migrations/<img src=x>|@admin`.sql");
    expect({ ...live, code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    const rows = render(summary).tokens.filter((t) => t.type === "tr_open").length;
    const cells = render(summary).tokens.filter((t) => t.type === "td_open").length;
    expect(cells).toBe((rows - 1) * 4);
  });

  it("stays under GitHub's summary cap for thousands of matched files", () => {
    const changedFiles = Array.from({ length: 3000 }, (_, i) => `db/migrations/${"x".repeat(200)}${i}.sql`);
    const report = renderReadinessReport(evaluateReadiness({ ...base, changedFiles }, defaultConfig()), "defaults");
    expect(report.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  });
});

const cell = (text: string) => `| a |\n| --- |\n| ${escapeCell(text)} |`;

describe("escapeCell", () => {
  it("escapes outside code spans and keeps code readable", () => {
    const markdown = cell("see @team and <b>x</b> [link](http://e) #12 `a|b`");
    expect(liveMarkdown(markdown)).toEqual({ links: [], images: [], html: [], blocks: [], code: ["a|b"], autolinks: [] });
    expect(normalise(visibleText(markdown))).toBe("a see @team and <b>x</b> [link](http://e) #12 a|b");
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

  it("quotes code spans in the annotations it keeps, since annotations show no Markdown", () => {
    const annotation: Annotation = {
      ...at("failure", 3),
      title: "`drop-column`: Drops a column",
      message: "Or set `migrations.rules.edited-applied-migration: advisory` in the config; ``a`b`` stays whole.",
    };
    expect(capAnnotations([annotation]).shown).toEqual([
      { ...annotation, title: '"drop-column": Drops a column', message: 'Or set "migrations.rules.edited-applied-migration: advisory" in the config; "a`b" stays whole.' },
    ]);
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
    expect(liveMarkdown(cell("stage `@team <b>"))).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    expect(normalise(visibleText(cell("stage `@team <b>")))).toBe("a stage `@team <b>");
    expect(liveMarkdown(cell("`a` and `@team"))).toEqual({ links: [], images: [], html: [], blocks: [], code: ["a"], autolinks: [] });
    expect(normalise(visibleText(cell("`a` and `@team")))).toBe("a a and `@team");
  });

  it("keeps bare URLs from becoming links", () => {
    const markdown = cell("see https://evil.test and www.evil.test and evil.test");
    expect(liveMarkdown(markdown)).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    expect(normalise(visibleText(markdown))).toBe("a see https://evil.test and www.evil.test and evil.test");
  });
});

describe("a fork author's SQL suppression reason in the check summary", () => {
  it.each(["\\`[x](//evil.example)` ```", "\\[x\\](//evil.example) @acme/admins <img src=x>", "``` [x](//evil.example)"])("stays inert: %j", async (reason) => {
    const path = "db/migrations/0042_cache.sql";
    const sql = `SET lock_timeout = '1s';\n-- release-gate: allow truncate because ${reason}\nTRUNCATE page_cache;\n`;
    const migrationReport = analyseMigrations([{ path, text: sql }], { parser: await loadPostgresParser(), rules: defaultConfig().migrations.rules, requireDown: false, changedFiles: [path] });
    const body = `${base.body}\n\n## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)`;
    const verdict = evaluateReadiness({ ...base, title: "fix: x", body, changedFiles: [path], migrationReport }, defaultConfig());
    // The reason did reach the summary (else this proves nothing)...
    expect(verdict.items.find((i) => i.id === "schema-migration")?.reason).toContain(reason);
    const summary = renderReadinessReport(verdict, "defaults").summary;
    // ...and a real renderer finds nothing live in it but code spans.
    expect({ ...liveMarkdown(summary, ["<sub>", "</sub>"]), code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
  });
});
