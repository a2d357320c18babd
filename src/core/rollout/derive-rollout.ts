// The rollout of one release, derived only from the environment's Deployments and their statuses.
import type { DeploymentRecord, DeploymentState, RolloutInput, RolloutState, StagePhase, StageView, TimelineEntry } from "./types.js";
import { parseDuration } from "../gates/duration.js";
import { trustedHistory, type IgnoredRecord } from "./trust.js";

/**
 * Reads the state of release `input.release`:
 * - its stage deployments are those whose payload names the release and carries no `rollback`; the
 *   newest deployment of a stage (by creation, then id) is the one that counts, so a retried stage
 *   shows the retry;
 * - a stage's phase is its newest status other than `inactive` (GitHub marks older successful
 *   deployments inactive on its own when a newer one succeeds; that does not undo the stage);
 * - the observation window runs from the stage's first `success` status;
 * - a rollback deployment for the release makes the whole release rolled back;
 * - the last good SHA is the newest successful deployment of anything else in the environment that
 *   was not itself rolled back;
 * - with `input.trust`, records not written by Release Gate's identities are left out first and
 *   listed in `ignored`.
 */
export function deriveRollout(raw: RolloutInput): RolloutState {
  let ignored: IgnoredRecord[] = [];
  let input = raw;
  if (raw.trust) {
    const split = trustedHistory(raw.deployments, raw.trust);
    ignored = split.ignored;
    input = { ...raw, deployments: split.deployments };
  }
  const ours = input.deployments.filter((d) => d.payload?.release === input.release);
  const stageDeployments = ours.filter((d) => !d.payload?.rollback).sort(byCreation);
  const rollbacks = ours.filter((d) => d.payload?.rollback).sort(byCreation);
  const rolledBack = rollbacks.length > 0;

  // Newest last: a retried stage shows the retry. A stage whose plan names an environment counts only
  // deployments there, so a stage's name deployed into another region starts nothing.
  const newestOf = (stage: { name: string; environment?: string | undefined }) =>
    stageDeployments.findLast((d) => d.payload!.stage === stage.name && (stage.environment === undefined || d.environment === stage.environment));

  let currentIndex = -1;
  const stages: StageView[] = input.plan.map((stage, index) => {
    const observeMs = parseDuration(stage.observe);
    // The config schema checks every stage's window, so this is a plan built around the schema.
    if (observeMs === undefined) throw new Error(`stage ${stage.name}: not a duration: ${JSON.stringify(stage.observe)}`);
    const view: StageView = {
      name: stage.name,
      percent: stage.percent,
      ...(stage.environment !== undefined ? { environment: stage.environment } : {}),
      ...(stage.cohort !== undefined ? { cohort: stage.cohort } : {}),
      observe: stage.observe,
      observeMs,
      phase: "pending",
    };
    const deployment = newestOf(stage);
    if (!deployment) return view;
    currentIndex = index;
    view.deploymentId = deployment.id;
    view.sha = deployment.sha;
    view.startedAt = deployment.createdAt;
    view.by = deployment.payload!.requestedBy ?? deployment.creator;
    const phase = phaseOf(deployment);
    view.phase = rolledBack ? "rolled-back" : phase;
    const succeeded = firstStatus(deployment, "success");
    if (succeeded && phase === "success") {
      view.finishedAt = succeeded.createdAt;
      view.observeEndsAt = new Date(Date.parse(succeeded.createdAt) + observeMs).toISOString();
    } else if (phase === "failure") {
      view.finishedAt = deployment.statuses.find((s) => s.state === "failure" || s.state === "error")?.createdAt;
    }
    return view;
  });

  const rollback = rollbacks.at(-1);
  const lastGood: Record<string, string | null> = {};
  for (const stage of input.plan) {
    if (stage.environment !== undefined && !(stage.environment in lastGood)) {
      lastGood[stage.environment] = lastGoodSha(
        input.deployments.filter((d) => d.environment === stage.environment),
        { release: input.release },
      );
    }
  }
  const currentEnvironment = (stages[currentIndex] ?? stages[0])?.environment;
  const state: RolloutState = {
    release: input.release,
    plan: input.plan,
    stages,
    currentIndex,
    rolledBack,
    lastGoodSha: currentEnvironment !== undefined ? lastGood[currentEnvironment]! : lastGoodSha(input.deployments, { release: input.release }),
    lastGood,
    timeline: timeline(ours),
    ignored,
    rollbacks: rollbacks
      .map((d) => ({ deploymentId: d.id, environment: d.environment, sha: d.sha, state: newestState(d) }))
      .reverse(),
  };
  if (rollback) {
    state.rollback = {
      deploymentId: rollback.id,
      sha: rollback.sha,
      of: rollback.payload!.rollback!.of,
      reason: rollback.payload!.rollback!.reason,
      at: rollback.createdAt,
      by: rollback.payload!.requestedBy ?? rollback.creator,
      state: newestState(rollback),
    };
  }
  return state;
}

