// The payload every rollout Deployment carries: the contract between the app (which creates stage
// deployments) and the Action (which runs them). Parsed with zod on both sides.
import { z } from "zod";
import { stageSchema } from "../config/schema.js";
import { COHORT_NAME, cohortPayload, namedCohortSchema } from "../flags/cohort-definition.js";

/** A cohort as the payload carries it (name + one comparison), read back into the same shape. */
export const cohortInPayloadSchema = namedCohortSchema.transform(cohortPayload);

export const triggerSchema = z.object({
  metric: z.string().min(1),
  label: z.string(),
  comparator: z.enum([">", ">=", "<", "<="]),
  value: z.number(),
  unit: z.enum(["percent", "ms", "s", "x-baseline", "count"]),
  windowSeconds: z.number().int().nonnegative().optional(),
  line: z.number().int(),
  text: z.string(),
});

export const deploymentPayloadSchema = z.object({
  /** Stage name from the plan, e.g. "canary". */
  stage: z.string().min(1),
  percent: z.number().gt(0).max(100),
  /** The PR number being released. */
  release: z.number().int().positive(),
  /**
   * The whole stage plan, so the runner knows what comes next. The app always writes it; a deployment
   * made by another tool or by hand may leave it out (the window then comes from core/rollout/stage-window.ts).
   */
  plan: z.array(stageSchema).min(1).optional(),
  /** The cohort this stage turns on (config `cohort`); absent on a percent stage. */
  cohort: z.string().regex(COHORT_NAME).optional(),
  /**
   * Every cohort on at this stage: this stage's and every earlier stage's, in plan order. The flag is
   * on for all of them; `percent` is, on a percent stage, the share of everyone else (0 on a cohort
   * stage, whose `percent` is 100 of its cohort): see core/flags/stage-target.ts.
   */
  cohorts: z.array(cohortInPayloadSchema).max(100).optional(),
  /** Rollback triggers parsed from the PR's rollback contract. */
  triggers: z.array(triggerSchema).default([]),
  /** Who asked for this step (the commenter or button user); the deployment's creator is the app. */
  requestedBy: z.string().min(1).max(100).optional(),
  /** Set on rollback deployments: which deployment is being rolled back, and why. */
  rollback: z.object({ of: z.number().int().positive(), reason: z.string() }).optional(),
});

export type DeploymentPayload = z.output<typeof deploymentPayloadSchema>;

/** The least a payload must carry, as the refusal shows it to whoever made the deployment by hand. */
const MINIMAL_EXAMPLE = '{"stage": "canary", "percent": 1, "release": 42} (release: the pull request number)';

export type PayloadResult = { ok: true; payload: DeploymentPayload } | { ok: false; error: string };

/** Deployment payloads arrive as an object or a JSON string (GitHub stores whatever the creator sent). */
export function parseDeploymentPayload(raw: unknown): PayloadResult {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, error: "deployment payload is a string that is not JSON" };
    }
  }
  const result = deploymentPayloadSchema.safeParse(value);
  return result.success
    ? { ok: true, payload: result.data }
    : { ok: false, error: `deployment payload is not a Release Gate stage: it needs at least ${MINIMAL_EXAMPLE}\n${z.prettifyError(result.error)}` };
}
