// What the rules read (plain facts gathered by the adapters) and what they return.
import type { ConfigProblem } from "../config/parse-config.js";
import type { OverLimit } from "../limits.js";
import type { ReleaseGateConfig } from "../config/schema.js";
import type { ReleasePlan } from "../plan/parse-plan.js";
import type { RollbackTrigger } from "../plan/parse-triggers.js";
import type { MigrationReport } from "../sql/analyse-migrations.js";
import type { ExceptionAcceptance } from "./sql-exceptions.js";

export interface PullFacts {
  number: number;
  title: string;
  body: string | null;
  author: string;
  headSha: string;
  labels: string[];
  /** Paths changed by the PR (GitHub lists at most 3000). */
  changedFiles: string[];
  /** True when the PR changes more files than GitHub lists. */
  changedFilesTruncated: boolean;
  /** Logins whose latest review approves; only gathered when a high-risk rule needs it. */
  approvers?: string[];
  /** The SQL analysis of the changed migration files at the head; absent when not analysed. */
  migrationReport?: MigrationReport;
  /** Who accepted the SQL exceptions the migrations record; gathered only when there are some. */
  sqlExceptions?: ExceptionAcceptance;
  /** Problems in the `.github/release-gate.yml` this PR proposes, when it edits that file. */
  proposedConfigProblems?: ConfigProblem[];
  /** PR-controlled inputs refused before parsing for exceeding their caps (src/core/limits.ts); each fails its item. */
  overLimits?: OverLimit[];
}

export type ItemStatus = "pass" | "fail" | "not-applicable";

export interface ReadinessItem {
  id: string;
  title: string;
  status: ItemStatus;
  /** One line: why it passed, failed or does not apply. */
  reason: string;
  /** One line: what to do, for failures. */
  fix?: string;
  /** Failing a required item fails the check. */
  required: boolean;
}

export interface Annotation {
  path: string;
  startLine: number;
  endLine: number;
  level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface RuleInput {
  facts: PullFacts;
  plan: ReleasePlan;
  config: ReleaseGateConfig;
}

export interface RuleOutput {
  items: ReadinessItem[];
  annotations?: Annotation[];
  triggers?: RollbackTrigger[];
  /** Short facts the check's title shows whatever the verdict (e.g. "1 SQL exception awaiting acceptance"). */
  titleNotes?: string[];
}

export type Rule = (input: RuleInput) => RuleOutput;
