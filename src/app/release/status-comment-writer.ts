// Writes the one status comment per PR: rollout timeline, who did what and when, links, the answer
// to the last command, and a hidden JSON state block (override requests). One write per call.
import { deriveRollout } from "../../core/rollout/derive-rollout.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { GitHubClient } from "../../github/client.js";
import { upsertStatusComment, type StatusCommentRef } from "../../github/status-comment.js";
import type { ReleaseFacts, ReleaseTarget } from "./release-facts.js";
import type { CommandRequest } from "./run-release-command.js";
import { parseStatusState, renderStatusComment, STATUS_MARKER, type StatusState } from "./status-comment-render.js";

export { STATUS_MARKER };
export type { StatusState };

export type StatusStateUpdate = (previous: StatusState) => StatusState;

export interface StatusAnswer {
  result: "done" | "refused" | "unchanged";
  code: string;
  message: string;
  links?: { label: string; url: string }[];
}

export interface StatusWrite {
  target: ReleaseTarget;
  existing: StatusCommentRef | undefined;
  facts?: ReleaseFacts;
  /** A command, or another trigger (a protection-rule request, a stage result). */
  request?: CommandRequest;
  trigger?: { what: string; actor: string | null; url?: string };
  answer: StatusAnswer;
  now?: Date;
  stateUpdate?: StatusStateUpdate;
  refreshedDeployments?: DeploymentRecord[];
}

export function previousState(existing: StatusCommentRef | undefined): StatusState {
  return parseStatusState(existing?.body);
}

/** Renders and writes the comment; returns the number of writes (always 1). */
export async function writeStatusComment(octokit: GitHubClient, write: StatusWrite): Promise<number> {
  const previous = previousState(write.existing);
  const state = write.stateUpdate ? write.stateUpdate(previous) : previous;
  const facts = write.facts;
  const rollout =
    facts && write.refreshedDeployments
      ? deriveRollout({ release: write.target.pullNumber, plan: facts.plan, deployments: write.refreshedDeployments })
      : facts?.rollout;
  const trigger = write.trigger ?? describeRequest(write.request);
  const body = renderStatusComment({
    release: write.target.pullNumber,
    rollout: rollout ?? null,
    environment: facts?.config.rollout.environment ?? null,
    paused: facts?.paused ?? false,
    state,
    last: { ...trigger, at: (write.now ?? new Date()).toISOString(), ...write.answer },
  });
  await upsertStatusComment(octokit, { ...write.target, issueNumber: write.target.pullNumber, existingId: write.existing?.id, body });
  return 1;
}

function describeRequest(request: CommandRequest | undefined): { what: string; actor: string | null; url?: string } {
  if (!request) return { what: "update", actor: null };
  const text = request.command.text.trim();
  const via = request.origin.source === "button" ? " (check-run button)" : "";
  const ignored = request.ignored > 0 ? ` (${request.ignored} more /release line${request.ignored > 1 ? "s" : ""} in the comment not run: one command per comment)` : "";
  return { what: `${text}${via}${ignored}`, actor: request.origin.actor.login, ...(request.commentUrl ? { url: request.commentUrl } : {}) };
}
