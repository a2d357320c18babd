// The shape of `.github/release-gate.yml`. Every default here is documented in the table of docs/configuration.md;
// the JSON Schema in `docs/release-gate.schema.json` is generated from this file.
import { z } from "zod";
import { FLAG_TYPES } from "../flags/flag-type.js";
import { compareGateSchema } from "../gates/compare-gate.js";
import { MIGRATION_RULE_IDS } from "../sql/file-rules.js";
import { DEFAULT_POSTGRES_VERSION } from "../sql/migration-context.js";
import { COHORT_NAME, cohortMatchSchema } from "../flags/cohort-definition.js";
import { checkStagePlan, type PlanStage } from "./stage-plan.js";

const nonEmpty = z.string().trim().min(1);
// One glob written as a plain string is the commonest slip; it means a list of one, so take it as that.
const globList = (min = 0) =>
  z
    .union([nonEmpty.transform((glob) => [glob]), min > 0 ? z.array(nonEmpty).min(min) : z.array(nonEmpty)])
    .describe("Glob patterns (picomatch syntax) matched against changed file paths; one pattern may be given as a string.");

export const DURATION_PATTERN = /^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)$/;
const duration = z
  .string()
  .regex(DURATION_PATTERN, { message: 'expected a duration such as "90s", "30m", "2h" or "1d"' })
  .describe('A duration: a number followed by ms, s, m, h or d, e.g. "30m".');

const titlePattern = nonEmpty.refine(
  (source) => {
    try {
      new RegExp(source, "u");
      return true;
    } catch {
      return false;
    }
  },
  { message: "expected a valid regular expression" },
);

export const permissionLevelSchema = z.enum(["read", "triage", "write", "maintain", "admin"]);

/** Environment names reach gate queries and URLs as $RELEASE_ENVIRONMENT: a safe alphabet only. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export const stageSchema = z
  .strictObject({
    name: nonEmpty.describe("Stage name, e.g. canary."),
    cohort: z
      .string()
      .regex(COHORT_NAME, { message: "expected a cohort name from rollout.cohorts: lower-case letters, digits and dashes" })
      .optional()
      .describe("A cohort of rollout.cohorts this stage turns on, whole; cohorts stay on for later stages."),
    environment: z
      .string()
      .regex(ENVIRONMENT_NAME, { message: "expected an environment name: letters, digits, dots, dashes and underscores" })
      .optional()
      .describe("The GitHub Environment (e.g. a region, production-eu) this stage deploys to; rollout.environment when absent."),
    percent: z
      .number()
      .gt(0)
      .max(100)
      .optional()
      .describe("Share of traffic (of everyone outside the cohorts turned on so far), 0 < percent <= 100; a cohort stage is 100% of its cohort."),
    observe: duration.describe("Observation window before the next stage may start."),
  })
  .refine((stage) => stage.percent !== undefined || stage.cohort !== undefined, {
    path: ["percent"],
    message: "required key `percent` is missing: a stage needs a percent, a cohort (from rollout.cohorts) or both",
  })
  // A cohort stage serves its whole cohort, so every later reader sees a percent.
  .transform((stage) => ({ ...stage, percent: stage.percent ?? 100 }));

const boundsShape = {
  max: z.number().optional().describe("Breach when the sample is above this value."),
  min: z.number().optional().describe("Breach when the sample is below this value."),
  "max-ratio-to-baseline": z.number().positive().optional().describe("Breach when sample / baseline is above this ratio."),
  "failure-limit": z.number().int().min(0).default(0).describe("Breaches tolerated before rollback."),
  "min-samples": z.number().int().min(1).default(1).describe("Samples needed before a verdict; fewer is inconclusive."),
  unit: z
    .enum(["ratio", "percent", "ms", "s", "count"])
    .optional()
    .describe("What the metric's number measures (ratio: 0.01 is 1%), so rollback-contract triggers such as `error rate > 1%` convert onto this gate."),
};

const hasBound = (gate: { max?: number | undefined; min?: number | undefined; "max-ratio-to-baseline"?: number | undefined }) =>
  gate.max !== undefined || gate.min !== undefined || gate["max-ratio-to-baseline"] !== undefined;

/** One schema per gate provider, keyed by the provider's key, so a problem can be told against the provider the user chose. */
export const gateProviderSchemas = {
  prometheus: z.strictObject({
    name: nonEmpty,
    prometheus: z.strictObject({ url: z.url(), query: nonEmpty }),
    ...boundsShape,
  }),
  http: z.strictObject({
    name: nonEmpty,
    http: z.strictObject({ url: z.url(), path: nonEmpty.describe("Dotted path to the number in the JSON response.") }),
    ...boundsShape,
  }),
  command: z.strictObject({
    name: nonEmpty,
    command: nonEmpty.describe("Shell command that prints one number."),
    ...boundsShape,
  }),
};

