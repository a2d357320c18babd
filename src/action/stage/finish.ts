// The finish step of a stage: success when every gate held, an error status when the window was
// inconclusive (no data never passes), or failure plus a rollback: the command that restores users
// runs while the records (failed stage, rollback deployment) are written.
import { formatDuration } from "../../core/gates/duration.js";
import type { CommandResult } from "../../core/gates/parse-command-output.js";
import { compareVerdict, type CompareWatch, type StageJudgement } from "../../core/gates/watch-compare.js";
import { checkpointUrl, takeCheckpoint } from "../../core/gates/watch-checkpoint.js";
import { describeBreach, type GateWatch } from "../../core/gates/watch-gates.js";
import type { RolloutRow, StageReport } from "../../core/render/stage-summary.js";
import type { DeploymentRecord, DeploymentState } from "../../core/rollout/types.js";
import type { Inputs } from "../inputs.js";
import { saveState, type Verdict } from "../outputs.js";
import type { StageDeps, StageOutcome } from "./deps.js";
import { turnStageFlagOff } from "./flag.js";
import type { Observation } from "./observe.js";
import type { StartedStage } from "./start.js";

/** The job summary's report of a stage, as far as it got. */
export function stageReport(
  started: StartedStage,
  dryRun: boolean,
  watches: GateWatch[],
  verdict: Verdict,
  reason: string,
  extra: Partial<StageReport> = {},
  compares: CompareWatch[] = [],
): StageReport {
  return {
    stage: started.stage,
    percent: started.percent,
    environment: started.environment,
    release: started.release,
    sha: started.sha,
    ...(started.deploymentId !== undefined ? { deploymentId: started.deploymentId } : {}),
    dryRun,
    startedAt: started.startedAt,
    verdict,
    reason,
    watches,
    compares,
    applied: started.gatePlan.applied,
    unapplied: started.gatePlan.unapplied,
    earlier: [],
    ...extra,
  };
}

