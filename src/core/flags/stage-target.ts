// What a stage asks of the flag, read from its deployment payload, and how a flag change is told in
// the audit record (a deployment status: who, what, from → to, within GitHub's 140 characters).
import type { DeploymentPayload } from "../rollout/deployment-payload.js";
import { cohortFromPayload } from "./cohort-definition.js";
import type { Cohort, FlagChange, FlagProvider, FlagState, FlagTarget } from "./driver.js";

export interface StageFlagFacts {
  /** The stage's percent: of its cohort for a cohort stage, of everyone else otherwise. */
  percent: number;
  /** Set on a cohort stage: the cohort it opens. */
  cohort?: string | undefined;
  /** Every cohort of this and earlier stages (they accumulate). */
  cohorts?: readonly Cohort[] | undefined;
}

/** What a stage deployment's payload asks of the flag (the app writes cohorts in their config shape). */
export function payloadFlagFacts(payload: Pick<DeploymentPayload, "percent" | "cohort" | "cohorts">): StageFlagFacts {
  return { percent: payload.percent, cohort: payload.cohort, cohorts: payload.cohorts?.map(cohortFromPayload) };
}

export type StageTargetResult = { ok: true; target: FlagTarget; note?: string } | { ok: false; message: string };

/**
 * A percent stage serves its percent of everyone outside the cohorts; a cohort stage serves its
 * cohorts and nobody else yet (cohort stages come before percent stages, so nobody loses the flag).
 */
export function stageFlagTarget(stage: StageFlagFacts, stickiness: string): StageTargetResult {
  const cohorts = [...(stage.cohorts ?? [])];
  if (stage.cohort === undefined) return { ok: true, target: { cohorts, percent: stage.percent, stickiness } };
  if (!cohorts.some((c) => c.name === stage.cohort)) {
    return { ok: false, message: `the stage opens cohort \`${stage.cohort}\` but the payload's \`cohorts\` (${cohorts.map((c) => c.name).join(", ") || "none"}) does not define it` };
  }
  // A flag serves a cohort whole: a share of one cohort would need a rule per cohort and percent.
  const note = stage.percent < 100 ? `cohort stage ${stage.cohort} asks for ${stage.percent}% of the cohort; the flag serves the whole cohort` : undefined;
  return { ok: true, target: { cohorts, percent: 0, stickiness }, ...(note ? { note } : {}) };
}

export const DEFAULT_STICKINESS: Record<FlagProvider, string> = { flagd: "targetingKey", unleash: "default", launchdarkly: "key" };

export function describeFlagState(state: FlagState): string {
  if (!state.on) return "off";
  const cohorts = state.cohorts && state.cohorts.length > 0 ? state.cohorts.join("+") : undefined;
  const percent = state.percent !== undefined ? `${state.percent}%` : undefined;
  if (cohorts && percent) return `${cohorts} + ${percent}`;
  return cohorts ?? percent ?? "on (rules not set by Release Gate)";
}

/**
 * "flag new-checkout (flagd) off → internal+beta + 10% by @alice", cut to fit a deployment status.
 * `by` says who or what moved it: a login, or a phrase such as "on breach".
 */
export function describeFlagChange(change: FlagChange, by: { login: string } | { reason: string } | undefined): string {
  const tail = by === undefined ? "" : "login" in by ? ` by @${by.login}` : ` ${by.reason}`;
  const text = `flag ${change.key} (${change.provider}) ${describeFlagState(change.from)} → ${describeFlagState(change.to)}${tail}`;
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
