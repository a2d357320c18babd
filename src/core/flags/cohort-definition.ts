// One cohort as written in config (`rollout.cohorts.<name>`) and carried in a stage deployment's
// payload (`cohorts: [{ name, attribute, ends-with }]`): one context attribute compared one way.
// Shared by the config schema (the app) and the payload reader (the Action) so both read one shape.
import { z } from "zod";
import type { Cohort } from "./driver.js";

/** Names that reach provider rules, queries and URLs: a safe alphabet only. */
export const COHORT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/;
const value = z.string().min(1).max(256);

export const cohortMatchSchema = z
  .strictObject({
    attribute: z.string().regex(ATTRIBUTE, { message: "expected a context attribute name such as email, plan or tenantId" }),
    equals: value.optional(),
    in: z.array(value).min(1).max(100).optional(),
    "ends-with": value.optional(),
  })
  .refine((c) => [c.equals, c.in, c["ends-with"]].filter((x) => x !== undefined).length === 1, {
    message: "a cohort compares its attribute one way: give exactly one of equals, in, ends-with",
  });

export type CohortDefinition = z.output<typeof cohortMatchSchema>;

/** A payload's cohort: the definition plus its name. */
export const namedCohortSchema = z
  .looseObject({ name: z.string().regex(COHORT_NAME, { message: "expected a cohort name: lower-case letters, digits and dashes" }) })
  .transform((raw, ctx) => {
    const { name, ...definition } = raw;
    const parsed = cohortMatchSchema.safeParse(definition);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return toCohort(name, parsed.data);
  });

export function toCohort(name: string, definition: CohortDefinition): Cohort {
  const match =
    definition.equals !== undefined
      ? ({ kind: "equals", value: definition.equals } as const)
      : definition.in !== undefined
        ? ({ kind: "in", values: definition.in } as const)
        : ({ kind: "ends-with", suffix: definition["ends-with"]! } as const);
  return { name, attribute: definition.attribute, match };
}

export type CohortPayload = { name: string; attribute: string } & Partial<Record<"equals" | "ends-with", string>> & { in?: string[] };

/** A payload's cohort read back (the payload schema has checked it has exactly one comparison). */
export function cohortFromPayload({ name, ...definition }: CohortPayload): Cohort {
  return toCohort(name, definition);
}

/** The payload shape of a cohort (inverse of toCohort), so the app writes what the Action reads. */
export function cohortPayload(cohort: Cohort): CohortPayload {
  const base = { name: cohort.name, attribute: cohort.attribute };
  switch (cohort.match.kind) {
    case "equals":
      return { ...base, equals: cohort.match.value };
    case "in":
      return { ...base, in: [...cohort.match.values] };
    case "ends-with":
      return { ...base, "ends-with": cohort.match.suffix };
  }
}
