// Cold start of the committed Action bundle against a bare `node -e ''`, and its size: what every
// workflow step pays before the first line of our code runs. Prints medians over 21 runs.
// `NODE24_BIN=/path/to/node` also measures under Node 24 (action.yml declares node24).
import { spawnSync } from "node:child_process";
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUNDLE = "action/dist/index.js";
const RUNS = 21;

function median(node: string, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    // No INPUT_TOKEN: the bundle loads, validates its inputs, fails the step and exits.
    spawnSync(node, args, { env: { PATH: process.env.PATH }, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const size = statSync(BUNDLE).size;
console.log(`bundle: ${(size / 1024 / 1024).toFixed(2)} MB, ${(gzipSync(readFileSync(BUNDLE)).length / 1024).toFixed(0)} KB gzipped`);
for (const node of [process.execPath, process.env.NODE24_BIN].filter((n): n is string => Boolean(n))) {
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const bare = median(node, ["-e", ""]);
  const bundle = median(node, [BUNDLE]);
  console.log(`${version}: node -e '' ${bare.toFixed(0)} ms, bundle ${bundle.toFixed(0)} ms (+${(bundle - bare).toFixed(0)} ms to load and run)`);
}
