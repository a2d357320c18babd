// Every input of the Action (see action/action.yml), validated with zod. A bad input fails the step
// with a message that names it.
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { DURATION_PATTERN, flagSchema, type FlagConfig, type Gate } from "../core/config/schema.js";
import { parseDuration } from "../core/gates/duration.js";
import type { CompareGate } from "../core/gates/compare-gate.js";
import { parseGates } from "../core/gates/parse-gates.js";
import { GITHUB_ACTIONS, type Identity } from "../core/identity.js";
import type { ActionIo } from "./io.js";

export const MODES = ["all", "start", "observe", "resume"] as const;
export type Mode = (typeof MODES)[number];

export const INPUT_NAMES = [
  "token",
  "stage",
  "percent",
  "environment",
  "observe",
  "interval",
  "shift",
  "rollback",
  "gates",
  "mode",
  "dry-run",
  "deployment-id",
  "baseline",
  "release",
  "ref",
  "rollback-ref",
  "deployment-creators",
  // mode: report (report-mode.ts reads these; the stage modes ignore them)
  "report-dir",
  "rollback-slo",
  "app-id",
  "app-login",
  "flag",
  "watch",
  "active",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

const optionalText = z.string().transform((s) => (s.trim() === "" ? undefined : s.trim()));

const optionalNumber = (check: (n: number) => boolean, expected: string) =>
  z.string().transform((s, ctx) => {
    const t = s.trim();
    if (t === "") return undefined;
    const n = Number(t);
    if (!/^[-+]?\d+(?:\.\d+)?$/.test(t) || !check(n)) {
      ctx.addIssue({ code: "custom", message: `expected ${expected}, got ${JSON.stringify(t)}` });
      return z.NEVER;
    }
    return n;
  });

const optionalDuration = (min: number) =>
  z.string().transform((s, ctx) => {
    const t = s.trim();
    if (t === "") return undefined;
    const ms = DURATION_PATTERN.test(t) ? parseDuration(t) : undefined;
    if (ms === undefined || ms < min) {
      ctx.addIssue({ code: "custom", message: `expected a duration of at least ${min / 1000}s such as "30s", "30m" or "2h", got ${JSON.stringify(t)}` });
      return z.NEVER;
    }
    return ms;
  });

const booleanInput = z.string().transform((s, ctx) => {
  const t = s.trim().toLowerCase();
  if (t === "" || t === "false") return false;
  if (t === "true") return true;
  ctx.addIssue({ code: "custom", message: `expected true or false, got ${JSON.stringify(s.trim())}` });
  return z.NEVER;
});

const gatesInput = z.string().transform((s, ctx): { gates: Gate[]; compare: CompareGate[]; given: boolean } => {
  const result = parseGates(s, { compare: true });
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.error });
    return z.NEVER;
  }
  // Empty means "the repo's config decides" (action/gate-source.ts); `[]` says "no gates" on purpose.
  return { gates: result.gates, compare: result.compare, given: s.trim() !== "" };
});

/** App ids or account logins, separated by commas, spaces or new lines; empty means GitHub Actions alone. */
const identitiesInput = z.string().transform((s, ctx): Identity[] => {
  const items = s.split(/[\s,]+/).filter(Boolean);
  if (items.length === 0) return [{ ...GITHUB_ACTIONS }];
  const bad = items.filter((item) => !/^\d+$/.test(item) && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(item));
  if (bad.length > 0) {
    ctx.addIssue({ code: "custom", message: `expected app ids (15368) or logins (my-app[bot]), got ${bad.map((b) => JSON.stringify(b)).join(", ")}` });
    return z.NEVER;
  }
  return items.map((item) => (/^\d+$/.test(item) ? { appId: Number(item) } : { login: item }));
});

const baselineInput = z.string().transform((s, ctx): Record<string, number> => {
  if (s.trim() === "") return {};
  try {
    const parsed = z.record(z.string(), z.number()).safeParse(JSON.parse(s));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: 'expected a JSON object of gate name to number, e.g. {"p99-latency": 412} (the `baseline` output of a `mode: start` step)' });
  return z.NEVER;
});

const flagInput = z.string().transform((s, ctx): FlagConfig | undefined => {
  if (s.trim() === "") return undefined;
  let raw: unknown;
  try {
    raw = parseYaml(s);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `is not YAML: ${(error as Error).message.split("\n")[0]}` });
    return z.NEVER;
  }
  const parsed = flagSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}` });
  return z.NEVER;
});

/** GitHub-hosted jobs are cancelled at 6 h: one run watches at most this long by default. */
export const DEFAULT_WATCH_MS = 5 * 3_600_000;
/** The closely watched phase after a shift, before the schedule takes over (docs/long-windows.md). */
export const DEFAULT_ACTIVE_MS = 15 * 60_000;

const activeInput = z.string().transform((s, ctx): number => {
  const t = s.trim();
  if (t === "") return DEFAULT_ACTIVE_MS;
  if (t === "window") return Number.POSITIVE_INFINITY;
  const ms = DURATION_PATTERN.test(t) ? parseDuration(t) : undefined;
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a duration such as "15m", or "window" to watch the whole window closely, got ${JSON.stringify(t)}` });
    return z.NEVER;
  }
  return ms;
});

export const inputsSchema = z.object({
  token: z.string().trim().min(1, { message: "is empty: pass ${{ github.token }} (the default) or a token with deployments: write" }),
  stage: optionalText,
  percent: optionalNumber((n) => n > 0 && n <= 100, "a number > 0 and <= 100"),
  environment: optionalText,
  observe: optionalDuration(0),
  interval: optionalDuration(1000).transform((ms) => ms ?? 60_000),
  shift: optionalText,
  rollback: optionalText,
  gates: gatesInput,
  mode: z.string().transform((s, ctx): Mode => {
    const t = s.trim() === "" ? "all" : s.trim();
    if ((MODES as readonly string[]).includes(t)) return t as Mode;
    ctx.addIssue({ code: "custom", message: `expected one of ${MODES.join(", ")}, got ${JSON.stringify(t)}` });
    return z.NEVER;
  }),
  "dry-run": booleanInput,
  "deployment-id": optionalNumber((n) => Number.isSafeInteger(n) && n > 0, "a deployment id (a positive integer)"),
  baseline: baselineInput,
  release: optionalNumber((n) => Number.isSafeInteger(n) && n > 0, "a pull request number"),
  ref: optionalText,
  "rollback-ref": optionalText,
  "deployment-creators": identitiesInput,
  flag: flagInput,
  watch: optionalDuration(0).transform((ms) => ms ?? DEFAULT_WATCH_MS),
  active: activeInput,
})
  // Metric gates and compare gates share the `gates` input but are watched differently.
  .transform(({ gates, ...rest }) => ({ ...rest, gates: gates.gates, compare: gates.compare, gatesGiven: gates.given }));

export type Inputs = z.output<typeof inputsSchema>;

export type InputsResult = { ok: true; inputs: Inputs } | { ok: false; error: string };

export function readInputs(io: Pick<ActionIo, "getInput">): InputsResult {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, io.getInput(name)]));
  const result = inputsSchema.safeParse(raw);
  if (result.success) return { ok: true, inputs: result.data };
  const messages = result.error.issues.map((issue) => `input \`${String(issue.path[0] ?? "?")}\`: ${issue.message}`);
  return { ok: false, error: [...new Set(messages)].join("\n") };
}