export const gateSchema = z
  .union([gateProviderSchemas.prometheus, gateProviderSchemas.http, gateProviderSchemas.command])
  .refine(hasBound, { message: "expected at least one bound: max, min or max-ratio-to-baseline" })
  .describe("A metric gate: a name, exactly one provider (prometheus, http or command) and at least one bound.");

/**
 * A provider token is named, never written: config files and workflow inputs are read by everyone with
 * read access, so `token` holds a reference to an environment variable the step sets from a secret.
 */
export const ENV_REFERENCE = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;
const tokenReference = z
  .string()
  .trim()
  .regex(ENV_REFERENCE, {
    message: 'expected a reference to an environment variable holding the token, such as "$LAUNCHDARKLY_TOKEN" (set it from a secret in the step\'s env), never the token itself',
  })
  .describe('The environment variable holding the API token, e.g. "$UNLEASH_TOKEN"; the token itself never goes into config.');
const flagKey = nonEmpty.max(200).describe("The flag's key in the provider.");
const stickiness = z
  .string()
  .regex(/^[A-Za-z_$][A-Za-z0-9_.-]{0,62}$/, { message: "expected a context attribute name such as userId or tenantId" })
  .optional()
  .describe("Context attribute the percent is bucketed by, so a user in at 10 % stays in at 50 % (flagd: targetingKey, Unleash: default, LaunchDarkly: key when absent).");

/** Which feature flag a stage's percent (and cohorts) move; one schema per provider, keyed by `provider`. */
export const flagSchema = z
  .discriminatedUnion("provider", [
    z.strictObject({
      provider: z.literal("flagd"),
      path: nonEmpty.describe("The flagd flag-definition JSON file, relative to the workspace."),
      key: flagKey,
      "on-variant": nonEmpty.optional().describe("Variant served when on; default: the variant whose value is true."),
      "off-variant": nonEmpty.optional().describe("Variant served when off; default: the variant whose value is false."),
      stickiness,
    }),
    z.strictObject({
      provider: z.literal("unleash"),
      url: z.url().describe("Unleash base URL, e.g. https://unleash.example.com (the Admin API is under /api/admin)."),
      project: nonEmpty.default("default"),
      key: flagKey,
      environment: nonEmpty.describe("The Unleash environment whose flexible rollout strategy is moved, e.g. production."),
      token: tokenReference,
      stickiness,
    }),
    z.strictObject({
      provider: z.literal("launchdarkly"),
      url: z.url().default("https://app.launchdarkly.com").describe("LaunchDarkly API base (federal and EU instances differ)."),
      project: nonEmpty.describe("Project key."),
      key: flagKey,
      environment: nonEmpty.describe("Environment key, e.g. production."),
      token: tokenReference,
      "context-kind": nonEmpty.default("user").describe("Context kind the rollout and cohort clauses are judged on."),
      stickiness,
    }),
  ])
  .describe("The feature flag a stage moves: before each window it serves the stage's cohorts and percent; a breach turns it off.");

/** A flag's lifetime after 100 %: hours, days or weeks ("4w", "28d"); the stage durations have no weeks. */
export const LIFETIME_PATTERN = /^\d+(?:\.\d+)?\s*(?:h|d|w)$/;

