// The observe step of a stage: run the traffic shift (`mode: all`), then sample every gate each
// interval through the observation window, stopping at the first breach. Compare gates take a
// zero-point reading of their counters right after the shift and are judged on the increments
// since; a decided compare gate is not sampled again.
import { sustainedBounds } from "../../core/gates/apply-triggers.js";
import { formatDuration } from "../../core/gates/duration.js";
import { runSchedule, type RunSchedule } from "../../core/gates/watch-schedule.js";
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
  /** When the window opened (epoch ms); it is measured from there across runs. */
  windowStart: number;
  /** What this run sampled; `endsWindow` false with no breach leaves the stage for a later run. */
  schedule: RunSchedule;
  /** Runs that have watched this window, this one included. */
  runs: number;
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

/** Where earlier runs left a window (a `mode: resume` run): its start and the counts so far. */
export interface ObserveCarry {
  windowStart: number;
  watches: GateWatch[];
  compares: CompareWatch[];
  runs: number;
}

export async function observeStage(inputs: Inputs, started: StartedStage, deps: StageDeps, carry?: ObserveCarry): Promise<Observation> {
  const { io } = deps;
  const { stage, percent, sha, sampleEnv, sampleTimeoutMs } = started;
  let watches = carry?.watches ?? initialWatches(started);
  let compares = carry?.compares ?? initialCompares(started);
  const runs = (carry?.runs ?? 0) + 1;

  if (!carry && inputs.mode === "all" && inputs.shift) {
    if (inputs["dry-run"]) io.info(`dry run: would run the shift command with RELEASE_STAGE=${stage} RELEASE_PERCENT=${percent}`);
    else {
      io.info(`shift: moving ${fmt(percent)}% of traffic to ${sha.slice(0, 7)}`);
      const result = await deps.shell(inputs.shift, started.shiftEnv, (line) => io.info(`shift | ${line}`));
      if (result.exitCode !== 0) return { watches, compares, verdict: { kind: "watching" }, shiftFailure: `the shift command exited with ${result.exitCode ?? "a signal"}`, ...windowOf(deps.now(), started, inputs, deps.now(), runs) };
    }
  }

  const observeMs = started.observeMs!;
  let verdict: StageJudgement = { kind: "watching" };
  const runStart = deps.now();
  const windowStart = carry?.windowStart ?? runStart;
  const { schedule } = windowOf(windowStart, started, inputs, runStart, runs);
  const count = watches.length + compares.length;
  const gates = `${count} gate${count === 1 ? "" : "s"}`;
  if (!carry && schedule.endsWindow) io.info(`observing ${gates} for ${formatDuration(observeMs)}, a sample every ${formatDuration(inputs.interval)}`);
  else {
    const what = schedule.phase === "active" ? `a sample every ${formatDuration(inputs.interval)} until ${new Date(schedule.times.at(-1)!).toISOString()}` : schedule.phase === "soak" ? "one check (soak)" : "a last check (the window is over)";
    io.info(`observing ${gates} of ${started.label}: window ${formatDuration(observeMs)} from ${new Date(windowStart).toISOString()}, run ${runs}: ${what}`);
  }
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
  if (!carry && compares.length > 0) await sampleCompares(new Date(deps.now()).toISOString());
  for (const [i, time] of schedule.times.entries()) {
    await deps.sleep(Math.max(0, time - deps.now()));
    const at = new Date(deps.now()).toISOString();
    const [readings] = await Promise.all([Promise.all(watches.map((w) => deps.sample(w.gate, sampleEnv, sampleTimeoutMs))), sampleCompares(at)]);
    watches = watches.map((w, j) => recordSample(w, readings[j]!, at));
    for (const w of watches) io.info(`t+${formatDuration(deps.now() - windowStart)} ${describeSample(w)}`);
    verdict = judgeStage(watches, compares, schedule.endsWindow && i === schedule.times.length - 1);
    if (verdict.kind === "breach" || verdict.kind === "compare-breach") break;
  }
  if (schedule.endsWindow && verdict.kind === "watching") verdict = judgeStage(watches, compares, true);
  return { watches, compares, verdict, windowStart, schedule, runs };
}

function windowOf(windowStart: number, started: StartedStage, inputs: Inputs, runStart: number, runs: number): { windowStart: number; schedule: RunSchedule; runs: number } {
  const schedule = runSchedule({ windowStart, windowMs: started.observeMs!, activeMs: inputs.active, watchMs: inputs.watch, intervalMs: inputs.interval, runStart });
  return { windowStart, schedule, runs };
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
