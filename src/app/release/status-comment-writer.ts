// Writes the one status comment per PR (rendered by the core: stages, timeline, who and when, links,
// the answer to the last command, help, and the hidden state block). One write per call.
import { helpText } from "../../core/commands/help-text.js";
import { DEFAULT_STAGES } from "../../core/config/schema.js";
import { parseStatusState, renderStatusComment, STATUS_MARKER, type CommandAnswer, type StatusState } from "../../core/render/status-comment.js";
import { deriveRollout } from "../../core/rollout/derive-rollout.js";
import type { DeploymentRecord, Refusal } from "../../core/rollout/types.js";
import type { GitHubClient } from "../../github/client.js";
import { deleteStatusComments, upsertStatusComment, type StatusCommentRef } from "../../github/status-comment.js";
import type { ReleaseFacts, ReleaseTarget } from "./release-facts.js";
import type { CommandRequest } from "./run-release-command.js";

export { STATUS_MARKER };

export type StatusStateUpdate = (previous: StatusState) => StatusState;

export interface StatusAnswer {
  result: "done" | "refused" | "unchanged";
  code: string;
  message: string;
  /** The guards' own refusals, when they decided; otherwise one is made from code and message. */
  refusals?: Refusal[];
}

export interface StatusWrite {
  target: ReleaseTarget;
  existing: StatusCommentRef | undefined;
  facts?: ReleaseFacts;
  /** A command, or another trigger (a protection-rule request, a stage result). */
  request?: CommandRequest;
  trigger?: { what: string; actor: string };
  answer: StatusAnswer;
  now?: Date;
  stateUpdate?: StatusStateUpdate;
  refreshedDeployments?: DeploymentRecord[];
}

/** The state remembered in the comment; an edited or missing block reads as empty. */
export function previousState(existing: StatusCommentRef | undefined): StatusState {
  return parseStatusState(existing?.body).state;
}

/** Adapter reason codes shown under the nearest refusal title of the core's renderer. */
const NEAREST: Record<string, Refusal["code"]> = {
  permission: "not-permitted",
  "fork-pre-merge": "not-merged",
  "invalid-config": "not-ready",
  "deployment-merged": "not-ready",
  "deployment-conflict": "not-ready",
  "nothing-deployed": "stage-order",
  "no-last-good": "rolled-back",
};

export function toAnswer(answer: StatusAnswer, command: string, actor: string): CommandAnswer {
  if (answer.code === "help") return { outcome: "help", actor, command };
  if (answer.code === "unknown-verb") return { outcome: "help", actor, command, unknownVerb: answer.message };
  if (answer.result !== "refused") return { outcome: "done", actor, command, message: answer.message };
  const refusals = answer.refusals ?? [{ code: NEAREST[answer.code] ?? (answer.code as Refusal["code"]), message: answer.message }];
  return { outcome: "refused", actor, command, refusals };
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
    answer: toAnswer(write.answer, trigger.what, trigger.actor),
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
