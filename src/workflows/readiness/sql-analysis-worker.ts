// Worker-thread entry for sql-analysis.ts: analyses the job it is given and answers once.
import { parentPort, workerData } from "node:worker_threads";
import { runSqlAnalysis, type SqlAnalysisJob } from "./sql-analysis.js";

parentPort!.postMessage(await runSqlAnalysis(workerData as SqlAnalysisJob));
