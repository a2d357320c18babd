// The schema-migration item against the SQL analysis: a claim of backward compatibility must agree
// with the findings; advisories and recorded exceptions do not fail unless configured.
import { defaultConfig, parseConfigText } from "../../../src/core/config/parse-config.js";
import type { ReleaseGateConfig } from "../../../src/core/config/schema.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
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

function verdictFor(sql: string, options: { body?: string; config?: ReleaseGateConfig } = {}) {
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

  it("a recorded exception passes and is listed with its reason", () => {
    const sql = "SET lock_timeout = '1s';\n-- release-gate: allow truncate because the table holds a cache\nTRUNCATE page_cache;\n";
    const { verdict, item } = verdictFor(sql);
    expect(item).toMatchObject({ status: "pass" });
    expect(item?.reason).toMatch(/recorded exceptions: `truncate` at `db\/migrations\/0042_users.sql:3` \(the table holds a cache\)/);
    expect(verdict.annotations.map((a) => a.level)).toEqual(["notice"]);
  });

  it("without a claim the item fails anyway and names the breaking statements", () => {
    const body = BODY.replace("- [x]", "- [ ]");
    const { item } = verdictFor("SET lock_timeout = '1s';\nDROP TABLE users;\n", { body });
    expect(item?.reason).toMatch(/without a checked backward-compatibility box\. The SQL also has breaking statements: `drop-table`/);
  });
});
