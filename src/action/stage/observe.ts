// The observe step of a stage: run the traffic shift (`mode: all`), then sample every gate each
// interval through the observation window, stopping at the first breach.
import { formatDuration, sampleOffsets } from "../../core/gates/duration.js";
import { fmt, recordSample, stageVerdict, startWatch, type GateWatch, type StageVerdict } from "../../core/gates/watch-gates.js";
import type { Inputs } from "../inputs.js";
import type { StageDeps } from "./deps.js";
import type { StartedStage } from "./start.js";

export interface Observation {
  watches: GateWatch[];
  verdict: StageVerdict;
  /** Set when the shift command failed; the window was then not observed. */
  shiftFailure?: string;
}

/** The gates as watched from the start, before any sample (the report of a `mode: start` step). */
export function initialWatches(started: StartedStage): GateWatch[] {
  return started.gatePlan.gates.map((g) => startWatch(g, g["max-ratio-to-baseline"] !== undefined ? started.baselines.get(g.name) : undefined));
}

export async function observeStage(inputs: Inputs, started: StartedStage, deps: StageDeps): Promise<Observation> {
  const { io } = deps;
  const { stage, percent, sha, sampleEnv, sampleTimeoutMs } = started;
  let watches = initialWatches(started);

  if (inputs.mode === "all" && inputs.shift) {
    if (inputs["dry-run"]) io.info(`dry run: would run the shift command with RELEASE_STAGE=${stage} RELEASE_PERCENT=${percent}`);
    else {
      io.info(`shift: moving ${fmt(percent)}% of traffic to ${sha.slice(0, 7)}`);
      const result = await deps.shell(inputs.shift, started.shiftEnv, (line) => io.info(`shift | ${line}`));
      if (result.exitCode !== 0) return { watches, verdict: { kind: "watching" }, shiftFailure: `the shift command exited with ${result.exitCode ?? "a signal"}` };
    }
  }

  const observeMs = started.observeMs!;
  let verdict: StageVerdict = { kind: "watching" };
  const windowStart = deps.now();
  const offsets = sampleOffsets(observeMs, inputs.interval);
  io.info(`observing ${watches.length} gate${watches.length === 1 ? "" : "s"} for ${formatDuration(observeMs)}, a sample every ${formatDuration(inputs.interval)}`);
  for (const [i, offset] of offsets.entries()) {
    await deps.sleep(Math.max(0, windowStart + offset - deps.now()));
    const at = new Date(deps.now()).toISOString();
    const readings = await Promise.all(watches.map((w) => deps.sample(w.gate, sampleEnv, sampleTimeoutMs)));
    watches = watches.map((w, j) => recordSample(w, readings[j]!, at));
    for (const w of watches) io.info(`t+${formatDuration(deps.now() - windowStart)} ${describeSample(w)}`);
    verdict = stageVerdict(watches, i === offsets.length - 1);
    if (verdict.kind === "breach") break;
  }
  if (offsets.length === 0 || verdict.kind === "watching") verdict = stageVerdict(watches, true);
  return { watches, verdict };
}

function describeSample(watch: GateWatch): string {
  const last = watch.samples[watch.samples.length - 1]!;
  const value = last.reading.kind === "value" ? fmt(last.reading.value) : `no data (${last.reading.reason}: ${last.reading.detail})`;
  const mark = last.check.kind === "breach" ? "BREACH" : last.check.kind === "within" ? "ok" : "inconclusive";
  return `${watch.gate.name} = ${value} ${mark} (breaches ${watch.breaches}/${watch.gate["failure-limit"]} tolerated)`;
}
