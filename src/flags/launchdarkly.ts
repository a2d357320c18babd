// The LaunchDarkly driver: semantic patches on one flag in one environment (REST API v2,
// `PATCH /api/v2/flags/{project}/{key}` with `domain-model=launchdarkly.semanticpatch`). The percent
// is the default rule's rollout, each cohort a rule Release Gate marks by its description, and off
// is `turnFlagOff` (the flag's off variation for everyone) in one call. Rules someone else wrote stay.
// The token goes in the Authorization header and nowhere else: never into a message or a log.
import { z } from "zod";
import { FlagDriverError, type Cohort, type FlagChange, type FlagDriver, type FlagState, type FlagTarget } from "../core/flags/driver.js";

export interface LaunchDarklyOptions {
  /** API base, e.g. https://app.launchdarkly.com. */
  url: string;
  project: string;
  key: string;
  environment: string;
  token: string;
  /** Context kind the rollout and the cohort clauses are judged on (default `user`). */
  contextKind?: string;
  fetch?: typeof fetch;
  /** Calls are cut off after this long (default 10 s): a rollback must not hang on the provider. */
  timeoutMs?: number;
}

/** Rules Release Gate writes carry this description prefix; any other rule is someone else's. */
export const RULE_PREFIX = "release-gate cohort ";
const TOTAL_WEIGHT = 100_000;

const variationSchema = z.looseObject({ _id: z.string(), value: z.unknown() });
const rolloutSchema = z.looseObject({
  variations: z.array(z.looseObject({ variation: z.number().int(), weight: z.number().int() })),
  bucketBy: z.string().optional(),
  contextKind: z.string().optional(),
});
const ruleSchema = z.looseObject({ _id: z.string(), description: z.string().optional(), variation: z.number().int().optional(), rollout: rolloutSchema.optional() });
const environmentSchema = z.looseObject({
  on: z.boolean(),
  offVariation: z.number().int().optional(),
  fallthrough: z.looseObject({ variation: z.number().int().optional(), rollout: rolloutSchema.optional() }),
  rules: z.array(ruleSchema).default([]),
});
const flagSchema = z.looseObject({ key: z.string(), variations: z.array(variationSchema).min(2), environments: z.record(z.string(), environmentSchema) });
const errorSchema = z.looseObject({ code: z.string().optional(), message: z.string().optional() });

type Flag = z.output<typeof flagSchema>;
type Environment = z.output<typeof environmentSchema>;

