// Benchmark: parse time against input size for the PR-body parsers, on hostile shapes. Linear code
// keeps time/size flat as size doubles; a regex blow-up shows as a ratio growing with size.
// Run: npm run bench:parsers
import { parseCommands } from "../src/core/commands/parse-commands.js";
import { parseConfigText } from "../src/core/config/parse-config.js";
import { parsePlan } from "../src/core/plan/parse-plan.js";
import { parseTriggers } from "../src/core/plan/parse-triggers.js";
import { defaultConfig } from "../src/core/config/parse-config.js";

const headings = defaultConfig().headings;
const SIZES = [4_096, 8_192, 16_384, 32_768, 65_536];

const shapes: Record<string, (n: number) => () => unknown> = {
  "plan: many headings": (n) => {
    const body = "## Rollback contract\nx\n".repeat(Math.ceil(n / 23)).slice(0, n);
    return () => parsePlan(body, headings);
  },
  "plan: punctuation heading": (n) => {
    const body = "## a" + "!".repeat(n - 5) + "b";
    return () => parsePlan(body, headings);
  },
  "plan: unclosed comments": (n) => {
    const body = "<!--".repeat(n / 4);
    return () => parsePlan(body, headings);
  },
  "plan: fences": (n) => {
    const body = "```\n## Rollback contract\n".repeat(Math.ceil(n / 25)).slice(0, n);
    return () => parsePlan(body, headings);
  },
  "triggers: operators": (n) => {
    const lines = Array.from({ length: n / 64 }, (_, i) => ({ line: i + 1, text: "error rate > 1% for 5m; p99 latency > 2x baseline; x y z" }));
    return () => parseTriggers(lines);
  },
  "triggers: one long line": (n) => {
    const lines = [{ line: 1, text: "a b c d e f g h ".repeat(n / 16) + "> 1%" }];
    return () => parseTriggers(lines);
  },
  "commands: quoted replies": (n) => {
    const body = "> /release advance canary\n".repeat(Math.ceil(n / 26)).slice(0, n);
    return () => parseCommands(body);
  },
  "commands: one long quote": (n) => {
    const body = `/release override "${"' ".repeat(n / 2)}`;
    return () => parseCommands(body);
  },
  "commands: fences, comments": (n) => {
    const body = "```\n<!-- /release rollback\n".repeat(Math.ceil(n / 27)).slice(0, n);
    return () => parseCommands(body);
  },
  "config: long YAML": (n) => {
    const text = "communication:\n  labels:\n" + "    - user-facing\n".repeat(Math.ceil(n / 18));
    return () => parseConfigText({ file: "x.yml", text });
  },
};

function time(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  const runs = 15;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)]!;
}

console.log("median ms per parse by input size; last column: (ms per KiB at 64 KiB) / (ms per KiB at 4 KiB), ~1 = linear\n");
console.log("shape".padEnd(28) + SIZES.map((s) => `${s / 1024}KiB`.padStart(9)).join("") + "   growth");
let worst = 0;
for (const [name, make] of Object.entries(shapes)) {
  const ms = SIZES.map((n) => time(make(n)));
  const growth = ms[ms.length - 1]! / SIZES[SIZES.length - 1]! / (ms[0]! / SIZES[0]!);
  worst = Math.max(worst, growth);
  console.log(name.padEnd(28) + ms.map((m) => m.toFixed(3).padStart(9)).join("") + growth.toFixed(2).padStart(9));
}
console.log(`\nworst growth ${worst.toFixed(2)} (a quadratic parser would show ~16)`);
