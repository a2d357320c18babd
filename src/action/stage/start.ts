// The start step of a stage: which deployment (the event's, the one a `mode: start` step created, or a
// new one), which stage, window and gates, then the deployment created or adopted and marked in
// progress before anything moves, and the baseline of every ratio bound sampled before the shift.
import { defaultConfig } from "../../core/config/parse-config.js";
import type { CompareGate } from "../../core/gates/compare-gate.js";
import { applyTriggers, type GatePlan } from "../../core/gates/apply-triggers.js";
import { formatDuration, parseDuration } from "../../core/gates/duration.js";
import { expandGate, type ExpandResult } from "../../core/gates/release-variables.js";
import { valueReading, type SampleReading } from "../../core/gates/sample.js";
import { fmt } from "../../core/gates/watch-gates.js";
import { parsePlan } from "../../core/plan/parse-plan.js";
import { parseTriggers, type RollbackTrigger } from "../../core/plan/parse-triggers.js";
import type { DeploymentPayload } from "../../core/rollout/deployment-payload.js";
import { describeWindow, stageWindow } from "../../core/rollout/stage-window.js";
import { adopt, type AdoptedDeployment } from "../../github/stage-deployments.js";
import type { RunContext } from "../event.js";
import type { Inputs } from "../inputs.js";
import { saveState, setOutputs, type Outputs } from "../outputs.js";
import type { StageDeps } from "./deps.js";
import { payloadFlagFacts } from "../../core/flags/stage-target.js";
import { serveStageFlag } from "./flag.js";

/** Samples never wait longer than this, nor longer than the interval. */
const SAMPLE_TIMEOUT_MS = 30_000;

/** A stage once started: everything the observe and finish steps need. */
export interface StartedStage {
  stage: string;
  percent: number;
  environment: string;
  release: number;
  sha: string;
  /** "canary 1%", as logs and descriptions name the stage. */
  label: string;
  payload: DeploymentPayload;
  /** Undefined only in a dry run that would have created one. */
  deploymentId: number | undefined;
  /** Undefined only for `mode: start`, whose window a later step observes. */
  observeMs: number | undefined;
  gatePlan: GatePlan;
  /** Compare gates (canary vs baseline); rollback triggers do not tighten them. */
  compare: CompareGate[];
  baselines: Map<string, SampleReading>;
  /** RELEASE_STAGE, RELEASE_COHORT, RELEASE_PERCENT, RELEASE_ENVIRONMENT for gate commands. */
  sampleEnv: Record<string, string>;
  /** sampleEnv plus the deployment id and SHA, for the shift and rollback commands. */
  shiftEnv: Record<string, string>;
  sampleTimeoutMs: number;
  startedAt: string;
  outputs: Partial<Outputs>;
}