/** Flag debt (docs/flag-lifetime.md): which flags owe a removal, and when an open removal issue is overdue. */
const flagsSchema = z
  .strictObject({
    "max-lifetime": z
      .string()
      .regex(LIFETIME_PATTERN, { message: 'expected a lifetime such as "4w", "28d" or "36h"' })
      .default("4w")
      .describe("How long a release or experiment flag may live after its rollout reached 100% (its removal issue opened) before it is overdue."),
    "default-type": z.enum(FLAG_TYPES).default("release").describe("Type of a plan's flag when neither `types` nor the plan's `Type:` line says."),
    types: z
      .record(nonEmpty, z.enum(FLAG_TYPES))
      .default({})
      .describe("Flag name or glob → type (release, ops, experiment, permission); wins over the plan's `Type:` line. Ops and permission flags get no removal issue and no lifetime."),
    "removal-label": nonEmpty.default("flag-removal").describe("Label of the flag-removal issues; open ones with it are what the lifetime is checked on."),
    "overdue-label": nonEmpty.default("flag-overdue").describe("Label added (with one comment) to a removal issue once its flag is overdue."),
  })
  .prefault({});

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time "HH:MM" (24-hour)' });
const timeZone = nonEmpty.refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "Europe/Berlin" or "UTC"' },
);

export const blackoutWindowSchema = z
  .strictObject({
    name: nonEmpty.describe("Shown when a command is refused, e.g. weekend-freeze."),
    "time-zone": timeZone.default("UTC").describe("IANA time zone the days, times and dates are read in."),
    days: z.array(z.enum(WEEKDAYS)).min(1).optional().describe("Weekdays on which the window starts (sun..sat); all days when absent."),
    start: clock.optional().describe("Start time HH:MM; with end. An end before the start crosses midnight."),
    end: clock.optional().describe("End time HH:MM (exclusive)."),
    from: z.iso.date().optional().describe("First day YYYY-MM-DD (inclusive); with to."),
    to: z.iso.date().optional().describe("Last day YYYY-MM-DD (inclusive)."),
    environments: z
      .array(z.string().regex(ENVIRONMENT_NAME, { message: "expected an environment name: letters, digits, dots, dashes and underscores" }))
      .min(1)
      .optional()
      .describe("The environments (regions) the window applies to; every environment when absent."),
  })
  .refine((w) => (w.start === undefined) === (w.end === undefined), { message: "start and end go together" })
  .refine((w) => w.start === undefined || w.start !== w.end, { message: "start and end must differ (omit both for whole days)" })
  .refine((w) => (w.from === undefined) === (w.to === undefined), { message: "from and to go together" })
  .refine((w) => w.from === undefined || w.to === undefined || w.from <= w.to, { message: "from must not be after to" })
  .refine((w) => w.days !== undefined || w.start !== undefined || w.from !== undefined, {
    message: "expected at least one of days, start/end or from/to",
  })
  .describe("A time when no stage may start. Every given part must hold: days, a daily time range, a date range.");

/**
 * Stages run in order: a repeated name would make the state machine skip a stage without a word, so
 * it is refused where it is written. The rules across stages (cohorts, environments, rising percents)
 * need the rollout's cohorts and environment: stage-plan.ts, from the config's refinement below.
 */
const stageList = z.array(stageSchema).superRefine((stages, ctx) => {
  stages.forEach((stage, index) => {
    const first = stages.findIndex((other) => other.name === stage.name);
    if (first < index) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `stage ${index + 1} is named \`${stage.name}\` like stage ${first + 1}; each stage needs its own name`,
      });
    }
  });
});

export const DEFAULT_STAGES = [
  { name: "canary", percent: 1, observe: "30m" },
  { name: "10-percent", percent: 10, observe: "2h" },
  { name: "50-percent", percent: 50, observe: "4h" },
  { name: "full", percent: 100, observe: "24h" },
] as const;

export const DEFAULT_MIGRATION_PATHS = ["**/migrations/**", "**/migrate/**", "**/*.sql", "prisma/migrations/**"];

