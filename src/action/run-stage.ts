// One stage, start to end: create or adopt the stage's Deployment, mark it in progress, run the
// traffic shift, sample every gate each interval through the observation window, and finish with
// success, an inconclusive error (no data never passes), or failure plus a rollback.
// Everything outside (GitHub, clock, providers, shell) comes in through `StageDeps`.
import type { Gate } from "../core/config/schema.js";
import { defaultConfig } from "../core/config/parse-config.js";
import { applyTriggers } from "../core/gates/apply-triggers.js";
import { formatDuration, parseDuration, sampleOffsets } from "../core/gates/duration.js";
import type { CommandResult } from "../core/gates/parse-command-output.js";
import { valueReading, type SampleReading } from "../core/gates/sample.js";
import { describeBreach, fmt, recordSample, stageVerdict, startWatch, type GateWatch, type StageVerdict } from "../core/gates/watch-gates.js";
import { parsePlan } from "../core/plan/parse-plan.js";
import { parseTriggers, type RollbackTrigger } from "../core/plan/parse-triggers.js";
import type { RolloutRow, StageReport } from "../core/render/stage-summary.js";
import type { DeploymentPayload } from "../core/rollout/deployment-payload.js";
import type { DeploymentRecord, DeploymentState } from "../core/rollout/types.js";
import { adopt, type AdoptedDeployment } from "../github/stage-deployments.js";
import type { StageGitHub } from "./stage-github.js";
import type { RunContext } from "./event.js";
import type { Inputs } from "./inputs.js";
import type { ActionIo } from "./io.js";
import type { Outputs, Verdict } from "./outputs.js";

export interface StageDeps {
  io: ActionIo;
  github: StageGitHub;
  sample(gate: Gate, env: Record<string, string>, timeoutMs: number): Promise<SampleReading>;
  shell(command: string, env: Record<string, string>, onLine: (line: string) => void): Promise<CommandResult>;
  now(): number;
  sleep(ms: number): Promise<void>;
  lastGoodSha(records: readonly DeploymentRecord[], sha: string, release?: number): string | undefined;
}

export interface StageOutcome {
  verdict: Verdict;
  reason: string;
  outputs: Partial<Outputs>;
  report: StageReport;
}

/** Samples never wait longer than this, nor longer than the interval. */
const SAMPLE_TIMEOUT_MS = 30_000;

