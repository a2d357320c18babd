// `mode: resume` (a `schedule` or `workflow_dispatch` run): every stage of the environment that a
// trusted writer left `in_progress` is picked up where its checkpoints left it, watched as its phase
// allows (runs of at most `watch`), and ended when its window is over (success) or on a breach
// (failure + rollback). Several stages of several releases are watched side by side in one run.
// Only deployments created by the identities in `deployment-creators`, and statuses written by them or
// by GitHub Actions (the workflow token that writes the checkpoints), count: anyone with write access
// can create deployments and statuses by hand.
import { applyTriggers, sustainedBounds } from "../../core/gates/apply-triggers.js";
import { parseDuration } from "../../core/gates/duration.js";
import { valueReading } from "../../core/gates/sample.js";
import { fmt } from "../../core/gates/watch-gates.js";
import { mergeCheckpoints, readCheckpoint, restoreCompare, restoreWatch, type WatchCheckpoint } from "../../core/gates/watch-checkpoint.js";
import { renderStageSummary, type StageReport } from "../../core/render/stage-summary.js";
import { GITHUB_ACTIONS } from "../../core/identity.js";
import { stageWindow } from "../../core/rollout/stage-window.js";
import { trustedHistory, type TrustPolicy } from "../../core/rollout/trust.js";
import type { Stage } from "../../core/config/schema.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { RunContext } from "../event.js";
import type { Inputs } from "../inputs.js";
import type { Verdict } from "../outputs.js";
import type { RunOutcome, StageDeps, StageOutcome } from "./deps.js";
import { finishStage } from "./finish.js";
import { observeStage, type ObserveCarry } from "./observe.js";
import type { StartedStage } from "./start.js";

/** Samples never wait longer than this, nor longer than the interval (as in start.ts). */
const SAMPLE_TIMEOUT_MS = 30_000;
/** GitHub-hosted jobs are cancelled at 6 h: a stage run cannot be watching longer than this. */
export const JOB_LIMIT_MS = 6 * 3_600_000;
/** A stage whose window ended longer ago than this is abandoned, not resumed (and not read). */
export const ABANDONED_AFTER_MS = 7 * 86_400_000;

export async function resumeStages(inputs: Inputs, _context: RunContext, deps: StageDeps): Promise<RunOutcome> {
  const { io, github } = deps;
  const environment = inputs.environment ?? "production";
  const creators = inputs["deployment-creators"];
  const policy: TrustPolicy = { deploymentCreators: creators, statusWriters: [...creators, { ...GITHUB_ACTIONS }] };
  const now = deps.now();
  // The stage's own window first (its plan, else the documented default of its name): one resume run
  // handles stages of different lengths; the `observe` input is the last resort (docs/long-windows.md).
  const windowOf = (stage: string, plan: readonly Stage[] | undefined) => {
    const own = stageWindow(stage, { plan });
    return own.ok ? own.ms : inputs.observe;
  };

  const records = await github.listStages(environment, ({ createdAt, payload }) => {
    const windowMs = windowOf(payload.stage, payload.plan);
    return windowMs === undefined || Date.parse(createdAt) + windowMs + ABANDONED_AFTER_MS > now;
  });
  const { deployments, ignored } = trustedHistory(records, policy);
  for (const i of ignored) {
    io.warning(
      i.kind === "deployment"
        ? `ignored deployment ${i.deploymentId} (${i.stage ?? "?"}) created by ${i.by ?? "unknown"}: not one of deployment-creators`
        : `ignored a ${i.state} status on deployment ${i.deploymentId} written by ${i.by ?? "unknown"}: not one of deployment-creators or github-actions[bot]`,
    );
  }
  const open = deployments.filter((d) => {
    const newest = d.statuses[0];
    if (newest?.state !== "in_progress") return false;
    // No checkpoint yet and younger than a job can live: the stage's own run is still watching it.
    if (!readCheckpoint(newest.logUrl).ok && now - Date.parse(newest.createdAt) < JOB_LIMIT_MS) {
      io.info(`deployment ${d.id} (${d.payload!.stage} of #${d.payload!.release}) is being watched by its own run${newest.logUrl ? ` (${newest.logUrl})` : ""}; left to it`);
      return false;
    }
    return true;
  });
  io.info(`${open.length} stage${open.length === 1 ? "" : "s"} in progress in ${environment}${open.length ? `: ${open.map((d) => `${d.payload!.stage} of #${d.payload!.release} (deployment ${d.id})`).join(", ")}` : ""}`);

  const outcomes = await Promise.all(
    open.map(async (record): Promise<{ record: DeploymentRecord; outcome: Pick<StageOutcome, "verdict" | "reason"> & { report?: StageReport } }> => {
      const resumed = resumeStage(inputs, record, windowOf(record.payload!.stage, record.payload!.plan), deps);
      if (!resumed.ok) {
        if (!inputs["dry-run"]) await github.setStatus(record.id, "error", resumed.error);
        io.error(resumed.error);
        return { record, outcome: { verdict: "inconclusive", reason: resumed.error } };
      }
      const observation = await observeStage(inputs, resumed.started, deps, resumed.carry);
      return { record, outcome: await finishStage(inputs, resumed.started, observation, deps) };
    }),
  );

  const stages = outcomes.map(({ record, outcome }) => ({ deployment: record.id, stage: record.payload!.stage, percent: record.payload!.percent, release: record.payload!.release, sha: record.sha, verdict: outcome.verdict, reason: outcome.reason }));
  const verdicts = stages.map((s) => s.verdict);
  const verdict: Verdict =
    verdicts.includes("failure") ? "failure"
    : verdicts.includes("inconclusive") ? "inconclusive"
    : verdicts.includes("observing") ? "observing"
    : verdicts.length === 0 ? "none"
    : inputs["dry-run"] ? "dry-run"
    : "success";
  const reason = stages.length === 0 ? `no Release Gate stage is in progress in ${environment}` : stages.map((s) => s.reason).join("; ");
  const summary = outcomes.length === 0 ? `### Release Gate: ${environment}: nothing in progress\n\n${reason}.\n` : outcomes.map(({ outcome }) => (outcome.report ? renderStageSummary(outcome.report) : `### ❌ ${outcome.reason}\n`)).join("\n");
  return { verdict, reason, outputs: { environment, verdict, reason, stages: JSON.stringify(stages) }, summary };
}

