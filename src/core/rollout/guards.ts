// The guards every stage start passes: `/release advance`, the check-run button, and GitHub asking
// the app (deployment_protection_rule) whether a workflow job may deploy to the Environment.
import { checkPermission } from "../commands/permission-policy.js";
import type { RepoRole } from "../commands/types.js";
import type { ReleaseGateConfig } from "../config/schema.js";
import { code } from "../render/markdown.js";
import { utcMinute } from "../time-text.js";
import { blackoutAt, releaseWindowAt, windowsFor } from "./blackout.js";
import { deriveRollout } from "./derive-rollout.js";
import { planRollback } from "./plan-rollback.js";
import { isTrustedDeployment } from "./trust.js";
import type { Decision, DeploymentRecord, Refusal, RolloutInput, RolloutState, StageView } from "./types.js";

/** What the adapter knows about the PR being released. */
export interface ReleasePull {
  merged: boolean;
  /** Closed without merging: nothing more may start. */
  closed?: boolean;
  mergeCommitSha: string | null;
  headSha: string;
  labels: readonly string[];
}

export interface AdvanceContext {
  state: RolloutState;
  pull: ReleasePull;
  /** The `Release readiness` check run on the PR head SHA; null when there is none yet. */
  readiness: { sha: string; passed: boolean } | null;
  /** An approved override (see override-policy.ts); it counts only for the SHA it was approved on. */
  override: { sha: string } | null;
  config: {
    rollout: Pick<ReleaseGateConfig["rollout"], "allow-pre-merge" | "pause-label" | "blackout"> & Partial<Pick<ReleaseGateConfig["rollout"], "release-windows">>;
  };
  /** `advance <stage>`: the stage asked for; omitted for a plain `advance`. */
  requestedStage?: string;
  now: Date;
}

/**
 * Whether the next stage may start, and which stage and SHA it deploys (the merge commit once the PR
 * is merged, its head before). A plain `advance` starts the stage after the furthest one started; a
 * named stage must be that same stage, or the current stage when it failed (a retry). Terminal states
 * (rolled back, complete) and order violations are reported alone; the other guards all report.
 */