export async function startStage(inputs: Inputs, context: RunContext, deps: StageDeps): Promise<StartedStage> {
  const { io, github } = deps;
  const dryRun = inputs["dry-run"];

  let adopted: AdoptedDeployment | undefined;
  if (context.deployment) adopted = adopt(context.deployment);
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
  // `mode: start` may leave the window to the later observe step, which resolves it again.
  const window = stageWindow(stage, { input: inputs.observe, plan: payloadIn?.plan });
  if (!window.ok && inputs.mode !== "start") throw new Error(window.message);
  if (window.ok) io.info(`observation window ${describeWindow(stage, window)}`);
  const observeMs = window.ok ? window.ms : undefined;

  // Gates: the configured ones, tightened by the PR's rollback triggers.
  let triggers: RollbackTrigger[] = payloadIn?.triggers ?? [];
  let release = payloadIn?.release ?? inputs.release;
  if (!adopted) {
    // A token without pull-requests: read (or a commit with no PR) costs the triggers, not the stage.
    const pull = await github.findPull(sha).catch((error: Error) => {
      io.warning(`could not read the pull request of ${sha.slice(0, 7)}, so its rollback triggers do not apply: ${error.message}`);
      return undefined;
    });
    release ??= pull?.number;
    if (pull && pull.number === release) triggers = triggersFromBody(pull.body);
  }
  if (release === undefined) throw new Error(`input \`release\`: no pull request is associated with ${sha.slice(0, 7)}; pass the PR number being released`);
  // Observability per group: the stage's names go into queries and URLs only in a safe alphabet, and
  // a refusal stops the stage before anything moves (a gate that cannot read its group never passes).
  const variables = { RELEASE_STAGE: stage, RELEASE_COHORT: payloadIn?.cohort ?? "", RELEASE_ENVIRONMENT: environment };
  const gatePlan = applyTriggers(inputs.gates.map((g) => expanded(expandGate(g, variables))), triggers);
  const compare = inputs.compare.map((g) => expanded(expandGate(g, variables)));
  for (const u of gatePlan.unapplied) io.warning(`rollback trigger "${u.trigger.text}" (line ${u.trigger.line}) not applied: ${u.message}`);
  for (const a of gatePlan.applied) io.info(`rollback trigger "${a.trigger.text}" → gate ${a.gate} ${a.bound} ${fmt(a.limit)}${a.tightened ? (a.forMs !== undefined ? ` sustained ${formatDuration(a.forMs)}` : "") : " (gate already stricter)"}`);

  const label = `${stage} ${fmt(percent)}%`;
  const payload: DeploymentPayload = payloadIn ?? {
    stage,
    percent,
    release,
    plan: [{ name: stage, percent, observe: durationText(observeMs ?? 0) }],
    triggers: triggers.map((t) => ({ ...t })),
  };

  // The deployment exists and is in progress before anything moves.
  const startedAt = new Date(deps.now()).toISOString();
  let deploymentId = adopted?.id;
  if (dryRun) {
    io.info(`dry run: would ${adopted ? `adopt deployment ${adopted.id}` : `create a deployment of ${sha.slice(0, 7)} to ${environment}`} and mark it in_progress`);
  } else {
    if (deploymentId === undefined) {
      const created = await github.createDeployment({ sha, environment, payload, description: `Release Gate: ${label} of #${release}` });
      deploymentId = created.id;
      io.info(`created deployment ${deploymentId} of ${sha.slice(0, 7)} to ${environment}`);
    }
    saveState(io, "deployment-id", String(deploymentId));
    saveState(io, "finished", "");
    if (inputs.mode !== "observe") await github.setStatus(deploymentId, "in_progress", `${label}: started, observing ${observeMs !== undefined ? formatDuration(observeMs) : "in a later step"}`);
  }
  const outputs: Partial<Outputs> = { stage, percent: String(percent), cohort: variables.RELEASE_COHORT, environment, "deployment-id": deploymentId !== undefined ? String(deploymentId) : "" };
  setOutputs(io, outputs);

  // Baseline before the shift, for every ratio bound (a later observe step gets it as an input).
  const needBaseline = gatePlan.gates.filter((g) => g["max-ratio-to-baseline"] !== undefined || gatePlan.applied.some((a) => a.gate === g.name && a.bound === "max-ratio-to-baseline"));
  const baselines = new Map<string, SampleReading>();
  for (const [name, value] of Object.entries(inputs.baseline)) baselines.set(name, valueReading(value));
  const sampleEnv = { ...variables, RELEASE_PERCENT: String(percent) };
  const sampleTimeoutMs = Math.min(SAMPLE_TIMEOUT_MS, inputs.interval);
  if (inputs.mode !== "observe") {
    await Promise.all(
      needBaseline.filter((g) => !baselines.has(g.name)).map(async (g) => {
        const reading = await deps.sample(g, sampleEnv, sampleTimeoutMs);
        baselines.set(g.name, reading);
        io.info(`baseline ${g.name}: ${reading.kind === "value" ? fmt(reading.value) : `no data (${reading.reason}: ${reading.detail})`}`);
      }),
    );
  }
  outputs.baseline = JSON.stringify(Object.fromEntries([...baselines].flatMap(([n, r]) => (r.kind === "value" && Number.isFinite(r.value) ? [[n, r.value]] : []))));
  setOutputs(io, { baseline: outputs.baseline });

  // The flag moves after the baselines (they measure the old state) and before the window opens.
  if (inputs.mode !== "observe") await serveStageFlag(inputs, { ...payloadFlagFacts(payload), requestedBy: payload.requestedBy, label }, deploymentId, deps);

  const shiftEnv = { ...sampleEnv, RELEASE_DEPLOYMENT_ID: deploymentId !== undefined ? String(deploymentId) : "", RELEASE_SHA: sha };
  return { stage, percent, environment, release, sha, label, payload, deploymentId, observeMs, gatePlan, compare, baselines, sampleEnv, shiftEnv, sampleTimeoutMs, startedAt, outputs };
}

function expanded<T>(result: ExpandResult<T>): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function triggersFromBody(body: string | null): RollbackTrigger[] {
  const section = parsePlan(body, defaultConfig().headings).sections.rollback;
  return section ? parseTriggers(section.lines) : [];
}

function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
