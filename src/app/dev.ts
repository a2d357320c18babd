// `npm run dev`: the TypeScript compiler in watch mode and the app under `node --watch`, so every
// saved change rebuilds and restarts it; webhooks reach the laptop through WEBHOOK_PROXY_URL (smee).
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { checkDevProxy, environmentWithDotEnv } from "./startup-env.js";

const check = checkDevProxy(environmentWithDotEnv(process.env));
if (!check.ok) {
  console.error(check.message);
  process.exit(1);
}
if (check.mode === "setup") console.log("npm run dev: no APP_ID/PRIVATE_KEY yet, so Probot's setup flow runs; register the app, then npm run dev again.");

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const children: ChildProcess[] = [
  spawn(process.execPath, [tsc, "-p", "src", "--watch", "--preserveWatchOutput"], { stdio: "inherit" }),
  spawn(process.execPath, ["--watch", "lib/src/app/main.js"], { stdio: "inherit" }),
];

// One stop for both: a signal (Ctrl-C, or npm forwarding SIGTERM) or either child ending on its own.
let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  let left = children.filter((c) => c.exitCode === null && c.signalCode === null).length;
  if (left === 0) process.exit(code);
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.once("exit", () => {
      if (--left === 0) process.exit(code);
    });
    child.kill("SIGTERM");
  }
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
for (const child of children) child.on("exit", (code) => stop(code ?? 1));
