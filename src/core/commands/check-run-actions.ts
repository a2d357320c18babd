// The readiness check's buttons (check run `actions`): each maps to a command and goes through the
// same permission checks and guards as the comment. GitHub's limits: 3 actions, label and identifier
// at most 20 characters, description at most 40.
import type { RolloutState } from "../rollout/types.js";
import type { Command, Verb } from "./types.js";

export interface CheckRunAction {
  label: string;
  identifier: string;
  description: string;
}

const ACTIONS: Record<"advance" | "rollback" | "status", CheckRunAction> = {
  advance: { label: "Advance stage", identifier: "release-advance", description: "Start the next rollout stage" },
  rollback: { label: "Roll back", identifier: "release-rollback", description: "Redeploy the last good version" },
  status: { label: "Refresh status", identifier: "release-status", description: "Update the rollout status comment" },
};

/** The buttons that make sense now: no advance once complete or rolled back, no rollback before a stage. */
export function checkRunActions(state: RolloutState | null): CheckRunAction[] {
  const actions: CheckRunAction[] = [];
  const started = state !== null && state.currentIndex >= 0;
  const complete = state !== null && state.currentIndex === state.stages.length - 1 && state.stages.at(-1)?.phase === "success";
  if (!state?.rolledBack && !complete) actions.push(ACTIONS.advance);
  if (started && !state.rolledBack) actions.push(ACTIONS.rollback);
  actions.push(ACTIONS.status);
  return actions;
}

/** The command a button stands for; undefined for identifiers that are not ours. */
export function commandFromAction(identifier: string): Command | undefined {
  for (const [verb, action] of Object.entries(ACTIONS) as Array<[Verb, CheckRunAction]>) {
    if (action.identifier === identifier) {
      const args = verb === "rollback" ? ["requested from the readiness check"] : [];
      return { kind: "command", verb, args, line: 0, text: `/release ${verb}` };
    }
  }
  return undefined;
}