type Resumed = { ok: true; started: StartedStage; carry: ObserveCarry } | { ok: false; error: string };

/** A stage as earlier runs left it: its window, gates, baselines and counts from its checkpoints. */
export function resumeStage(inputs: Inputs, record: DeploymentRecord, planMs: number | undefined, deps: Pick<StageDeps, "io">): Resumed {
  const payload = record.payload!;
  const label = `${payload.stage} ${fmt(payload.percent)}%`;

  // Statuses come newest first; checkpoints are merged oldest first.
  const checkpoints: WatchCheckpoint[] = [];
  for (const status of [...record.statuses].reverse()) {
    const read = readCheckpoint(status.logUrl);
    if (read.ok) checkpoints.push(read.checkpoint);
    else if (read.reason !== "no-checkpoint") deps.io.warning(`deployment ${record.id}: a status's checkpoint was ignored (${read.reason}: ${read.detail.slice(0, 200)})`);
  }
  const merged = mergeCheckpoints(checkpoints);
  if (merged && merged.lowered.length > 0) deps.io.warning(`deployment ${record.id}: a later checkpoint lowered counts (${merged.lowered.join(", ")}); the higher counts stand`);
  // The window the stage's own run chose (recorded in its first checkpoint) wins over what this run can tell.
  const observeMs = merged?.checkpoint.windowMs ?? planMs;
  if (observeMs === undefined) return { ok: false, error: `${label}: Release Gate stopped: the stage's plan gives no window; pass \`observe\` to the resume step` };
  const firstInProgress = [...record.statuses].reverse().find((s) => s.state === "in_progress");
  const windowStart = Date.parse(merged?.checkpoint.windowStart ?? firstInProgress?.createdAt ?? record.createdAt);

  const gatePlan = applyTriggers(inputs.gates, payload.triggers);
  const baselines = new Map(Object.entries(merged?.checkpoint.baselines ?? {}).map(([name, value]) => [name, valueReading(value)]));
  const sampleEnv = { RELEASE_STAGE: payload.stage, RELEASE_PERCENT: String(payload.percent), RELEASE_ENVIRONMENT: record.environment };
  const started: StartedStage = {
    stage: payload.stage,
    percent: payload.percent,
    environment: record.environment,
    release: payload.release,
    sha: record.sha,
    label,
    payload,
    deploymentId: record.id,
    observeMs,
    gatePlan,
    compare: inputs.compare,
    baselines,
    sampleEnv,
    shiftEnv: { ...sampleEnv, RELEASE_DEPLOYMENT_ID: String(record.id), RELEASE_SHA: record.sha },
    sampleTimeoutMs: Math.min(SAMPLE_TIMEOUT_MS, inputs.interval),
    startedAt: new Date(windowStart).toISOString(),
    outputs: { stage: payload.stage, percent: String(payload.percent), environment: record.environment, "deployment-id": String(record.id) },
  };
  const tallies = merged?.checkpoint;
  const carry: ObserveCarry = {
    windowStart,
    watches: gatePlan.gates.map((g) => restoreWatch(g, tallies?.gates[g.name], tallies?.baselines[g.name], sustainedBounds(gatePlan, g.name))),
    compares: inputs.compare.map((c) => restoreCompare(c, tallies?.compares[c.name])),
    // A stage without a checkpoint was left by a run that ended before writing one: count that run.
    runs: tallies?.runs ?? 1,
  };
  return { ok: true, started, carry };
}