export async function finishStage(inputs: Inputs, started: StartedStage, observation: Observation, deps: StageDeps): Promise<StageOutcome> {
  const { io, github } = deps;
  const dryRun = inputs["dry-run"];
  const { label, environment, release, deploymentId, outputs } = started;
  const { watches, compares, verdict, shiftFailure } = observation;
  const iso = (ms: number = deps.now()) => new Date(ms).toISOString();
  // A window watched across runs says where this run stands in it.
  const spansRuns = observation.runs > 1 || !observation.schedule.endsWindow;
  const window = spansRuns ? { window: { start: iso(observation.windowStart), ms: started.observeMs!, phase: observation.schedule.phase, runs: observation.runs } } : {};
  const report = (v: Verdict, reason: string, extra: Partial<StageReport> = {}) => stageReport(started, dryRun, watches, v, reason, { ...window, ...extra }, compares);
  // Shadow gates never act; what they would have done goes with whatever the stage ends as.
  const shadowNotes = compares.flatMap((c) => {
    const v = compareVerdict(c, true);
    return v.kind === "shadow" && v.wouldHave ? [`shadow gate ${c.gate.name} would have rolled back at ${v.wouldHave.at}`] : [];
  });
  const withShadow = (reason: string) => (shadowNotes.length > 0 ? `${reason}; ${shadowNotes.join("; ")}` : reason);
  const observeMs = started.observeMs!;

  const finish = async (state: DeploymentState, description: string) => {
    if (dryRun || deploymentId === undefined) return io.info(`dry run: would set deployment ${state}: ${description}`);
    await github.setStatus(deploymentId, state, description);
    saveState(io, "finished", "verdict");
  };

  if (shiftFailure === undefined && verdict.kind === "watching") {
    // The window outlives this run: leave the stage in progress with every count so far on it.
    const watched = formatDuration(Math.max(0, deps.now() - observation.windowStart));
    const reason = `${label}: observing, ${watched} of ${formatDuration(observeMs)} watched, no breach; a mode: resume run ends it after ${iso(observation.windowStart + observeMs).slice(0, 16)}Z`;
    const baselines = Object.fromEntries([...started.baselines].flatMap(([n, r]) => (r.kind === "value" && Number.isFinite(r.value) ? [[n, r.value]] : [])));
    const checkpoint = takeCheckpoint({ windowStart: iso(observation.windowStart), windowMs: observeMs, runs: observation.runs, watches, compares, baselines });
    if (dryRun || deploymentId === undefined) io.info(`dry run: would leave deployment in_progress with a checkpoint: ${reason}`);
    else {
      await github.setStatus(deploymentId, "in_progress", reason, checkpointUrl(deps.runUrl ?? "https://github.com/", checkpoint));
      saveState(io, "finished", "observing");
    }
    return { verdict: "observing", reason, outputs: { ...outputs, verdict: "observing", reason, "rolled-back": "false" }, report: report("observing", reason) };
  }

  if (shiftFailure === undefined && verdict.kind === "pass") {
    const reason = withShadow(
      verdict.reason === "no-gates"
        ? `${label}: observed ${formatDuration(observeMs)} with no gates configured`
        : verdict.reason === "shadow-only"
          ? `${label}: observed ${formatDuration(observeMs)} with shadow gates only, which never act`
          : `${label}: every gate passed over ${formatDuration(observeMs)}`,
    );
    await finish("success", reason);
    const earlier = await earlierStages(deps, environment, release, deploymentId);
    const v = dryRun ? "dry-run" : "success";
    return { verdict: v, reason, outputs: { ...outputs, verdict: v, reason, "rolled-back": "false" }, report: report(v, reason, { endedAt: iso(), earlier }) };
  }
  if (shiftFailure === undefined && verdict.kind === "inconclusive") {
    const first = verdict.gates[0];
    const compare = verdict.compares[0];
    const why = first
      ? `${first.gate} had ${first.valid}/${first.needed} samples (${first.detail}); no data is not a pass`
      : `${compare!.gate} undecided after ${compare!.looks} look${compare!.looks === 1 ? "" : "s"}: ${compare!.detail}; undecided is not a pass`;
    const reason = withShadow(`${label}: inconclusive, ${why}`);
    await finish("error", reason);
    const earlier = await earlierStages(deps, environment, release, deploymentId);
    return { verdict: "inconclusive", reason, outputs: { ...outputs, verdict: "inconclusive", reason, "rolled-back": "false" }, report: report("inconclusive", reason, { endedAt: iso(), earlier }) };
  }

  // Breach (or a failed shift): fail the stage and roll back at once.
  const detectedAt = deps.now();
  const reason = withShadow(shiftFailure !== undefined ? `${label}: ${shiftFailure}` : `${label}: breach, ${describeStageBreach(verdict)}`);
  const rollbackCommand = inputs.rollback ?? inputs.shift;
  const rollbackEnv = { ...started.shiftEnv, RELEASE_PERCENT: "0", RELEASE_ROLLBACK: "true" };
  let rollbackRef = inputs["rollback-ref"];
  let rollbackDeploymentId: number | undefined;
  let recent: DeploymentRecord[] | undefined;
  const record = async () => {
    await finish("failure", reason);
    if (dryRun) return;
    recent = await github.listRecent(environment).catch(() => undefined);
    rollbackRef ??= recent ? deps.lastGoodSha(recent, started.sha, release) : undefined;
    if (!rollbackRef) {
      io.warning(`no earlier successful deployment in ${environment} to roll back to; pass \`rollback-ref\` to create a rollback deployment`);
      return;
    }
    const created = await github.createDeployment({
      sha: rollbackRef,
      environment,
      payload: { ...started.payload, triggers: [], rollback: { of: deploymentId!, reason: reason.slice(0, 500) } },
      description: `Release Gate: roll back ${label} of #${release}`,
    });
    rollbackDeploymentId = created.id;
    if (rollbackCommand) await github.setStatus(created.id, "in_progress", `rolling back ${label}: ${reason}`);
  };
  const act = async (): Promise<CommandResult | undefined> => {
    if (!rollbackCommand) return undefined;
    if (dryRun) {
      io.info("dry run: would run the rollback command with RELEASE_PERCENT=0");
      return undefined;
    }
    io.info(`rollback: running ${inputs.rollback ? "the rollback command" : "the shift command with RELEASE_PERCENT=0"}`);
    return deps.shell(rollbackCommand, rollbackEnv, (line) => io.info(`rollback | ${line}`));
  };
  // The flag first: one provider call restores users before any record is written or command runs,
  // and rollback-seconds is breach → flag off.
  if (dryRun && deps.flag) io.info(`dry run: would turn flag ${deps.flag.key} off`);
  const flagOff = dryRun ? undefined : await turnStageFlagOff(deps, deploymentId, detectedAt, "on breach (automatic rollback)");
  const [, result] = await Promise.all([record(), act()]);
  let rolledBack = false;
  let rollbackSeconds: number | undefined;
  let detail: string;
  const flagDetail = flagOff === undefined ? undefined : flagOff.ok ? `flag ${flagOff.change.key} off in ${(flagOff.ms / 1000).toFixed(3)}s` : `the flag could not be turned off (${flagOff.error})`;
  const withFlag = (text: string) => (flagDetail ? `${flagDetail}; ${text}` : text);
  if (flagOff && !flagOff.ok) {
    const command = inputs.rollback ? "rollback" : "shift";
    detail = withFlag(result ? (result.exitCode === 0 ? `${command} command succeeded` : `${command} command exited with ${result.exitCode ?? "a signal"}`) : "turn it off by hand");
    if (rollbackDeploymentId !== undefined) await github.setStatus(rollbackDeploymentId, "failure", `rollback of ${label} failed: ${detail}`);
    io.error(`rollback failed: ${detail}`);
  } else if (result && result.exitCode === 0) {
    if (rollbackDeploymentId !== undefined) await github.setStatus(rollbackDeploymentId, "success", `rolled back ${label} to ${rollbackRef!.slice(0, 7)}${flagDetail ? `; ${flagDetail}` : ""}`);
    rolledBack = true;
    rollbackSeconds = flagOff?.ok ? flagOff.ms / 1000 : (deps.now() - detectedAt) / 1000;
    detail = withFlag(`${inputs.rollback ? "rollback" : "shift"} command succeeded`);
    io.info(`rolled back ${label} in ${rollbackSeconds.toFixed(2)}s from breach detected to ${flagOff?.ok ? "flag off" : "rollback success"}`);
  } else if (result) {
    detail = withFlag(`the rollback command exited with ${result.exitCode ?? "a signal"}`);
    if (rollbackDeploymentId !== undefined) await github.setStatus(rollbackDeploymentId, "failure", `rollback of ${label} failed: ${detail}`);
    io.error(`rollback failed: ${detail}`);
  } else if (flagOff?.ok) {
    // No command: the flag was the rollback. A rollback deployment, if created, is left to the deployment workflow.
    rolledBack = true;
    rollbackSeconds = flagOff.ms / 1000;
    detail = withFlag(rollbackDeploymentId !== undefined ? `rollback deployment ${rollbackDeploymentId} created for your deployment workflow` : "no rollback command to run");
    io.info(`rolled back ${label} in ${rollbackSeconds.toFixed(2)}s from breach detected to flag off`);
  } else {
    detail = dryRun
      ? "dry run: nothing was rolled back"
      : rollbackDeploymentId !== undefined
        ? `rollback deployment ${rollbackDeploymentId} created for your deployment workflow; no \`rollback\` or \`shift\` command to run here`
        : "no `rollback` or `shift` command and no earlier good deployment: roll back by hand";
    io.warning(detail);
  }
  const earlier = dryRun ? [] : rolloutRows(recent ?? [], release, deploymentId);
  const rollback = {
    ok: rolledBack,
    ...(rollbackRef ? { ref: rollbackRef } : {}),
    ...(rollbackDeploymentId !== undefined ? { deploymentId: rollbackDeploymentId } : {}),
    ...(rollbackSeconds !== undefined ? { seconds: rollbackSeconds } : {}),
    ...(rollbackSeconds !== undefined && flagOff?.ok ? { span: "from breach detected to flag off" } : {}),
    detail,
    at: iso(),
  };
  return {
    verdict: "failure",
    reason,
    outputs: {
      ...outputs,
      verdict: "failure",
      reason,
      "rolled-back": rolledBack ? "true" : "false",
      "rollback-seconds": rollbackSeconds !== undefined ? rollbackSeconds.toFixed(3) : "",
      "rollback-deployment-id": rollbackDeploymentId !== undefined ? String(rollbackDeploymentId) : "",
    },
    report: report("failure", reason, { endedAt: iso(), earlier, rollback }),
  };
}

function describeStageBreach(verdict: StageJudgement): string {
  if (verdict.kind === "breach") return describeBreach(verdict.breach);
  if (verdict.kind === "compare-breach") return `${verdict.compare.gate}: ${verdict.compare.summary}`;
  return "no breach recorded";
}

async function earlierStages(deps: StageDeps, environment: string, release: number, current: number | undefined): Promise<RolloutRow[]> {
  try {
    return rolloutRows(await deps.github.listRecent(environment), release, current);
  } catch {
    return [];
  }
}

/** Earlier stage deployments of the same release, oldest first. */
export function rolloutRows(records: readonly DeploymentRecord[], release: number, current: number | undefined): RolloutRow[] {
  return records
    .filter((r) => r.id !== current && r.payload?.release === release && !r.payload.rollback)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((r) => ({
      stage: r.payload!.stage,
      percent: r.payload!.percent,
      state: r.statuses[0]?.state ?? "pending",
      startedAt: r.createdAt,
      ...(r.statuses[0] ? { endedAt: r.statuses[0].createdAt } : {}),
      deploymentId: r.id,
    }));
}