export async function runStage(inputs: Inputs, context: RunContext, deps: StageDeps): Promise<StageOutcome> {
  const { io, github } = deps;
  const dryRun = inputs["dry-run"];
  const iso = () => new Date(deps.now()).toISOString();

  // Which deployment: the event's, the one a `mode: start` step created, or a new one.
  let adopted: AdoptedDeployment | undefined;
  if (context.deployment) adopted = adoptEvent(context.deployment);
  else if (inputs["deployment-id"] !== undefined) adopted = await github.getDeployment(inputs["deployment-id"]);
  if (adopted && !adopted.payload) throw new Error(`deployment ${adopted.id} is not a Release Gate stage: ${adopted.payloadError ?? "no payload"}`);
  if (inputs.mode === "observe" && !adopted) throw new Error("input `deployment-id`: `mode: observe` needs the deployment a `mode: start` step created (its `deployment-id` output), or a deployment event");

  const payloadIn = adopted?.payload ?? undefined;
  if (payloadIn && inputs.stage && inputs.stage !== payloadIn.stage) io.warning(`input \`stage\` (${inputs.stage}) differs from the deployment's stage (${payloadIn.stage}); the deployment wins`);
  const stage = payloadIn?.stage ?? inputs.stage;
  if (!stage) throw new Error("input `stage`: required when no deployment is given (a deployment event or `deployment-id`)");
  const percent = payloadIn?.percent ?? inputs.percent;
  if (percent === undefined) throw new Error("input `percent`: required when no deployment is given (a deployment event or `deployment-id`)");
  const environment = adopted?.environment ?? inputs.environment ?? "production";
  const sha = adopted?.sha ?? inputs.ref ?? context.sha;
  if (!sha) throw new Error("input `ref`: no commit to deploy (GITHUB_SHA is not set)");
  const planned = payloadIn?.plan.find((s) => s.name === stage);
  const observeMs = inputs.observe ?? (planned ? parseDuration(planned.observe) : undefined);
  if (observeMs === undefined && inputs.mode !== "start") throw new Error("input `observe`: required (the observation window, e.g. 30m) when the deployment's plan does not give one");

  // Gates: the configured ones, tightened by the PR's rollback triggers.
  let triggers: RollbackTrigger[] = payloadIn?.triggers ?? [];
  let release = payloadIn?.release ?? inputs.release;
  if (!adopted) {
    // A token without pull-requests: read (or a commit with no PR) costs the triggers, not the stage.
    const pull = await github.findPull(sha).catch((error: Error) => {
      io.warning(`could not read the pull request of ${sha.slice(0, 12)}, so its rollback triggers do not apply: ${error.message}`);
      return undefined;
    });
    release ??= pull?.number;
    if (pull && pull.number === release) triggers = triggersFromBody(pull.body);
  }
  if (release === undefined) throw new Error(`input \`release\`: no pull request is associated with ${sha.slice(0, 12)}; pass the PR number being released`);
  const gatePlan = applyTriggers(inputs.gates, triggers);
  for (const u of gatePlan.unapplied) io.warning(`rollback trigger "${u.trigger.text}" (line ${u.trigger.line}) not applied: ${u.message}`);
  for (const a of gatePlan.applied) io.info(`rollback trigger "${a.trigger.text}" → gate ${a.gate} ${a.bound} ${fmt(a.limit)}${a.tightened ? "" : " (gate already stricter)"}`);

  const label = `${stage} ${fmt(percent)}%`;
  const payload: DeploymentPayload = payloadIn ?? {
    stage,
    percent,
    release,
    plan: [{ name: stage, percent, observe: durationText(observeMs ?? 0) }],
    triggers: triggers.map((t) => ({ ...t })),
  };

  // Start: the deployment exists and is in progress before anything moves.
  const startedAt = iso();
  let deploymentId = adopted?.id;
  if (dryRun) {
    io.info(`dry run: would ${adopted ? `adopt deployment ${adopted.id}` : `create a deployment of ${sha.slice(0, 12)} to ${environment}`} and mark it in_progress`);
  } else {
    if (deploymentId === undefined) {
      const created = await github.createDeployment({ sha, environment, payload, description: `Release Gate: ${label} of #${release}` });
      deploymentId = created.id;
      io.info(`created deployment ${deploymentId} of ${sha.slice(0, 12)} to ${environment}`);
    }
    io.saveState("deployment-id", String(deploymentId));
    io.saveState("finished", "");
    if (inputs.mode !== "observe") await github.setStatus(deploymentId, "in_progress", `${label}: started, observing ${observeMs !== undefined ? formatDuration(observeMs) : "in a later step"}`);
  }
  const outputs: Partial<Outputs> = { stage, percent: String(percent), environment, "deployment-id": deploymentId !== undefined ? String(deploymentId) : "" };
  for (const [k, v] of Object.entries(outputs)) io.setOutput(k, v);

  // Baseline before the shift, for every ratio bound (a later observe step gets it as an input).
  const needBaseline = gatePlan.gates.filter((g) => g["max-ratio-to-baseline"] !== undefined);
  const baselines = new Map<string, SampleReading>();
  for (const [name, value] of Object.entries(inputs.baseline)) baselines.set(name, valueReading(value));
  const sampleEnv = { RELEASE_STAGE: stage, RELEASE_PERCENT: String(percent), RELEASE_ENVIRONMENT: environment };
  const timeoutMs = Math.min(SAMPLE_TIMEOUT_MS, inputs.interval);
  if (inputs.mode !== "observe") {
    await Promise.all(
      needBaseline.filter((g) => !baselines.has(g.name)).map(async (g) => {
        const reading = await deps.sample(g, sampleEnv, timeoutMs);
        baselines.set(g.name, reading);
        io.info(`baseline ${g.name}: ${reading.kind === "value" ? fmt(reading.value) : `no data (${reading.reason}: ${reading.detail})`}`);
      }),
    );
  }
  const baselineJson = JSON.stringify(Object.fromEntries([...baselines].flatMap(([n, r]) => (r.kind === "value" && Number.isFinite(r.value) ? [[n, r.value]] : []))));
  outputs.baseline = baselineJson;
  io.setOutput("baseline", baselineJson);

  let watches: GateWatch[] = gatePlan.gates.map((g) => startWatch(g, g["max-ratio-to-baseline"] !== undefined ? baselines.get(g.name) : undefined));
  const report = (verdict: Verdict, reason: string, extra: Partial<StageReport> = {}): StageReport => ({
    stage,
    percent,
    environment,
    release,
    sha,
    ...(deploymentId !== undefined ? { deploymentId } : {}),
    dryRun,
    startedAt,
    verdict,
    reason,
    watches,
    applied: gatePlan.applied,
    unapplied: gatePlan.unapplied,
    earlier: [],
    ...extra,
  });

  if (inputs.mode === "start") {
    if (!dryRun) io.saveState("finished", "handoff");
    const reason = `${label} started; run the traffic shift, then this Action with mode: observe and deployment-id ${deploymentId ?? "(dry run)"}`;
    return { verdict: "started", reason, outputs: { ...outputs, verdict: "started", reason }, report: report("started", reason) };
  }

  // Shift traffic.
  const shiftEnv = { ...sampleEnv, RELEASE_DEPLOYMENT_ID: deploymentId !== undefined ? String(deploymentId) : "", RELEASE_SHA: sha };
  let shiftFailure: string | undefined;
  if (inputs.mode === "all" && inputs.shift) {
    if (dryRun) io.info(`dry run: would run the shift command with RELEASE_STAGE=${stage} RELEASE_PERCENT=${percent}`);
    else {
      io.info(`shift: moving ${fmt(percent)}% of traffic to ${sha.slice(0, 12)}`);
      const result = await deps.shell(inputs.shift, shiftEnv, (line) => io.info(`shift | ${line}`));
      if (result.exitCode !== 0) shiftFailure = `the shift command exited with ${result.exitCode ?? "a signal"}`;
    }
  }

  // Observe.
  let verdict: StageVerdict = { kind: "watching" };
  if (shiftFailure === undefined) {
    const windowStart = deps.now();
    const offsets = sampleOffsets(observeMs!, inputs.interval);
    io.info(`observing ${watches.length} gate${watches.length === 1 ? "" : "s"} for ${formatDuration(observeMs!)}, a sample every ${formatDuration(inputs.interval)}`);
    for (const [i, offset] of offsets.entries()) {
      await deps.sleep(Math.max(0, windowStart + offset - deps.now()));
      const at = iso();
      const readings = await Promise.all(watches.map((w) => deps.sample(w.gate, sampleEnv, timeoutMs)));
      watches = watches.map((w, j) => recordSample(w, readings[j]!, at));
      for (const w of watches) io.info(`t+${formatDuration(deps.now() - windowStart)} ${describeSample(w)}`);
      verdict = stageVerdict(watches, i === offsets.length - 1);
      if (verdict.kind === "breach") break;
    }
    if (offsets.length === 0 || verdict.kind === "watching") verdict = stageVerdict(watches, true);
  }

  // Finish.
  const finish = async (state: DeploymentState, description: string) => {
    if (dryRun || deploymentId === undefined) return io.info(`dry run: would set deployment ${state}: ${description}`);
    await github.setStatus(deploymentId, state, description);
    io.saveState("finished", "verdict");
  };

  if (shiftFailure === undefined && verdict.kind === "pass") {
    const reason = verdict.reason === "no-gates" ? `${label}: observed ${formatDuration(observeMs!)} with no gates configured` : `${label}: every gate passed over ${formatDuration(observeMs!)}`;
    await finish("success", reason);
    const earlier = await earlierStages(deps, environment, release, deploymentId);
    return { verdict: dryRun ? "dry-run" : "success", reason, outputs: { ...outputs, verdict: dryRun ? "dry-run" : "success", reason, "rolled-back": "false" }, report: report(dryRun ? "dry-run" : "success", reason, { endedAt: iso(), earlier }) };
  }
  if (shiftFailure === undefined && verdict.kind === "inconclusive") {
    const first = verdict.gates[0]!;
    const reason = `${label}: inconclusive, ${first.gate} had ${first.valid}/${first.needed} samples (${first.detail}); no data is not a pass`;
    await finish("error", reason);
    const earlier = await earlierStages(deps, environment, release, deploymentId);
    return { verdict: "inconclusive", reason, outputs: { ...outputs, verdict: "inconclusive", reason, "rolled-back": "false" }, report: report("inconclusive", reason, { endedAt: iso(), earlier }) };
  }

  // Breach (or a failed shift): fail the stage and roll back at once.
  const detectedAt = deps.now();
  const reason = shiftFailure !== undefined ? `${label}: ${shiftFailure}` : `${label}: breach, ${describeBreach((verdict as Extract<StageVerdict, { kind: "breach" }>).breach)}`;
  const rollbackCommand = inputs.rollback ?? inputs.shift;
  const rollbackEnv = { ...shiftEnv, RELEASE_PERCENT: "0", RELEASE_ROLLBACK: "true" };
  let rollbackRef = inputs["rollback-ref"];
  let rollbackDeploymentId: number | undefined;
  let recent: DeploymentRecord[] | undefined;
  const record = async () => {
    await finish("failure", reason);
    if (dryRun) return;
    recent = await github.listRecent(environment).catch(() => undefined);
    rollbackRef ??= recent ? deps.lastGoodSha(recent, sha, release) : undefined;
    if (!rollbackRef) {
      io.warning(`no earlier successful deployment in ${environment} to roll back to; pass \`rollback-ref\` to create a rollback deployment`);
      return;
    }
    const created = await github.createDeployment({
      sha: rollbackRef,
      environment,
      payload: { ...payload, triggers: [], rollback: { of: deploymentId!, reason: reason.slice(0, 500) } },
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
  // The command that restores users runs while the records are written.
  const [, result] = await Promise.all([record(), act()]);
  let rolledBack = false;
  let rollbackSeconds: number | undefined;
  let detail: string;
  if (result && result.exitCode === 0) {
    if (rollbackDeploymentId !== undefined) await github.setStatus(rollbackDeploymentId, "success", `rolled back ${label} to ${rollbackRef!.slice(0, 12)}`);
    rolledBack = true;
    rollbackSeconds = (deps.now() - detectedAt) / 1000;
    detail = `${inputs.rollback ? "rollback" : "shift"} command succeeded`;
    io.info(`rolled back ${label} in ${rollbackSeconds.toFixed(2)}s from breach detected to rollback success`);
  } else if (result) {
    detail = `the rollback command exited with ${result.exitCode ?? "a signal"}`;
    if (rollbackDeploymentId !== undefined) await github.setStatus(rollbackDeploymentId, "failure", `rollback of ${label} failed: ${detail}`);
    io.error(`rollback failed: ${detail}`);
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

/** The event's deployment, read the same way as one fetched from the API. */
function adoptEvent(d: NonNullable<RunContext["deployment"]>): AdoptedDeployment {
  return adopt(d);
}

function triggersFromBody(body: string | null): RollbackTrigger[] {
  const section = parsePlan(body, defaultConfig().headings).sections.rollback;
  return section ? parseTriggers(section.lines) : [];
}

function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function describeSample(watch: GateWatch): string {
  const last = watch.samples[watch.samples.length - 1]!;
  const value = last.reading.kind === "value" ? fmt(last.reading.value) : `no data (${last.reading.reason}: ${last.reading.detail})`;
  const mark = last.check.kind === "breach" ? "BREACH" : last.check.kind === "within" ? "ok" : "inconclusive";
  return `${watch.gate.name} = ${value} ${mark} (breaches ${watch.breaches}/${watch.gate["failure-limit"]} tolerated)`;
}

async function earlierStages(deps: StageDeps, environment: string, release: number, current: number | undefined): Promise<RolloutRow[]> {
  try {
    return rolloutRows(await deps.github.listRecent(environment), release, current);
  } catch {
    return [];
  }
}

/** Earlier stage deployments of the same release, oldest first. */
function rolloutRows(records: readonly DeploymentRecord[], release: number, current: number | undefined): RolloutRow[] {
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
