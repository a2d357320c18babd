// What a stage's payload asks of the flag: every cohort on so far, plus a share of everyone else.
// The app writes `cohort` / `cohorts` / `percent` (core/rollout/stage-payload.ts); the Action reads
// them here, so both sides agree on what a cohort stage's `percent` (100 of its cohort) means.
import type { DeploymentPayload } from "../rollout/deployment-payload.js";
import { toCohort } from "./cohort-definition.js";
import type { FlagTarget } from "./driver.js";

export function stageFlagTarget(payload: Pick<DeploymentPayload, "cohort" | "cohorts" | "percent">, stickiness: string): FlagTarget {
  const cohorts = (payload.cohorts ?? []).map(({ name, attribute, ...compare }) => toCohort(name, { attribute, ...compare }));
  // Cohort stages come before every percent stage of their environment (config/stage-plan.ts), so at
  // a cohort stage nobody outside the cohorts has the flag yet.
  return { cohorts, percent: payload.cohort !== undefined ? 0 : payload.percent, stickiness };
}
