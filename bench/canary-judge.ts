// Benchmark: error rates of the canary judgement, published in docs/canary-judgement.md.
// Simulates A/A (no difference), A/A with an incident that hits both tracks, and A/B (the canary's
// error rate × 1.25, 1.5, 2, 3) at several traffic levels, looked at every 1, 10 or 60 seconds
// over a 30-minute window (time-compressed: pure simulation, no sleeping), and reports for the
// judge, a fixed threshold and a naive repeated test: how often each rolls back, how often within
// 10 minutes, how often it passes or stays undecided, and the median time to the rollback.
// Run: npm run bench:judge   (BENCH_RUNS=<n> runs per scenario, default 1000; BENCH_SEED=<n>)
import { firstDecision, SeededRandom, simulateSeconds, summarise, type Method, type MethodParams, type Outcome, type TrafficScenario } from "../test/support/canary-simulation.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 20261130);
const WINDOW = 30 * 60;
const DETECT_BY = 10 * 60;
const BASELINE_ERROR_RATE = 0.01;
const TRAFFIC = [1, 10, 100];
const INTERVALS = [1, 10, 60];
const METHODS: Method[] = ["judge", "threshold", "naive"];
const params: MethodParams = { maxIncrease: 0.5, confidence: 0.95, baselineErrorRate: BASELINE_ERROR_RATE };
const CASES: { label: string; regression: number; incident?: TrafficScenario["incident"]; maxIncrease?: number }[] = [
  { label: "A/A", regression: 1 },
  // With no allowance the A/A case sits on the boundary: the hardest case for false rollbacks.
  { label: "A/A, max-increase 0%", regression: 1, maxIncrease: 0 },
  { label: "A/A + incident", regression: 1, incident: { from: 300, to: 600, factor: 5 } },
  { label: "×1.25", regression: 1.25 },
  { label: "×1.5", regression: 1.5 },
  { label: "×2", regression: 2 },
  { label: "×3", regression: 3 },
];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mmss = (s: number | null) => (s === null ? "–" : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`);

const started = Date.now();
const random = new SeededRandom(SEED);
console.log(`# Canary judgement bench: ${RUNS} runs per scenario, seed ${SEED}`);
console.log(
  `window 30 min; baseline error rate ${pct(BASELINE_ERROR_RATE)}; canary and baseline each get the stated requests/s; max-increase ${pct(params.maxIncrease)}, confidence ${pct(params.confidence)}`,
);
console.log("A rollback is false when the canary is within the allowance (every A/A row, ×1.25, ×1.5); power is rollbacks at ×2 and ×3.");
console.log("");
console.log("| req/s | canary | look every | judge: rollback | ≤10 min | pass | undecided | median t rollback | median t pass | threshold: rollback | ≤10 min | median t | naive: rollback | ≤10 min | pass | median t |");
console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const rps of TRAFFIC) {
  for (const testCase of CASES) {
    const scenario: TrafficScenario = {
      canaryRps: rps,
      baselineRps: rps,
      baselineErrorRate: BASELINE_ERROR_RATE,
      regression: testCase.regression,
      windowSeconds: WINDOW,
      ...(testCase.incident ? { incident: testCase.incident } : {}),
    };
    const outcomes = new Map<string, Outcome[]>();
    for (let run = 0; run < RUNS; run++) {
      const seconds = simulateSeconds(scenario, random);
      for (const interval of INTERVALS) {
        for (const method of METHODS) {
          const key = `${interval}/${method}`;
          if (!outcomes.has(key)) outcomes.set(key, []);
          outcomes.get(key)!.push(firstDecision(method, seconds, interval, { ...params, maxIncrease: testCase.maxIncrease ?? params.maxIncrease }));
        }
      }
    }
    for (const interval of INTERVALS) {
      const [judge, threshold, naive] = METHODS.map((m) => summarise(outcomes.get(`${interval}/${m}`)!, DETECT_BY));
      console.log(
        `| ${rps} | ${testCase.label} | ${interval} s | ${pct(judge!.breach)} | ${pct(judge!.breachBy)} | ${pct(judge!.pass)} | ${pct(judge!.undecided)} | ${mmss(judge!.medianBreachAt)} | ${mmss(judge!.medianPassAt)} ` +
          `| ${pct(threshold!.breach)} | ${pct(threshold!.breachBy)} | ${mmss(threshold!.medianBreachAt)} ` +
          `| ${pct(naive!.breach)} | ${pct(naive!.breachBy)} | ${pct(naive!.pass)} | ${mmss(naive!.medianBreachAt)} |`,
      );
    }
  }
}

// The bar: checking every second for 24 hours must not inflate false rollbacks. A/A with
// no allowance is the boundary case; the naive test gets ever more chances to cross.
const LONG_RUNS = Number(process.env.BENCH_LONG_RUNS ?? 200);
const DAY = 24 * 3600;
console.log("");
console.log(`## Every second for 24 hours: A/A, 10 req/s per track, baseline error rate ${pct(BASELINE_ERROR_RATE)}, max-increase 0%, ${LONG_RUNS} runs`);
console.log("");
console.log("| method | rollback within 30 min | 2 h | 24 h | pass within 24 h |");
console.log("|---|---:|---:|---:|---:|");
const longOutcomes: Record<"judge" | "naive", Outcome[]> = { judge: [], naive: [] };
const longScenario: TrafficScenario = { canaryRps: 10, baselineRps: 10, baselineErrorRate: BASELINE_ERROR_RATE, regression: 1, windowSeconds: DAY };
for (let run = 0; run < LONG_RUNS; run++) {
  const seconds = simulateSeconds(longScenario, random);
  for (const method of ["judge", "naive"] as const) longOutcomes[method].push(firstDecision(method, seconds, 1, { ...params, maxIncrease: 0 }));
}
for (const method of ["judge", "naive"] as const) {
  const by = (t: number) => longOutcomes[method].filter((o) => o.kind === "breach" && o.at <= t).length / LONG_RUNS;
  const passes = longOutcomes[method].filter((o) => o.kind === "pass").length / LONG_RUNS;
  console.log(`| ${method} | ${pct(by(1_800))} | ${pct(by(7_200))} | ${pct(by(DAY))} | ${pct(passes)} |`);
}
console.log("");
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