export function decideAdvance(ctx: AdvanceContext): Decision {
  const { state } = ctx;
  if (state.rolledBack) {
    return refuse({ code: "rolled-back", message: "This release was rolled back; ship a fix in a new pull request." });
  }
  const last = state.stages.length - 1;
  const current = state.currentIndex >= 0 ? state.stages[state.currentIndex] : undefined;
  let target: number;
  if (ctx.requestedStage !== undefined) {
    const wanted = ctx.requestedStage.trim().toLowerCase();
    target = state.stages.findIndex((s) => s.name.toLowerCase() === wanted);
    if (target === -1) {
      const names = state.stages.map((s) => s.name).join(", ");
      return refuse({ code: "unknown-stage", message: `There is no stage ${code(ctx.requestedStage, 60)}; the stages are ${names}.` });
    }
    const retry = target === state.currentIndex && current?.phase === "failure";
    if (target !== state.currentIndex + 1 && !retry) {
      const next = state.currentIndex + 1 <= last ? state.stages[state.currentIndex + 1]!.name : undefined;
      if (target <= state.currentIndex && current?.phase === "success" && state.currentIndex === last) return complete(state);
      const why = target <= state.currentIndex ? `${state.stages[target]!.name} has already started` : "stages cannot be skipped";
      return refuse({ code: "stage-order", message: next ? `${why}; the next stage is ${next}.` : `${why}.` });
    }
  } else if (current?.phase === "success" && state.currentIndex === last) {
    return complete(state);
  } else {
    target = Math.min(state.currentIndex + 1, last);
    if (current?.phase === "failure" && state.currentIndex === last) target = last + 1;
  }

  const refusals: Refusal[] = [];
  const busy = state.stages.find((s) => s.phase === "queued" || s.phase === "in_progress");
  if (busy) refusals.push({ code: "in-progress", message: `Stage ${busy.name} is still ${busy.phase === "queued" ? "queued" : "running"}; wait for it to finish.` });

  const previous = state.stages[target - 1];
  if (current?.phase === "failure" && target !== state.currentIndex) {
    refusals.push({
      code: "previous-stage-not-successful",
      message: `Stage ${current.name} failed; roll back with \`/release rollback\` or retry it with \`/release advance ${current.name}\`.`,
    });
  } else if (previous && !busy) {
    if (previous.phase !== "success") {
      refusals.push({ code: "previous-stage-not-successful", message: `Stage ${previous.name} has not succeeded (it is ${previous.phase}).` });
    } else if (previous.observeEndsAt && Date.parse(previous.observeEndsAt) > ctx.now.getTime()) {
      refusals.push({
        code: "observation-window",
        message: `Stage ${previous.name} is under observation for ${previous.observe} until ${utcMinute(previous.observeEndsAt, { roundUp: true })}.`,
        until: previous.observeEndsAt,
      });
    }
  }

  const { pull } = ctx;
  if (pull.closed && !pull.merged) {
    refusals.push({ code: "not-merged", message: "The pull request was closed without merging." });
  } else if (!pull.merged && !ctx.config.rollout["allow-pre-merge"]) {
    refusals.push({ code: "not-merged", message: "The pull request is not merged; stages start after merge (`rollout.allow-pre-merge` is off)." });
  }

  const overridden = ctx.override !== null && ctx.override.sha === pull.headSha;
  const ready = ctx.readiness !== null && ctx.readiness.sha === pull.headSha && ctx.readiness.passed;
  if (!ready && !overridden) {
    const where = `the head commit ${pull.headSha.slice(0, 7)}`;
    refusals.push({
      code: "not-ready",
      message: ctx.readiness?.sha === pull.headSha ? `The readiness check failed on ${where}.` : `The readiness check has not passed on ${where}.`,
    });
  }

  const pauseLabel = ctx.config.rollout["pause-label"];
  if (pull.labels.some((l) => l.toLowerCase() === pauseLabel.toLowerCase())) {
    refusals.push({ code: "paused", message: `The rollout is paused (label ${pauseLabel}); \`/release resume\` lifts it.` });
  }

  // Windows scoped to environments judge the stage about to start, in its environment (region).
  const environment = state.stages[Math.min(target, last)]?.environment;
  const where = environment !== undefined && ctx.config.rollout.blackout.some((w) => w.environments) ? ` for \`${environment}\`` : "";
  const blackout = blackoutAt(windowsFor(ctx.config.rollout.blackout, environment), ctx.now);
  if (blackout.blocked) {
    refusals.push({
      code: "blackout",
      message: `Blackout window ${blackout.window.name}${where} is in force until ${utcMinute(blackout.endsAt, { roundUp: true })}.`,
      until: blackout.endsAt,
    });
  }
  const allowed = releaseWindowAt(ctx.config.rollout["release-windows"] ?? [], environment, ctx.now);
  if (!allowed.open) {
    const names = allowed.windows.map((w) => w.name).join(", ");
    const envText = environment !== undefined ? `\`${environment}\`` : "this environment";
    refusals.push({
      code: "release-window",
      message: `Stages in ${envText} start only inside its release window (${names})${allowed.opensAt ? `; the next opens at ${utcMinute(allowed.opensAt)}` : "; none opens within a week"}.`,
      ...(allowed.opensAt ? { until: allowed.opensAt } : {}),
    });
  }

  if (target > last) {
    // Only reached when the last stage failed and a plain advance was asked: nothing comes after it.
    return refusals.length > 0 ? { allowed: false, refusals } : refuse({ code: "stage-order", message: "There is no stage after the last one." });
  }
  if (refusals.length > 0) return { allowed: false, refusals };
  const stage = state.stages[target]!;
  const sha = pull.merged ? (pull.mergeCommitSha ?? pull.headSha) : pull.headSha;
  return { allowed: true, stage, index: target, sha };
}

export type ProtectionDecision =
  | { state: "approved"; comment: string; stage: StageView | null }
  | { state: "rejected"; comment: string; refusals: Refusal[] };

/** The environment's comment field takes at most 1,024 characters. */
const COMMENT_MAX = 1_000;

/** The person who asked for the deployment (see the protection-rule adapter) and their role. */
export interface Requester {
  login: string;
  role: RepoRole | null;
  /** The roles `/release advance` needs, from the config. */
  commands: Pick<ReleaseGateConfig["commands"], "permission" | "final-stage-permission">;
}

/**
 * The answer to `deployment_protection_rule` for a deployment that already exists. The state is
 * derived without that deployment (it is the step being asked about), then the same guards as
 * `advance` decide with its payload's stage named: it must be exactly the next allowed stage, on the
 * SHA that stage would deploy, asked for by someone with the role `/release advance` would need (the
 * final stage: `commands.final-stage-permission`). With `rollout.trust`, a deployment Release Gate did
 * not create is rejected whatever it carries. A rollback is approved only onto the commit the
 * last-good rule picks (planRollback), so a hand-made "rollback" cannot deploy an arbitrary commit.
 */
