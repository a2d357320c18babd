// Writes the one status comment per PR (rendered by the core: stages, timeline, who and when, links,
// the answer to the last command, help, and the hidden state block). One write per call.
import { toCommandAnswer, type Answer } from "../../core/commands/command-answer.js";
import { helpText } from "../../core/commands/help-text.js";
import type { CommandRequest, ReleaseTarget } from "../../core/commands/types.js";
import { DEFAULT_STAGES } from "../../core/config/schema.js";
import { parseStatusState, renderStatusComment, STATUS_MARKER, type StatusState } from "../../core/render/status-comment.js";
import { deriveRollout } from "../../core/rollout/derive-rollout.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { GitHubClient } from "../../github/client.js";
import { deleteStatusComments, upsertStatusComment, type StatusCommentRef } from "../../github/status-comment.js";
import type { ReleaseFacts } from "./release-facts.js";
import type { StatusStateUpdate } from "./types.js";

export { STATUS_MARKER };

export interface StatusWrite {
  target: ReleaseTarget;
  existing: StatusCommentRef | undefined;
  facts?: ReleaseFacts;
  /** A command, or another trigger (a protection-rule request, a stage result). */
  request?: CommandRequest;
  trigger?: { what: string; actor: string };
  answer: Answer;
  now?: Date;
  stateUpdate?: StatusStateUpdate;
  refreshedDeployments?: DeploymentRecord[];
}

/** The state remembered in the comment; an edited or missing block reads as empty. */
export function previousState(existing: StatusCommentRef | undefined): StatusState {
  return parseStatusState(existing?.body).state;
}

/** Renders and writes the comment; returns the number of writes (1, plus any race copies removed). */
export async function writeStatusComment(octokit: GitHubClient, write: StatusWrite): Promise<number> {
  const previous = previousState(write.existing);
  const stored = write.stateUpdate ? write.stateUpdate(previous) : previous;
  const facts = write.facts;
  const release = write.target.pullNumber;
  const rollout = facts
    ? write.refreshedDeployments
      ? deriveRollout({ release, plan: facts.plan, deployments: write.refreshedDeployments, trust: facts.trust })
      : facts.rollout
    : deriveRollout({ release, plan: [], deployments: [] });
  const trigger = write.trigger ?? describeRequest(write.request);
  const config = facts?.config ?? { commands: { permission: "write" as const, "final-stage-permission": "maintain" as const }, rollout: { stages: DEFAULT_STAGES.map((s) => ({ ...s })) } };
  const body = renderStatusComment({
    rollout,
    stored,
    answer: toCommandAnswer(write.answer, trigger.what, trigger.actor),
    help: helpText(config as Parameters<typeof helpText>[0]),
    now: write.now ?? new Date(),
  });
  await upsertStatusComment(octokit, { ...write.target, issueNumber: release, existingId: write.existing?.id, body });
  const duplicates = write.existing?.duplicates ?? [];
  return 1 + (duplicates.length > 0 ? await deleteStatusComments(octokit, { ...write.target, ids: duplicates }) : 0);
}

function describeRequest(request: CommandRequest | undefined): { what: string; actor: string } {
  if (!request) return { what: "update", actor: "Release Gate" };
  const text = request.command.text.trim();
  const via = request.origin.source === "button" ? " (check-run button)" : "";
  const ignored = request.ignored > 0 ? ` (+${request.ignored} more /release line${request.ignored > 1 ? "s" : ""} not run: one command per comment)` : "";
  return { what: `${text}${via}${ignored}`, actor: request.origin.actor.login };
}
