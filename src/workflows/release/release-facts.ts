// Everything a `/release` command (or a button, or a protection-rule request) decides on, read live
// from GitHub: config, the PR, its readiness run, the environment's deployments, the status comment.
// Reads only; the writes happen in the verb that acts.
import type { ReleaseTarget } from "../../core/commands/types.js";
import type { ReleaseGateConfig, Stage } from "../../core/config/schema.js";
import type { RollbackTrigger } from "../../core/plan/parse-triggers.js";
import { deriveRollout } from "../../core/rollout/derive-rollout.js";
import { plannedStages } from "../../core/rollout/stage-payload.js";
import type { GateIdentity } from "../../core/identity.js";
import { trustPolicy, type TrustPolicy } from "../../core/rollout/trust.js";
import type { DeploymentRecord, RolloutState } from "../../core/rollout/types.js";
import { evaluateReadiness } from "../../core/rules/evaluate-readiness.js";
import { findReadinessRun, type ExistingCheckRun } from "../../github/check-runs.js";
import type { GitHubClient } from "../../github/client.js";
import { listReleaseDeployments } from "../../github/deployments.js";
import { getPullFacts, type LivePull } from "../../github/pull-facts.js";
import { findStatusComment, type StatusCommentRef } from "../../github/status-comment.js";
import { loadConfig, type ConfigPluginClient } from "../load-config.js";

export interface ReleaseFacts {
  target: ReleaseTarget;
  config: ReleaseGateConfig;
  configSource: string;
  live: LivePull;
  /** What a stage deploys: the merge commit once merged, the head before (pre-merge canaries). */
  deploySha: string;
  /** From a fork: its code is never deployed before a maintainer merged it. */
  fromFork: boolean;
  /**
   * The plan this PR gets (a high-risk group's slower stages replace the configured ones), each stage
   * with its environment filled in.
   */
  plan: Stage[];
  triggers: RollbackTrigger[];
  readiness: ExistingCheckRun | undefined;
  /** Who Release Gate writes as here (core/identity.ts), and whose records count (core/rollout/trust.ts). */
  identity: GateIdentity;
  trust: TrustPolicy;
  /** Every deployment read, trusted or not; `rollout` is derived from the trusted ones only. */
  deployments: DeploymentRecord[];
  rollout: RolloutState;
  paused: boolean;
  statusComment: StatusCommentRef | undefined;
}

export type FactsResult = { ok: true; facts: ReleaseFacts } | { ok: false; reason: "invalid-config"; message: string; statusComment: StatusCommentRef | undefined };

export async function gatherReleaseFacts(
  octokit: GitHubClient & ConfigPluginClient,
  target: ReleaseTarget,
  options: { marker: string; identity: GateIdentity },
): Promise<FactsResult> {
  const [loaded, live, statusComment] = await Promise.all([
    loadConfig(octokit, target),
    getPullFacts(octokit, target),
    findStatusComment(octokit, { ...target, issueNumber: target.pullNumber, marker: options.marker, identity: options.identity }),
  ]);
  if (!loaded.ok) {
    const first = loaded.problems[0];
    return {
      ok: false,
      reason: "invalid-config",
      message: `Release Gate cannot read its configuration (${loaded.source}${first ? `: line ${first.line}, ${first.message}` : ""}); fix it on the default branch.`,
      statusComment,
    };
  }
  const config = loaded.config;
  const trust = trustPolicy(options.identity, config.rollout["status-writers"]);
  const verdict = evaluateReadiness(live.facts, config);
  const deploySha = live.merged && live.mergeCommitSha ? live.mergeCommitSha : live.facts.headSha;
  const plan = plannedStages(verdict.stages, config.rollout.environment);
  // Regions: each environment of the plan is read on its own (its history, its last good SHA).
  const environments = [...new Set(plan.map((s) => s.environment!))];
  const [readiness, ...perEnvironment] = await Promise.all([
    findReadinessRun(octokit, { ...target, headSha: live.facts.headSha, appId: options.identity.appId }),
    ...environments.map((environment) => listReleaseDeployments(octokit, { ...target, environment, release: target.pullNumber, trust })),
  ]);
  const deployments = (perEnvironment as DeploymentRecord[][]).flat();
  const rollout = deriveRollout({ release: target.pullNumber, plan, deployments, trust });
  const fromFork = live.headRepo !== undefined && (live.headRepo.owner !== live.baseRepo.owner || live.headRepo.repo !== live.baseRepo.repo);
  const pauseLabel = config.rollout["pause-label"].toLowerCase();
  return {
    ok: true,
    facts: {
      target,
      config,
      configSource: loaded.source,
      live,
      deploySha,
      fromFork,
      plan,
      triggers: verdict.triggers,
      readiness,
      identity: options.identity,
      trust,
      deployments,
      rollout,
      paused: live.facts.labels.some((l) => l.toLowerCase() === pauseLabel),
      statusComment,
    },
  };
}
