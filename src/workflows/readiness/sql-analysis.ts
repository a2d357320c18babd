// Runs the SQL analysis of one evaluation off the main thread when it can. The analysis is CPU-bound
// and a PR author picks its input: a 1 MiB migration takes seconds, which on the event loop would
// stall every other delivery and `GET /ping`. In a worker thread it stalls nothing, and a heap limit
// makes a runaway analysis fail that evaluation instead of the process.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ReleaseGateConfig } from "../../core/config/schema.js";
import { analyseMigrations, type MigrationReport, type MigrationSource } from "../../core/sql/analyse-migrations.js";
import type { MigrationContext } from "../../core/sql/migration-context.js";
import { keywordOnlyParser, type SqlParser } from "../../core/sql/parser.js";
import { loadPostgresParser } from "../../core/sql/postgres-parser.js";

export interface SqlAnalysisJob {
  sources: MigrationSource[];
  dialect: ReleaseGateConfig["migrations"]["dialect"];
  rules: ReleaseGateConfig["migrations"]["rules"];
  requireDown: boolean;
  changedFiles: string[];
  /** PostgreSQL version and framework transaction (config `migrations.postgres-version`, `.transaction`). */
  context: MigrationContext;
}

export interface SqlAnalysisResult {
  report: MigrationReport;
  /** Set when the dialect's parser could not load and keywords decided. */
  parserUnavailable?: string;
}

export interface SqlAnalysisLog {
  warn(obj: object, msg?: string): void;
}

/** Generous for 5 MiB of SQL (about 10 s); a hostile statement mix that takes longer fails the evaluation. */
export const SQL_ANALYSIS_TIMEOUT_MS = 120_000;
/** The worker's heap: 5 MiB of SQL with every finding fits in a fraction of it. */
const WORKER_HEAP_MB = 512;

/** The compiled worker entry. The no-server bundle has none (a workflow step serves no other requests), so it runs inline. */
const WORKER_FILE = new URL("./sql-analysis-worker.js", import.meta.url);

export async function analyseSql(job: SqlAnalysisJob, log: SqlAnalysisLog): Promise<MigrationReport> {
  const result = existsSync(fileURLToPath(WORKER_FILE)) ? await inWorker(job) : await runSqlAnalysis(job);
  if (result.parserUnavailable) {
    // The keyword fallback still catches the common breaking statements; say so in the log.
    log.warn({ err: result.parserUnavailable, dialect: job.dialect }, "SQL parser unavailable; migrations are checked by keywords only");
  }
  return result.report;
}

/** The analysis itself, on whichever thread calls it. */
export async function runSqlAnalysis(job: SqlAnalysisJob): Promise<SqlAnalysisResult> {
  let parser: SqlParser;
  let parserUnavailable: string | undefined;
  try {
    parser = await loadPostgresParser();
  } catch (error) {
    parserUnavailable = error instanceof Error ? error.message : String(error);
    parser = keywordOnlyParser(job.dialect, parserUnavailable);
  }
  const report = analyseMigrations(job.sources, { parser, rules: job.rules, requireDown: job.requireDown, changedFiles: job.changedFiles, context: job.context });
  return { report, ...(parserUnavailable ? { parserUnavailable } : {}) };
}

function inWorker(job: SqlAnalysisJob): Promise<SqlAnalysisResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`SQL analysis took longer than ${SQL_ANALYSIS_TIMEOUT_MS / 1000} s`))), SQL_ANALYSIS_TIMEOUT_MS);
    worker.once("message", (result: SqlAnalysisResult) => finish(() => resolve(result)));
    worker.once("error", (error) => finish(() => reject(new Error(`SQL analysis failed: ${error.message}`, { cause: error }))));
    worker.once("exit", (code) => finish(() => reject(new Error(`SQL analysis worker exited with code ${code} before answering`))));
  });
}