export function decideProtectionRule(
  ctx: Omit<AdvanceContext, "state" | "requestedStage"> & {
    rollout: RolloutInput;
    deployment: DeploymentRecord;
    /** Who asked for the deployment; omitted when Release Gate itself did (a rollback it planned). */
    requester?: Requester;
  },
): ProtectionDecision {
  const { deployment } = ctx;
  const payload = deployment.payload;
  if (!payload || payload.release !== ctx.rollout.release) {
    return reject([
      {
        code: "not-release-gate",
        message:
          "This deployment carries no Release Gate stage payload ({ stage, percent, release }); start stages with `/release advance` on the pull request.",
      },
    ]);
  }
  const refusals: Refusal[] = [];
  if (ctx.rollout.trust && !isTrustedDeployment(deployment, ctx.rollout.trust)) {
    refusals.push({
      code: "not-trusted",
      message: `Deployment #${deployment.id} by ${deployment.creator ?? "an unknown account"} was not created by Release Gate; start stages with \`/release advance\` and roll back with \`/release rollback\`.`,
    });
  }
  const state = deriveRollout({ ...ctx.rollout, deployments: ctx.rollout.deployments.filter((d) => d.id !== deployment.id) });
  if (payload.rollback) {
    const plan = planRollback(state, payload.rollback.reason);
    // Each environment the release reached rolls back to its own last good SHA.
    const reached = plan.environments.find((e) => e.environment === deployment.environment) ?? plan.environments.find((e) => e.environment === undefined);
    const target = reached ? reached.targetSha : plan.environments.length === 0 ? plan.targetSha : null;
    if (target !== deployment.sha) {
      refusals.push({
        code: "wrong-rollback-target",
        message: target
          ? `A rollback of this release redeploys the last good commit ${target.slice(0, 7)}, not ${deployment.sha.slice(0, 7)}.`
          : `This environment has no earlier successful deployment, so no rollback may deploy ${deployment.sha.slice(0, 7)}.`,
      });
    }
    if (refusals.length > 0) return reject(refusals);
    return { state: "approved", comment: `Rollback approved: ${payload.rollback.reason}`.slice(0, COMMENT_MAX), stage: null };
  }
  const decision = decideAdvance({ ...ctx, state, requestedStage: payload.stage });
  if (!decision.allowed) refusals.push(...decision.refusals);
  else {
    if (decision.sha !== deployment.sha) {
      refusals.push({ code: "wrong-sha", message: `Stage ${payload.stage} must deploy ${decision.sha.slice(0, 7)}, not ${deployment.sha.slice(0, 7)}.` });
    }
    // Regions: a stage approved for one environment must not land in another.
    const where = decision.stage.environment;
    if (where !== undefined && where !== deployment.environment) {
      refusals.push({ code: "wrong-environment", message: `Stage ${payload.stage} deploys to ${where}, not ${deployment.environment}.` });
    }
  }
  if (ctx.requester) {
    const index = state.stages.findIndex((s) => s.name.toLowerCase() === payload.stage.toLowerCase());
    const finalStage = index !== -1 && index === state.stages.length - 1;
    const permission = checkPermission("advance", ctx.requester.role, { commands: ctx.requester.commands, finalStage });
    if (!permission.allowed) {
      const has = permission.role === null ? "no access to this repository" : `the ${permission.role} role`;
      refusals.push({
        code: "not-permitted",
        message: `${finalStage ? `Stage ${payload.stage} is the last stage and needs` : "Starting a stage needs"} the ${permission.required} role or higher; ${ctx.requester.login}, who asked for this deployment, has ${has}.`,
      });
    }
  }
  if (refusals.length > 0 || !decision.allowed) return reject(refusals);
  return { state: "approved", comment: `Stage ${decision.stage.name} (${decision.stage.percent}%) approved by Release Gate.`, stage: decision.stage };
}

function reject(refusals: Refusal[]): ProtectionDecision {
  const comment = refusals.map((r) => r.message).join(" ");
  return { state: "rejected", refusals, comment: comment.length > COMMENT_MAX ? `${comment.slice(0, COMMENT_MAX - 1)}…` : comment };
}

function refuse(refusal: Refusal): Decision {
  return { allowed: false, refusals: [refusal] };
}

function complete(state: RolloutState): Decision {
  const last = state.stages.at(-1)!;
  return refuse({ code: "already-complete", message: `The rollout is complete: ${last.name} (${last.percent}%) succeeded.` });
}
