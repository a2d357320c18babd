// The shape of `.github/release-gate.yml`. Every default here is documented in the README table;
// the JSON Schema in `docs/release-gate.schema.json` is generated from this file.
import { z } from "zod";

const nonEmpty = z.string().trim().min(1);
const globList = z.array(nonEmpty).describe("Glob patterns (picomatch syntax) matched against changed file paths.");

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

export const stageSchema = z.strictObject({
  name: nonEmpty.describe("Stage name, e.g. canary."),
  percent: z.number().gt(0).max(100).describe("Share of traffic, 0 < percent <= 100."),
  observe: duration.describe("Observation window before the next stage may start."),
});

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

export const gateSchema = z
  .union([
    z.strictObject({
      name: nonEmpty,
      prometheus: z.strictObject({ url: z.url(), query: nonEmpty }),
      ...boundsShape,
    }),
    z.strictObject({
      name: nonEmpty,
      http: z.strictObject({ url: z.url(), path: nonEmpty.describe("Dotted path to the number in the JSON response.") }),
      ...boundsShape,
    }),
    z.strictObject({
      name: nonEmpty,
      command: nonEmpty.describe("Shell command that prints one number."),
      ...boundsShape,
    }),
  ])
  .refine(hasBound, { message: "expected at least one bound: max, min or max-ratio-to-baseline" })
  .describe("A metric gate: a name, exactly one provider (prometheus, http or command) and at least one bound.");

export const DEFAULT_STAGES = [
  { name: "canary", percent: 1, observe: "30m" },
  { name: "10-percent", percent: 10, observe: "2h" },
  { name: "50-percent", percent: 50, observe: "4h" },
  { name: "full", percent: 100, observe: "24h" },
] as const;

export const DEFAULT_MIGRATION_PATHS = ["**/migrations/**", "**/migrate/**", "**/*.sql", "prisma/migrations/**"];

const highRiskSchema = z.strictObject({
  name: nonEmpty.describe("Short name shown in the check, e.g. payments."),
  paths: globList.min(1),
  approvals: z.number().int().min(0).max(10).default(0).describe("Approving reviews needed from people other than the author."),
  label: nonEmpty.optional().describe("A label the PR must carry, e.g. risk-accepted."),
  stages: z.array(stageSchema).min(1).optional().describe("A slower rollout plan used instead of rollout.stages."),
});

export const configSchema = z
  .strictObject({
    headings: z
      .strictObject({
        rollback: z.array(nonEmpty).min(1).default(["Rollback contract", "Rollback plan", "Rollback"]),
        migration: z.array(nonEmpty).min(1).default(["Schema migration", "Migration", "Migrations"]),
        communication: z.array(nonEmpty).min(1).default(["Communication", "Communication plan", "Comms"]),
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
        paths: globList.default(DEFAULT_MIGRATION_PATHS),
        dialect: z.enum(["postgresql"]).default("postgresql"),
      })
      .prefault({}),
    communication: z
      .strictObject({
        labels: z.array(nonEmpty).default(["user-facing"]).describe("Labels that make a PR user-visible."),
        paths: globList.default([]).describe("Changed paths that make a PR user-visible."),
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
        stages: z.array(stageSchema).min(1).default(() => DEFAULT_STAGES.map((s) => ({ ...s }))),
        gates: z.array(gateSchema).default([]),
      })
      .prefault({}),
    commands: z
      .strictObject({
        permission: permissionLevelSchema.default("write").describe("Least repository role allowed to run write commands."),
      })
      .prefault({}),
  })
  .describe("Release Gate configuration (.github/release-gate.yml).");

export type ReleaseGateConfig = z.output<typeof configSchema>;
export type Stage = z.output<typeof stageSchema>;
export type Gate = z.output<typeof gateSchema>;
export type HighRiskGroup = ReleaseGateConfig["high-risk"][number];
export type PermissionLevel = z.output<typeof permissionLevelSchema>;