/** The state GitHub shows for a deployment: its newest status; `pending` when it has none. */
export function newestState(d: DeploymentRecord): DeploymentState {
  return d.statuses[0]?.state ?? "pending";
}

export function phaseOf(d: DeploymentRecord): StagePhase {
  const live = d.statuses.find((s) => s.state !== "inactive");
  switch (live?.state) {
    case undefined:
      // Only `inactive`: deactivated before it ran (a superseded or abandoned deployment).
      return d.statuses.length > 0 ? "failure" : "queued";
    case "pending":
    case "queued":
      return "queued";
    case "in_progress":
      return "in_progress";
    case "success":
      return "success";
    case "failure":
    case "error":
    default:
      return "failure";
  }
}

function firstStatus(d: DeploymentRecord, state: DeploymentState) {
  for (let i = d.statuses.length - 1; i >= 0; i--) if (d.statuses[i]!.state === state) return d.statuses[i];
  return undefined;
}

function byCreation(a: DeploymentRecord, b: DeploymentRecord): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;
}


function timeline(deployments: DeploymentRecord[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const d of deployments) {
    const stage = d.payload!.rollback ? "rollback" : d.payload!.stage;
    const percent = d.payload!.percent;
    const requester = d.payload!.requestedBy ?? d.creator;
    entries.push({ at: d.createdAt, stage, percent, state: "pending", by: requester, deploymentId: d.id, description: "created" });
    for (const s of d.statuses) {
      const entry: TimelineEntry = { at: s.createdAt, stage, percent, state: s.state, by: s.creator ?? d.creator, deploymentId: d.id };
      if (s.description) entry.description = s.description;
      if (s.logUrl) entry.logUrl = s.logUrl;
      entries.push(entry);
    }
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.deploymentId - b.deploymentId);
}

/**
 * Where a rollback returns; the app's `/release rollback` and the Action's automatic rollback both use
 * this, so they send production to the same commit. The newest commit that succeeded in the
 * environment, outside this release, preferring one that
 * served all traffic (a deployment made without Release Gate, a 100% stage, or a rollback, which
 * redeploys everything) over a stage of another release that never went further. Stages of releases
 * that were later rolled back do not count; neither does the commit being deployed now.
 */
export function lastGoodSha(deployments: readonly DeploymentRecord[], options: { release?: number; sha?: string } = {}): string | null {
  const rolledBack = new Set(deployments.filter((d) => d.payload?.rollback).map((d) => d.payload!.release));
  const good: Array<{ sha: string; at: number; id: number; full: boolean }> = [];
  for (const d of deployments) {
    if (options.release !== undefined && d.payload?.release === options.release) continue;
    if (options.sha !== undefined && d.sha === options.sha) continue;
    if (d.payload && !d.payload.rollback && rolledBack.has(d.payload.release)) continue;
    if (phaseOf(d) !== "success") continue;
    const success = d.statuses.find((s) => s.state === "success")!;
    // A cohort stage's 100 is of its cohort: that served a group, not all traffic.
    const full = d.payload === null || (d.payload.percent === 100 && d.payload.cohort === undefined) || d.payload.rollback !== undefined;
    good.push({ sha: d.sha, at: Date.parse(success.createdAt), id: d.id, full });
  }
  good.sort((a, b) => b.at - a.at || b.id - a.id);
  return (good.find((g) => g.full) ?? good[0])?.sha ?? null;
}
