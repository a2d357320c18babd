// The observe step of a stage: run the traffic shift (`mode: all`), then sample every gate each
// interval through the observation window, stopping at the first breach. Compare gates take a
// zero-point reading of their counters right after the shift and are judged on the increments
// since; a decided compare gate is not sampled again.
import { sustainedBounds } from "../../core/gates/apply-triggers.js";
import { formatDuration, sampleOffsets } from "../../core/gates/duration.js";
import { compareVerdict, isSettled, judgeStage, recordCounters, shadowNote, startCompareWatch, type CompareWatch, type StageJudgement } from "../../core/gates/watch-compare.js";
import { fmt, recordSample, startWatch, type GateWatch } from "../../core/gates/watch-gates.js";
import type { Inputs } from "../inputs.js";
import type { StageDeps } from "./deps.js";
import type { StartedStage } from "./start.js";

export interface Observation {
  watches: GateWatch[];
  compares: CompareWatch[];
  verdict: StageJudgement;
  /** Set when the shift command failed; the window was then not observed. */
  shiftFailure?: string;
}

/** The gates as watched from the start, before any sample (the report of a `mode: start` step). */
export function initialWatches(started: StartedStage): GateWatch[] {
  return started.gatePlan.gates.map((g) => {
    const sustained = sustainedBounds(started.gatePlan, g.name);
    const ratio = g["max-ratio-to-baseline"] !== undefined || sustained.some((s) => s.bound === "max-ratio-to-baseline");
    return startWatch(g, ratio ? started.baselines.get(g.name) : undefined, sustained);
  });
}

export function initialCompares(started: StartedStage): CompareWatch[] {
  return started.compare.map(startCompareWatch);
}

export async function observeStage(inputs: Inputs, started: StartedStage, deps: StageDeps): Promise<Observation> {
  const { io } = deps;
  const { stage, percent, sha, sampleEnv, sampleTimeoutMs } = started;
  let watches = initialWatches(started);
  let compares = initialCompares(started);

  if (inputs.mode === "all" && inputs.shift) {
    if (inputs["dry-run"]) io.info(`dry run: would run the shift command with RELEASE_STAGE=${stage} RELEASE_PERCENT=${percent}`);
    else {
      io.info(`shift: moving ${fmt(percent)}% of traffic to ${sha.slice(0, 7)}`);
      const result = await deps.shell(inputs.shift, started.shiftEnv, (line) => io.info(`shift | ${line}`));
      if (result.exitCode !== 0) return { watches, compares, verdict: { kind: "watching" }, shiftFailure: `the shift command exited with ${result.exitCode ?? "a signal"}` };
    }
  }

  const observeMs = started.observeMs!;
  let verdict: StageJudgement = { kind: "watching" };
  const windowStart = deps.now();
  const offsets = sampleOffsets(observeMs, inputs.interval);
  const count = watches.length + compares.length;
  io.info(`observing ${count} gate${count === 1 ? "" : "s"} for ${formatDuration(observeMs)}, a sample every ${formatDuration(inputs.interval)}`);
  const sampleCompares = async (at: string) => {
    const open = compares.filter((c) => !isSettled(c));
    const rounds = await Promise.all(open.map((c) => deps.sampleCounters(c.gate, sampleTimeoutMs)));
    compares = compares.map((c) => {
      const j = open.indexOf(c);
      if (j < 0) return c;
      const next = recordCounters(c, rounds[j]!, at);
      io.info(`t+${formatDuration(deps.now() - windowStart)} ${describeLook(next, rounds[j]!.kind === "missing")}`);
      const v = compareVerdict(next, false);
      const note = v.kind === "shadow" ? shadowNote(v) : undefined;
      if (note) io.warning(`${next.gate.name} (shadow, no action taken): ${note}`);
      return next;
    });
  };
  // The zero point: counters right after the shift, so only this stage's traffic is judged.
  if (compares.length > 0) await sampleCompares(new Date(deps.now()).toISOString());
  for (const [i, offset] of offsets.entries()) {
    await deps.sleep(Math.max(0, windowStart + offset - deps.now()));
    const at = new Date(deps.now()).toISOString();
    const [readings] = await Promise.all([Promise.all(watches.map((w) => deps.sample(w.gate, sampleEnv, sampleTimeoutMs))), sampleCompares(at)]);
    watches = watches.map((w, j) => recordSample(w, readings[j]!, at));
    for (const w of watches) io.info(`t+${formatDuration(deps.now() - windowStart)} ${describeSample(w)}`);
    verdict = judgeStage(watches, compares, i === offsets.length - 1);
    if (verdict.kind === "breach" || verdict.kind === "compare-breach") break;
  }
  if (offsets.length === 0 || verdict.kind === "watching") verdict = judgeStage(watches, compares, true);
  return { watches, compares, verdict };
}

function describeSample(watch: GateWatch): string {
  const last = watch.samples[watch.samples.length - 1]!;
  const value = last.reading.kind === "value" ? fmt(last.reading.value) : `no data (${last.reading.reason}: ${last.reading.detail})`;
  const mark = last.check.kind === "breach" ? "BREACH" : last.check.kind === "within" ? "ok" : "inconclusive";
  return `${watch.gate.name} = ${value} ${mark} (breaches ${watch.breaches}/${watch.gate["failure-limit"]} tolerated)`;
}

function describeLook(watch: CompareWatch, missing: boolean): string {
  const name = `${watch.gate.name}${watch.gate.shadow ? " (shadow)" : ""}`;
  if (missing) return `${name}: no data this round (${watch.lastMissing}); not a look`;
  const j = watch.judgement;
  if (!j) return `${name}: zero point taken (canary ${fmt(watch.tally!.last.canaryErrors)}/${fmt(watch.tally!.last.canaryTotal)}, baseline ${fmt(watch.tally!.last.baselineErrors)}/${fmt(watch.tally!.last.baselineTotal)})`;
  const estimate = j.estimate === null ? "undefined" : fmt(j.estimate);
  const mark = j.decision === "breach" ? "BREACH" : j.decision === "pass" ? "PASS" : "continue";
  return `${name}: ratio ${estimate} in [${fmt(j.interval[0])}, ${fmt(j.interval[1])}] after ${j.samples} looks ${mark}`;
}
