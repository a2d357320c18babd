// The analysis job as run-readiness hands it over. Under jest there is no compiled worker next to the
// source, so analyseSql takes the in-process path the no-server bundle takes; the worker thread itself
// is exercised against the built app by test/e2e/hostile-input.test.ts.
import { analyseSql, runSqlAnalysis, type SqlAnalysisJob } from "../../../src/workflows/readiness/sql-analysis.js";

const job: SqlAnalysisJob = {
  sources: [{ path: "db/migrations/002.sql", text: "SET lock_timeout = '2s';\nALTER TABLE orders DROP COLUMN note;\n" }],
  dialect: "postgresql",
  rules: {},
  requireDown: false,
  changedFiles: ["db/migrations/002.sql"],
  context: { postgresVersion: 16, transaction: "auto" },
};

describe("SQL analysis of one evaluation", () => {
  it("answers the job with the analyser's findings, parsed by the PostgreSQL parser", async () => {
    const result = await runSqlAnalysis(job);
    expect(result.parserUnavailable).toBeUndefined();
    expect(result.report.findings.map((f) => [f.file, f.rule, f.class])).toEqual([["db/migrations/002.sql", "drop-column", "breaking"]]);
  });

  it("runs in process where no compiled worker file exists (the no-server bundle), with the same report", async () => {
    const warnings: unknown[] = [];
    const report = await analyseSql(job, { warn: (obj) => warnings.push(obj) });
    expect(report).toEqual((await runSqlAnalysis(job)).report);
    expect(warnings).toEqual([]);
  });
});