export function launchDarklyDriver(options: LaunchDarklyOptions): FlagDriver {
  const { project, key, environment, token } = options;
  const contextKind = options.contextKind ?? "user";
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = `${options.url.replace(/\/+$/, "")}/api/v2/flags/${encodeURIComponent(project)}/${encodeURIComponent(key)}`;
  const fail = (message: string) => new FlagDriverError("launchdarkly", key, message);
  // The state last read or written, so the kill switch is one call, not a read and a write.
  let lastKnown: FlagState | undefined;

  const call = async (method: "GET" | "PATCH", body?: unknown): Promise<Flag> => {
    const url = method === "GET" ? `${base}?env=${encodeURIComponent(environment)}` : base;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          Authorization: token,
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json; domain-model=launchdarkly.semanticpatch" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw fail(`${method} ${url} failed: ${(error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const said = errorSchema.safeParse(json);
      const detail = said.success && (said.data.message || said.data.code) ? `${said.data.code ?? "error"}: ${said.data.message ?? ""}` : text.slice(0, 200);
      const hint = response.status === 401 || response.status === 403 ? " (check the token's role: it needs writer access to the flag in this environment)" : "";
      throw fail(`LaunchDarkly answered ${response.status} to ${method}: ${detail}${hint}`);
    }
    const flag = flagSchema.safeParse(json);
    if (!flag.success) throw fail(`LaunchDarkly's answer is not a flag: ${z.prettifyError(flag.error)}`);
    if (!flag.data.environments[environment]) throw fail(`the flag has no environment "${environment}" (it has ${Object.keys(flag.data.environments).join(", ") || "none"})`);
    return flag.data;
  };

  const patch = async (comment: string, instructions: unknown[]): Promise<Flag> => call("PATCH", { environmentKey: environment, comment, instructions });

  return {
    provider: "launchdarkly",
    key,
    read: async () => (lastKnown = stateOf(await call("GET"), environment)),
    setRollout: async (target: FlagTarget): Promise<FlagChange> => {
      const flag = await call("GET");
      const from = stateOf(flag, environment);
      const { on, off } = booleanVariations(flag, fail);
      const env = flag.environments[environment]!;
      const onWeight = Math.round(target.percent * 1000);
      const instructions = [
        { kind: "turnFlagOn" },
        // Ours are replaced, anyone else's rules stay where they are (ahead of ours).
        ...env.rules.filter((r) => r.description?.startsWith(RULE_PREFIX)).map((r) => ({ kind: "removeRule", ruleId: r._id })),
        ...target.cohorts.map((cohort) => ({ kind: "addRule", description: `${RULE_PREFIX}${cohort.name}`, variationId: on._id, clauses: [clause(cohort, contextKind)] })),
        {
          kind: "updateFallthroughVariationOrRollout",
          rolloutWeights: { [on._id]: onWeight, [off._id]: TOTAL_WEIGHT - onWeight },
          rolloutContextKind: contextKind,
          ...(target.stickiness !== "key" ? { rolloutBucketBy: target.stickiness } : {}),
        },
      ];
      const after = await patch(`Release Gate: ${target.cohorts.map((c) => c.name).join("+") || "no cohorts"} + ${target.percent}%`, instructions);
      lastKnown = stateOf(after, environment);
      return { provider: "launchdarkly", key, from, to: lastKnown };
    },
    turnOff: async (): Promise<FlagChange> => {
      const from = lastKnown ?? stateOf(await call("GET"), environment);
      const after = await patch("Release Gate: rollback, flag off", [{ kind: "turnFlagOff" }]);
      lastKnown = stateOf(after, environment);
      return { provider: "launchdarkly", key, from, to: lastKnown };
    },
  };
}

export function clause(cohort: Cohort, contextKind: string): { contextKind: string; attribute: string; op: string; negate: false; values: string[] } {
  const base = { contextKind, attribute: cohort.attribute, negate: false as const };
  switch (cohort.match.kind) {
    case "equals":
      return { ...base, op: "in", values: [cohort.match.value] };
    case "in":
      return { ...base, op: "in", values: [...cohort.match.values] };
    case "ends-with":
      return { ...base, op: "endsWith", values: [cohort.match.suffix] };
  }
}

function booleanVariations(flag: Flag, fail: (m: string) => Error): { on: Flag["variations"][number]; off: Flag["variations"][number] } {
  const on = flag.variations.find((v) => v.value === true);
  const off = flag.variations.find((v) => v.value === false);
  if (!on || !off) throw fail("Release Gate moves boolean flags: the flag needs a true and a false variation");
  return { on, off };
}

/** The environment's state as Release Gate reads it: on/off, the default rule's share, our cohort rules. */
export function stateOf(flag: Flag, environment: string): FlagState {
  const env: Environment = flag.environments[environment]!;
  if (!env.on) return { on: false };
  const onIndex = flag.variations.findIndex((v) => v.value === true);
  const cohorts = env.rules.filter((r) => r.description?.startsWith(RULE_PREFIX)).map((r) => r.description!.slice(RULE_PREFIX.length));
  const rollout = env.fallthrough.rollout;
  const percent = rollout
    ? ((rollout.variations.find((v) => v.variation === onIndex)?.weight ?? 0) / TOTAL_WEIGHT) * 100
    : env.fallthrough.variation !== undefined
      ? env.fallthrough.variation === onIndex
        ? 100
        : 0
      : undefined;
  return { on: true, ...(percent !== undefined ? { percent } : {}), cohorts };
}
