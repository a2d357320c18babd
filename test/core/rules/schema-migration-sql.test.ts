// The schema-migration item against the SQL analysis: a claim of backward compatibility must agree
// with the findings; advisories do not fail unless configured, and a recorded exception counts only
// once someone other than the author accepts it.
import { defaultConfig, parseConfigText } from "../../../src/core/config/parse-config.js";
import type { ReleaseGateConfig } from "../../../src/core/config/schema.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
import type { ExceptionAcceptance } from "../../../src/core/rules/sql-exceptions.js";
import type { PullFacts } from "../../../src/core/rules/types.js";
import { analyseMigrations } from "../../../src/core/sql/analyse-migrations.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";

const BODY = [
  "## Rollback contract",
  "Procedure: turn off the `checkout-v2` flag.",
  "Triggers: error rate > 1% for 5m",
  "",
  "## Schema migration",
  "- [x] This migration is backward compatible with the running version (expand/contract)",
].join("\n");
const PATH = "db/migrations/0042_users.sql";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

function config(yaml = ""): ReleaseGateConfig {
  const result = parseConfigText({ file: ".github/release-gate.yml", text: yaml });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function verdictFor(sql: string, options: { body?: string; config?: ReleaseGateConfig; sqlExceptions?: ExceptionAcceptance } = {}) {
  const c = options.config ?? defaultConfig();
  const migrationReport = analyseMigrations([{ path: PATH, text: sql }], {
    parser,
    rules: c.migrations.rules,
    requireDown: c.migrations["require-down"],
    changedFiles: [PATH],
  });
  const facts: PullFacts = {
    number: 7,
    title: "fix: users",
    body: options.body ?? BODY,
    author: "octocat",
    headSha: "a".repeat(40),
    labels: [],
    changedFiles: [PATH],
    changedFilesTruncated: false,
    migrationReport,
    ...(options.sqlExceptions ? { sqlExceptions: options.sqlExceptions } : {}),
  };
  const verdict = evaluateReadiness(facts, c);
  return { verdict, item: verdict.items.find((i) => i.id === "schema-migration") };
}

describe("schema migration item with SQL findings", () => {
  it("fails a compatibility claim on a breaking statement and annotates it as a failure", () => {
    const { verdict, item } = verdictFor("SET lock_timeout = '1s';\nALTER TABLE users RENAME COLUMN email TO mail;\n");
    expect(item).toMatchObject({ status: "fail" });
    expect(item?.reason).toMatch(/but the SQL disagrees: `rename-column` at `db\/migrations\/0042_users.sql:2`/);
    expect(verdict.annotations).toEqual([expect.objectContaining({ path: PATH, startLine: 2, level: "failure", title: "rename-column: Renames a column" })]);
  });

  it("passes with advisories as warnings, and fails on them when fail-on-advisory is set", () => {
    const sql = "ALTER TABLE users ADD COLUMN bio text;\n";
    const { verdict, item } = verdictFor(sql);
    expect(item).toMatchObject({ status: "pass" });
    expect(item?.reason).toMatch(/SQL checked: 1 statement in 1 file; 1 advisory/);
    expect(verdict.annotations.map((a) => [a.level, a.title])).toEqual([["warning", "missing-lock-timeout: Takes table locks without a lock_timeout"]]);
    expect(verdictFor(sql, { config: config("migrations:\n  fail-on-advisory: true\n") }).item).toMatchObject({ status: "fail" });
  });

  describe("a recorded exception", () => {
    // Before issue 10 the author's own allow comment passed the item; now it only proposes an exception.
    const sql = "SET lock_timeout = '1s';\n-- release-gate: allow truncate because the table holds a cache\nTRUNCATE page_cache;\n";

    it("fails until someone other than the author accepts it, and says so in the title and the annotation", () => {
      const { verdict, item } = verdictFor(sql);
      expect(item).toMatchObject({ status: "fail" });
      expect(item?.reason).toBe(
        "Declared backward compatible (line 6), but an SQL exception awaits acceptance: `truncate` at `db/migrations/0042_users.sql:3` (the table holds a cache).",
      );
      expect(item?.fix).toMatch(/^An approving review of head aaaaaaa from someone with write access other than the author \(@octocat\) accepts it/);
      expect(verdict.titleNotes).toEqual(["1 SQL exception awaiting acceptance"]);
      expect(verdict.annotations.map((a) => a.level)).toEqual(["failure"]);
      expect(verdict.annotations[0]?.message).toMatch(/^Exception awaiting acceptance \(line 2\): the table holds a cache\./);
      // Facts saying nobody accepted yet decide the same way.
      expect(verdictFor(sql, { sqlExceptions: { kind: "awaiting", author: "octocat", headSha: "a".repeat(40) } }).item).toMatchObject({ status: "fail" });
    });

    it("passes once accepted, naming the reviewer and the review", () => {
      const { verdict, item } = verdictFor(sql, { sqlExceptions: { kind: "accepted", by: "bob", reviewId: 80, submittedAt: "2026-11-23T10:00:00Z" } });
      expect(item).toMatchObject({ status: "pass" });
      expect(item?.reason).toMatch(/recorded exceptions, accepted by @bob \(review 80 of 2026-11-23T10:00:00Z\): `truncate` at `db\/migrations\/0042_users.sql:3` \(the table holds a cache\)/);
      expect(verdict.titleNotes).toEqual(["1 SQL exception accepted by @bob"]);
      expect(verdict.annotations.map((a) => a.level)).toEqual(["notice"]);
    });

    it("passes on the comment alone with accepted-by: anyone, still shown in the title", () => {
      const { verdict, item } = verdictFor(sql, { config: config("migrations:\n  exceptions:\n    accepted-by: anyone\n") });
      expect(item).toMatchObject({ status: "pass" });
      expect(verdict.titleNotes).toEqual(["1 SQL exception recorded (no acceptance required)"]);
    });

    it("a suppressed advisory needs no acceptance unless advisories fail the item", () => {
      const advisory = "-- release-gate: allow missing-lock-timeout because the table is tiny\nALTER TABLE users ADD COLUMN bio text;\n";
      expect(verdictFor(advisory).item).toMatchObject({ status: "pass" });
      expect(verdictFor(advisory).verdict.titleNotes).toBeUndefined();
      expect(verdictFor(advisory, { config: config("migrations:\n  fail-on-advisory: true\n") }).item).toMatchObject({ status: "fail" });
    });
  });

  it("without a claim the item fails anyway and names the breaking statements", () => {
    const body = BODY.replace("- [x]", "- [ ]");
    const { item } = verdictFor("SET lock_timeout = '1s';\nDROP TABLE users;\n", { body });
    expect(item?.reason).toMatch(/without a checked backward-compatibility box\. The SQL also has breaking statements: `drop-table`/);
  });
});
