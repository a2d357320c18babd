// The contract between the pure rollout state machine and the adapters that read GitHub.
// State is derived solely from the environment's Deployments and their statuses (plus the pause
// label); nothing else is stored.
import type { Stage } from "../config/schema.js";
import type { DeploymentPayload } from "./deployment-payload.js";
import type { Identity } from "../identity.js";

export type DeploymentState = "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";

/** A Deployment as the adapter read it: statuses newest first, as GitHub lists them. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  creator: string | null;
  /** `performed_via_github_app.id`: the app that created it, when one did. */
  viaApp?: number | null;
  /** Parsed Release Gate payload; null when the deployment is not one of ours. */
  payload: DeploymentPayload | null;
  statuses: Array<{ state: DeploymentState; createdAt: string; description?: string; logUrl?: string; creator?: string | null; viaApp?: number | null }>;
}

export type StagePhase = "pending" | "queued" | "in_progress" | "success" | "failure" | "rolled-back";

export interface StageView {
  name: string;
  percent: number;
  /** The GitHub Environment the stage deploys to, when the plan names one (regions). */
  environment?: string;
  /** The cohort the stage turns on, when it is a cohort stage. */
  cohort?: string;
  observe: string;
  observeMs: number;
  phase: StagePhase;
  deploymentId?: number;
  sha?: string;
  /** Who started the stage: payload.requestedBy, else the deployment's creator. */
  by?: string | null;
  startedAt?: string;
  finishedAt?: string;
  /** When the observation window of a successful stage ends (startedAt of success + observe). */
  observeEndsAt?: string;
}

export interface TimelineEntry {
  at: string;
  stage: string;
  percent: number;
  state: DeploymentState;
  by: string | null;
  deploymentId: number;
  description?: string;
  logUrl?: string;
}

export interface RolloutState {
  release: number;
  plan: Stage[];
  stages: StageView[];
  /** Index of the furthest stage started, -1 before the first. */
  currentIndex: number;
  rolledBack: boolean;
  /**
   * Newest SHA with a successful deployment in the environment that is not part of this release: the
   * environment of the furthest stage started (else of the first stage).
   */
  lastGoodSha: string | null;
  /** The same per environment of the plan (regions each have their own last good SHA). */
  lastGood: Record<string, string | null>;
  timeline: TimelineEntry[];
  /** Records left out because Release Gate's identities did not write them (see trust.ts). */
  ignored: IgnoredRecord[];
  /** The newest rollback deployment of this release, when there is one. */
  rollback?: {
    deploymentId: number;
    sha: string;
    /** The stage deployment it rolled back. */
    of: number;
    reason: string;
    at: string;
    by: string | null;
    state: DeploymentState;
  };
  /** Every rollback deployment of this release, newest first (one per environment it reached). */
  rollbacks: Array<{ deploymentId: number; environment: string; sha: string; state: DeploymentState }>;
}

export interface RolloutInput {
  release: number;
  plan: Stage[];
  /**
   * Every deployment of the plan's environments (other releases included: they give the last good
   * SHA). A stage counts only a deployment in its own environment when the plan names one.
   */
  deployments: DeploymentRecord[];
  /** When given, only the records this policy trusts count; the others land in `ignored`. */
  trust?: TrustPolicy;
}

/** Why a guard refused; `code` is stable for tests, `message` is shown to people. */
export interface Refusal {
  code:
    | "not-ready"
    | "not-merged"
    | "previous-stage-not-successful"
    | "observation-window"
    | "paused"
    | "blackout"
    | "release-window"
    | "stage-order"
    | "unknown-stage"
    | "already-complete"
    | "rolled-back"
    | "in-progress"
    // Protection rule: the deployment is not a Release Gate stage, or deploys another SHA.
    | "not-release-gate"
    | "wrong-sha"
    // Protection rule: a stage's deployment made in another environment (region) than its plan names.
    | "wrong-environment"
    // Protection rule: the deployment was not created by Release Gate, or a rollback targets another commit.
    | "not-trusted"
    | "wrong-rollback-target"
    // Commands and overrides (see src/core/commands/).
    | "not-permitted"
    | "no-reason"
    | "no-pending-override"
    | "own-pull-request"
    | "own-request"
    | "stale-override"
    // The request's comment changed or vanished since it was made; its requester lost the role.
    | "override-void"
    | "requester-not-permitted";
  message: string;
  /** When the refusal lifts by itself (observation window, blackout), ISO 8601. */
  until?: string;
}

export type Decision =
  | { allowed: true; stage: StageView; index: number; sha: string }
  | { allowed: false; refusals: Refusal[] };

/** Whose records count for the rollout (built by trust.ts's trustPolicy). */
export interface TrustPolicy {
  /** Whose deployments are Release Gate stages (and count for the last good SHA). */
  deploymentCreators: readonly Identity[];
  /** Whose statuses say how a stage went. */
  statusWriters: readonly Identity[];
}

/** A record left out because Release Gate's identities did not write it. */
export type IgnoredRecord =
  | { kind: "deployment"; deploymentId: number; by: string | null; sha: string; stage: string | null }
  | { kind: "status"; deploymentId: number; by: string | null; state: DeploymentState; stage: string | null };
