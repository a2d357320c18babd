#!/usr/bin/env node
// The `release-gate` command: only runs (subcommands live in their own files).
import { REPORT_USAGE, runReport } from "./run-report.js";

const [command, ...rest] = process.argv.slice(2);
const io = { log: (line: string) => console.log(line), error: (line: string) => console.error(line) };
if (command === "report") {
  process.exitCode = await runReport(rest, process.env, io);
} else {
  io.error(`release-gate: unknown command ${JSON.stringify(command ?? "")}\n\n${REPORT_USAGE}`);
  process.exitCode = 1;
}
