// The payload of a stage deployment the app creates: the stage, its environment's plan, and the
// cohorts on at this stage (this stage's and every earlier one's), in the shape the Action reads.
import type { CohortDefinitions, Stage } from "../config/schema.js";
import { cohortPayload, toCohort } from "../flags/cohort-definition.js";
import type { DeploymentPayload } from "./deployment-payload.js";

/** Every stage with its environment filled in (the rollout's when the stage names none). */
export function plannedStages(stages: readonly Stage[], environment: string): Stage[] {
  return stages.map((stage) => ({ ...stage, environment: stage.environment ?? environment }));
}

export function stagePayload(input: {
  plan: Stage[];
  index: number;
  cohorts: CohortDefinitions;
  release: number;
  triggers: DeploymentPayload["triggers"];
  requestedBy?: string;
}): DeploymentPayload {
  const stage = input.plan[input.index];
  if (!stage) throw new Error(`stage ${input.index + 1} is not in the plan`);
  // The config refuses a stage naming a cohort it does not define, so every name here has a definition.
  const on = input.plan
    .slice(0, input.index + 1)
    .flatMap((s) => {
      const definition = s.cohort !== undefined ? input.cohorts[s.cohort] : undefined;
      return definition ? [cohortPayload(toCohort(s.cohort!, definition))] : [];
    });
  return {
    stage: stage.name,
    percent: stage.percent,
    release: input.release,
    plan: input.plan,
    triggers: input.triggers,
    ...(stage.cohort !== undefined ? { cohort: stage.cohort } : {}),
    ...(on.length > 0 ? { cohorts: on } : {}),
    ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
  };
}