const highRiskSchema = z.strictObject({
  name: nonEmpty.describe("Short name shown in the check, e.g. payments."),
  paths: globList(1),
  approvals: z.number().int().min(0).max(10).default(0).describe("Approving reviews needed from people other than the author."),
  label: nonEmpty.optional().describe("A label the PR must carry, e.g. risk-accepted."),
  stages: stageList.min(1).optional().describe("A slower rollout plan used instead of rollout.stages."),
});

export const configSchema = z
  .strictObject({
    headings: z
      .strictObject({
        rollback: z.array(nonEmpty).min(1).default(["Rollback contract", "Rollback plan", "Rollback"]),
        migration: z.array(nonEmpty).min(1).default(["Schema migration", "Migration", "Migrations"]),
        communication: z.array(nonEmpty).min(1).default(["Communication", "Communication plan", "Comms"]),
        flag: z.array(nonEmpty).min(1).default(["Release flag", "Feature flag", "Flag"]),
      })
      .prefault({})
      .describe("Headings (level 2 or 3, case-insensitive) that hold each part of the release plan."),
    rollback: z
      .strictObject({
        required: z.boolean().default(true).describe("Require a rollback contract on every PR."),
      })
      .prefault({}),
    migrations: z
      .strictObject({
        paths: globList().default(DEFAULT_MIGRATION_PATHS),
        dialect: z.enum(["postgresql"]).default("postgresql").describe("SQL dialect of the migration files (PostgreSQL only for now)."),
        "postgres-version": z
          .number()
          .int()
          .min(9)
          .max(40)
          .default(DEFAULT_POSTGRES_VERSION)
          .describe("Major version of the production PostgreSQL; rules that depend on it (fast defaults, NOT NULL via a validated check, CONCURRENTLY forms) judge by it."),
        transaction: z
          .enum(["auto", "always", "never"])
          .default("auto")
          .describe("Whether the migration framework wraps each file in a transaction: auto recognises goose, dbmate, Flyway, Liquibase, Prisma and golang-migrate (see docs/sql-rules.md); always or never overrides it."),
        analyse: z.boolean().default(true).describe("Analyse the SQL of changed .sql migration files at the PR head."),
        rules: z
          .partialRecord(z.enum(MIGRATION_RULE_IDS), z.enum(["breaking", "advisory", "off"]))
          .default({})
          .describe("Per-rule class: breaking (fails a backward-compatibility claim), advisory (warning annotation) or off."),
        "require-down": z.boolean().default(false).describe("Fail the migration item when a layout with down migrations lacks one."),
        "fail-on-advisory": z.boolean().default(false).describe("Fail the migration item on advisory findings too."),
        "max-files": z.number().int().min(1).max(300).default(50).describe("Analyse at most this many changed migration files per PR (each may cost one read)."),
        exceptions: z
          .strictObject({
            "accepted-by": z
              .enum(["non-author-approval", "anyone"])
              .default("non-author-approval")
              .describe(
                "Who makes a `release-gate: allow` exception count: an approving review of the head commit from someone other than the PR author, with write access (non-author-approval), or the allow comment alone (anyone).",
              ),
          })
          .prefault({})
          .describe("How a recorded SQL exception (a `release-gate: allow <rule> because <reason>` comment) is accepted."),
      })
      .prefault({}),
    communication: z
      .strictObject({
        labels: z.array(nonEmpty).default(["user-facing"]).describe("Labels that make a PR user-visible."),
        paths: globList().default([]).describe("Changed paths that make a PR user-visible."),
        "title-patterns": z
          .array(titlePattern)
          .default(["^feat(\\([^)]*\\))?!?:"])
          .describe("Regular expressions; a matching PR title makes the PR user-visible."),
        audiences: z
          .array(nonEmpty)
          .min(1)
          .default(["customers", "customer", "users", "support", "internal", "sales", "partners", "admins", "developers", "everyone"])
          .describe("Words of which the note must name at least one."),
      })
      .prefault({}),
    "high-risk": z.array(highRiskSchema).default([]).describe("Path groups that raise the bar."),
    rollout: z
      .strictObject({
        environment: nonEmpty.default("production"),
        flag: flagSchema.optional(),
        cohorts: z
          .record(z.string().regex(COHORT_NAME, { message: "expected a cohort name: lower-case letters, digits and dashes" }), cohortMatchSchema)
          .default({})
          .describe("Named groups a stage can turn on first, each by one context attribute, e.g. internal: { attribute: email, ends-with: \"@acme.com\" }."),
        stages: stageList.min(1).default(() => DEFAULT_STAGES.map((s) => ({ ...s }))),
        gates: z.array(z.union([gateSchema, compareGateSchema])).default([]),
        "allow-pre-merge": z.boolean().default(false).describe("Allow stages to start before the PR is merged (pre-merge canaries)."),
        "pause-label": nonEmpty.default("release:paused").describe("The PR label that pauses the rollout; /release pause adds it."),
        blackout: z.array(blackoutWindowSchema).default([]).describe("Windows in which no stage may start; rollback is always allowed."),
        "release-windows": z
          .array(blackoutWindowSchema)
          .default([])
          .describe(
            "Windows in which stages may start (e.g. a region's low-traffic hours in its time zone): a stage of an environment some window names waits for one of them; rollback is always allowed.",
          ),
        "status-writers": z
          .array(nonEmpty)
          .default(["github-actions[bot]"])
          .describe(
            "Logins whose deployment statuses count as stage results, besides Release Gate itself: the identity of the token the stage workflow runs with (the workflow's GITHUB_TOKEN writes as github-actions[bot]).",
          ),
      })
      .prefault({}),
    commands: z
      .strictObject({
        permission: permissionLevelSchema.default("write").describe("Least repository role allowed to run write commands."),
        "final-stage-permission": permissionLevelSchema
          .default("maintain")
          .describe("Least repository role allowed to advance to the last stage (100%); the stricter of this and permission applies."),
      })
      .prefault({}),
    flags: flagsSchema,
    overrides: z
      .strictObject({
        labels: z.array(nonEmpty).default(["post-mortem"]).describe("Labels of the follow-up issue every approved override opens."),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const context = { environment: config.rollout.environment, cohorts: Object.keys(config.rollout.cohorts) };
    const plans: Array<{ path: (string | number)[]; stages: PlanStage[] }> = [{ path: ["rollout", "stages"], stages: config.rollout.stages }];
    config["high-risk"].forEach((group, index) => group.stages && plans.push({ path: ["high-risk", index, "stages"], stages: group.stages }));
    for (const plan of plans) {
      for (const issue of checkStagePlan(plan.stages, context)) ctx.addIssue({ code: "custom", path: [...plan.path, ...issue.path], message: issue.message });
      // Unleash's flexible rollout serves whole percents only: say so where the stage is written, not at its run.
      if (config.rollout.flag?.provider === "unleash") {
        plan.stages.forEach((stage, index) => {
          if (stage.percent !== undefined && !Number.isInteger(stage.percent)) {
            ctx.addIssue({
              code: "custom",
              path: [...plan.path, index, "percent"],
              message: `stage \`${stage.name}\` asks for ${stage.percent}%, but the Unleash flag (rollout.flag) serves whole percents only; use ${Math.max(1, Math.round(stage.percent))}`,
            });
          }
        });
      }
    }
  })
  .describe("Release Gate configuration (.github/release-gate.yml).");

export type ReleaseGateConfig = z.output<typeof configSchema>;
export type Stage = z.output<typeof stageSchema>;
export type CohortDefinitions = ReleaseGateConfig["rollout"]["cohorts"];
export type Gate = z.output<typeof gateSchema>;
export type HighRiskGroup = ReleaseGateConfig["high-risk"][number];
export type PermissionLevel = z.output<typeof permissionLevelSchema>;
export type FlagConfig = z.output<typeof flagSchema>;
export type BlackoutWindow = z.output<typeof blackoutWindowSchema>;
export type Weekday = (typeof WEEKDAYS)[number];
export type FlagsConfig = ReleaseGateConfig["flags"];
