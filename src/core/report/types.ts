// The release report's facts and model: what the adapters read from GitHub (plain records, already
// filtered to what the gate wrote where that matters) and the per-release story the site renders.
import type { DeploymentRecord, IgnoredRecord, StageView, TimelineEntry } from "../rollout/types.js";
import type { TrustPolicy } from "../rollout/trust.js";
import type { SectionHeadings } from "../plan/parse-plan.js";

/** The PR behind a release, as the pulls API gives it. */
export interface PullSummary {
  number: number;
  title: string;
  author: string;
  url: string;
  body: string | null;
  headSha: string;
  mergedAt: string | null;
  /** Author date of the PR's oldest commit: where lead time starts. */
  firstCommitAt: string | null;
}

/** The `Release readiness` run of the gate's own app on the PR head (others are never read). */
export interface ReadinessSummary {
  conclusion: string | null;
  title: string;
  summary: string;
  url: string | null;
  /** Set when the run carries an approved override. */
  override?: { approver: string; requester: string; issue: number };
}

/** Any check run on the PR head: shown in the Stage frame for reference, never decided on. */
export interface CheckSummary {
  name: string;
  app: string | null;
  status: string;
  conclusion: string | null;
  url: string | null;
}

/** A follow-up issue the gate itself opened, recognised by its author and title. */
export type GateIssue =
  | { kind: "post-mortem"; release: number; number: number; url: string; requester: string; requestedAt: string; approver: string; approvedAt: string; reason: string }
  | { kind: "flag-removal"; release: number; number: number; url: string; flag: string };

export interface ReportFacts {
  owner: string;
  repo: string;
  environment: string;
  /** The web page of the repository (`https://github.com/o/r`); links are built under it. */
  repoUrl: string;
  /** When the report was built (ISO 8601): open windows and the frequency period end here. */
  now: string;
  rollbackSloMs: number;
  trust: TrustPolicy;
  /** The config's section headings, to show the release plan the readiness check read. */
  headings: SectionHeadings;
  /** Every deployment of the environment read, trusted or not (the model filters). */
  deployments: DeploymentRecord[];
  pulls: Record<number, PullSummary>;
  readiness: Record<number, ReadinessSummary>;
  checks: Record<number, CheckSummary[]>;
  statusComments: Record<number, string>;
  issues: GateIssue[];
}

export type ReleaseState = "complete" | "rolling-out" | "rolled-back" | "failed";

export interface RollbackStory {
  deploymentId: number;
  sha: string;
  reason: string;
  by: string | null;
  /** The failed stage's trusted failure status; absent for a rollback asked for without a breach. */
  breach?: { at: string; stage: string; description: string };
  startedAt: string;
  /** The rollback deployment's first trusted success: users are on the last good version again. */
  restoredAt?: string;
  /** startedAt → restoredAt: how long reverting took. */
  durationMs?: number;
  /** breach (else startedAt) → restoredAt. */
  restoreMs?: number;
  withinSlo?: boolean;
  timeline: TimelineEntry[];
}

export interface OverrideStory {
  requester: string;
  approver: string;
  requestedAt?: string;
  approvedAt?: string;
  latencyMs?: number;
  reason?: string;
  issue?: { number: number; url: string };
}

export interface ReleaseStory {
  number: number;
  title: string;
  author: string | null;
  pullUrl: string | null;
  /** The release plan's sections as the readiness check reads them (headings from the config). */
  plan: Array<{ heading: string; lines: string[] }>;
  state: ReleaseState;
  sha: string | null;
  stages: StageView[];
  timeline: TimelineEntry[];
  /** Trigger labels from the deployment payload: the rollback contract's gates. */
  triggers: string[];
  firstCommitAt: string | null;
  startedAt: string;
  /** The final stage's success: the verify window has passed (the runner reports success after it). */
  completedAt?: string;
  leadTimeMs?: number;
  verify?: { stage: string; percent: number; observe: string; startedAt?: string; endedAt?: string; phase: StageView["phase"] };
  rollback?: RollbackStory;
  override?: OverrideStory;
  /** A stage failed (stage failure or error status) at some point. */
  stageFailed: boolean;
  readiness?: ReadinessSummary;
  checks: CheckSummary[];
  flagIssue?: { number: number; url: string; flag: string };
  statusCommentUrl?: string;
  ignored: IgnoredRecord[];
}
