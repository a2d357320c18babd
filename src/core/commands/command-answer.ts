// The result codes of a `/release` command (and of the other triggers that edit the status comment),
// typed from the verb that decides them to the renderer that shows them.
import type { CommandAnswer } from "../render/status-comment.js";
import type { Refusal } from "../rollout/types.js";

/** Refusals decided outside the guards, each shown under the nearest guard refusal's title. */
export const NEAREST_REFUSAL = {
  permission: "not-permitted",
  "fork-pre-merge": "not-merged",
  "invalid-config": "not-ready",
  "deployment-merged": "not-ready",
  "deployment-conflict": "not-ready",
  "nothing-deployed": "stage-order",
  "no-last-good": "rolled-back",
  rejected: "not-ready",
} as const satisfies Record<string, Refusal["code"]>;

export type AdapterRefusalCode = keyof typeof NEAREST_REFUSAL;
/** `unknown-verb` is answered with the help text, never as a refusal line. */
export type RefusedCode = Refusal["code"] | AdapterRefusalCode | "unknown-verb";

export type DoneCode =
  | "help"
  | "status"
  | "advanced"
  | "rolled-back"
  | "paused"
  | "resumed"
  | "override-requested"
  | "override-approved"
  // Rollback with nothing to redeploy still marks the live stage failed.
  | "nothing-deployed"
  | "no-last-good"
  // A stage's deployment reported a terminal state.
  | "stage-success"
  | "stage-failure"
  | "stage-error";

export type UnchangedCode = "already-claimed" | "already-paused" | "not-paused" | "already-overridden";

export type AnswerCode =
  | { result: "done"; code: DoneCode }
  | { result: "unchanged"; code: UnchangedCode }
  | { result: "refused"; code: RefusedCode };

export type Answer = AnswerCode & {
  message: string;
  /** The guards' own refusals, when they decided; otherwise one is made from code and message. */
  refusals?: Refusal[];
};

export function nearestRefusal(code: Exclude<RefusedCode, "unknown-verb">): Refusal["code"] {
  return code in NEAREST_REFUSAL ? NEAREST_REFUSAL[code as AdapterRefusalCode] : (code as Refusal["code"]);
}

/** What the status comment shows for an answer: help (asked for, or an unknown verb), done, or refused. */
export function toCommandAnswer(answer: Answer, command: string, actor: string): CommandAnswer {
  if (answer.code === "help") return { outcome: "help", actor, command };
  if (answer.code === "unknown-verb") return { outcome: "help", actor, command, unknownVerb: answer.message };
  if (answer.code === "stage-failure" || answer.code === "stage-error") return { outcome: "failed", actor, command, message: answer.message };
  if (answer.result !== "refused") return { outcome: "done", actor, command, message: answer.message };
  const refusals = answer.refusals ?? [{ code: nearestRefusal(answer.code), message: answer.message }];
  return { outcome: "refused", actor, command, refusals };
}
