// The types the `/release` workflow's files share: what a verb is given and what it returns.
import type { Answer } from "../../core/commands/command-answer.js";
import type { CommandRequest, RepoRole } from "../../core/commands/types.js";
import type { StatusState } from "../../core/render/status-comment.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { Logger } from "../logger.js";
import type { ReleaseFacts } from "./release-facts.js";

/** Changes to the hidden state kept in the status comment (override requests and approvals). */
export type StatusStateUpdate = (previous: StatusState) => StatusState;

export interface VerbContext {
  facts: ReleaseFacts;
  request: CommandRequest;
  now: Date;
  role: RepoRole;
  log: Logger;
}

/** What a verb did; `writes` lets the caller log and tests prove the write budget. */
export type VerbResult = Answer & {
  writes: number;
  links?: { label: string; url: string }[];
  stateUpdate?: StatusStateUpdate;
  /** The environment's deployments after this verb, so the comment shows them without a re-read. */
  refreshedDeployments?: DeploymentRecord[];
};
