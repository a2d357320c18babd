// The Unleash driver: a stage's target becomes flexible-rollout strategies of the flag in one
// environment (Admin API), the kill switch is that environment turned off. Strategies this driver
// wrote carry a title of its own; every other strategy on the flag is left exactly as it was.
import { z } from "zod";
import { FlagDriverError, type Cohort, type FlagChange, type FlagDriver, type FlagState, type FlagTarget } from "../core/flags/driver.js";

export interface UnleashDriverOptions {
  /** The server's base URL (`https://unleash.example.com`; a trailing `/api` is accepted too). */
  readonly url: string;
  readonly project: string;
  /** The feature flag's name in Unleash. */
  readonly key: string;
  readonly environment: string;
  /** An Admin API token (or a personal access token) allowed to edit the flag. */
  readonly token: string;
  readonly fetch?: typeof fetch;
  /** Per request; a rollback must not hang on a silent server. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Titles mark the strategies this driver owns, so it never edits or deletes anyone else's. */
const OWN = "release-gate";
export const ROLLOUT_TITLE = `${OWN}: rollout`;
export const cohortTitle = (name: string) => `${OWN}: cohort ${name}`;
const COHORT_TITLE = /^release-gate: cohort ([a-z0-9][a-z0-9-]{0,62})$/;

// Big enough for a flag with hundreds of strategies; a body beyond it is not an Admin API answer.
const MAX_BODY = 5 * 1024 * 1024;

const optionsSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, message: "expected the Unleash server's http(s) URL, e.g. https://unleash.example.com" })
    .transform((url) => url.replace(/\/+$/, "").replace(/\/api$/, "")),
  project: z.string().min(1, { message: "expected the Unleash project id (e.g. default)" }).max(100),
  key: z.string().min(1, { message: "expected the feature flag's name" }).max(100),
  environment: z.string().min(1, { message: "expected the Unleash environment (e.g. production)" }).max(100),
  token: z.string().min(1, { message: "expected an Unleash Admin API token" }),
  timeoutMs: z.number().int().positive().default(10_000),
});

const constraintSchema = z.looseObject({
  contextName: z.string(),
  operator: z.string(),
  values: z.array(z.string()).nullish(),
  inverted: z.boolean().nullish(),
  caseInsensitive: z.boolean().nullish(),
});

const strategySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  title: z.string().nullish(),
  disabled: z.boolean().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  constraints: z.array(constraintSchema).nullish(),
});
type Strategy = z.output<typeof strategySchema>;

const featureSchema = z.looseObject({
  name: z.string(),
  environments: z.array(z.looseObject({ name: z.string(), enabled: z.boolean(), strategies: z.array(strategySchema).nullish() })),
});

const errorSchema = z.looseObject({
  message: z.string().optional(),
  details: z.array(z.looseObject({ message: z.string().optional(), description: z.string().optional() })).optional(),
});

/** What the driver writes for one strategy (the Admin API's strategy body). */
interface StrategyBody {
  name: "flexibleRollout";
  title: string;
  disabled: false;
  constraints: { contextName: string; operator: "IN" | "STR_ENDS_WITH"; values: string[]; inverted: false; caseInsensitive: false }[];
  parameters: { rollout: string; stickiness: string; groupId: string };
}

interface Snapshot {
  readonly state: FlagState;
  readonly enabled: boolean;
  /** This driver's strategies, by title (a duplicate title's extra copies are listed in `extra`). */
  readonly own: Map<string, Strategy>;
  readonly extra: Strategy[];
}

export function unleashDriver(options: UnleashDriverOptions): FlagDriver {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const key = typeof options.key === "string" && options.key ? options.key : "(no key)";
    throw new FlagDriverError("unleash", key, `invalid settings: ${z.prettifyError(parsed.error)}`);
  }
  const { url, project, key, environment, token, timeoutMs } = parsed.data;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const fail = (message: string) => new FlagDriverError("unleash", key, message.split(token).join("***"));
  const featurePath = `/api/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(key)}`;
  const environmentPath = `${featurePath}/environments/${encodeURIComponent(environment)}`;

  async function call(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchImpl(`${url}${path}`, {
        method,
        headers: { authorization: token, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = nameOf(error) === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : describeNetworkError(error);
      throw fail(`could not reach Unleash at ${url} (${method} ${path}): ${reason}`);
    }
    const text = await response.text();
    if (text.length > MAX_BODY) throw fail(`${method} ${path} answered with more than ${MAX_BODY} bytes`);
    if (!response.ok) throw fail(`${method} ${path} failed with ${response.status}: ${serverMessage(text) ?? response.statusText}${hint(response.status)}`);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw fail(`${method} ${path} answered ${response.status} with a body that is not JSON`);
    }
  }

  function hint(status: number): string {
    if (status === 401) return " (is `token` an Admin API token of this server?)";
    if (status === 403) return ` (the token may not edit flags in project "${project}", or the environment needs change requests)`;
    return "";
  }

  async function snapshot(): Promise<Snapshot> {
    const feature = featureSchema.safeParse(await call("GET", featurePath));
    if (!feature.success) throw fail(`the Admin API's answer for the flag is not a feature: ${z.prettifyError(feature.error)}`);
    const env = feature.data.environments.find((e) => e.name === environment);
    if (!env) {
      const known = feature.data.environments.map((e) => e.name).join(", ") || "none";
      throw fail(`environment "${environment}" is not enabled in project "${project}" (the flag has: ${known})`);
    }
    const own = new Map<string, Strategy>();
    const extra: Strategy[] = [];
    for (const strategy of env.strategies ?? []) {
      if (!isOwn(strategy)) continue;
      if (own.has(strategy.title!)) extra.push(strategy);
      else own.set(strategy.title!, strategy);
    }
    const rollout = own.get(ROLLOUT_TITLE);
    const percent = rollout && !rollout.disabled ? Number(rollout.parameters?.rollout) : undefined;
    const cohorts = [...own.entries()].flatMap(([title, s]) => (s.disabled ? [] : [COHORT_TITLE.exec(title)?.[1]].filter((n): n is string => n !== undefined)));
    const state: FlagState = {
      on: env.enabled,
      ...(percent !== undefined && Number.isFinite(percent) ? { percent } : {}),
      ...(cohorts.length > 0 ? { cohorts: cohorts.sort() } : {}),
    };
    return { state, enabled: env.enabled, own, extra };
  }

  function checkTarget(target: FlagTarget): void {
    // Unleash buckets contexts into whole percents (1–100): 0.5 % would serve nobody, 2.5 % would serve 2 %.
    if (!Number.isInteger(target.percent) || target.percent < 0 || target.percent > 100) {
      throw fail(`Unleash's flexible rollout serves whole percents from 0 to 100, not ${target.percent}: give this stage a whole-number percent`);
    }
    if (!target.stickiness.trim()) throw fail("the rollout needs a stickiness context field (e.g. userId)");
  }

  return {
    provider: "unleash",
    key,
    async read() {
      return (await snapshot()).state;
    },

    async setRollout(target) {
      checkTarget(target);
      const before = await snapshot();
      const desired = new Map<string, StrategyBody>();
      for (const cohort of target.cohorts) desired.set(cohortTitle(cohort.name), cohortStrategy(cohort, key));
      desired.set(ROLLOUT_TITLE, strategy(ROLLOUT_TITLE, [], String(target.percent), target.stickiness, key));

      // Widen before narrowing: new and changed strategies first, stale ones of ours last.
      for (const [title, body] of desired) {
        const existing = before.own.get(title);
        if (!existing) await call("POST", `${environmentPath}/strategies`, body);
        else if (!sameStrategy(existing, body)) await call("PUT", `${environmentPath}/strategies/${encodeURIComponent(existing.id)}`, body);
      }
      const stale = [...[...before.own].filter(([title]) => !desired.has(title)).map(([, s]) => s), ...before.extra];
      for (const s of stale) await call("DELETE", `${environmentPath}/strategies/${encodeURIComponent(s.id)}`);
      // Turned on only once its strategies are in place: an environment switched on with no strategy
      // at all gets Unleash's default strategy (100 % of everyone) added by the server.
      if (!before.enabled) await call("POST", `${environmentPath}/on`);
      return change(before.state, (await snapshot()).state);
    },

    async turnOff() {
      const before = await snapshot();
      // One call, cohorts included: the strategies stay for the next attempt, nobody is served.
      await call("POST", `${environmentPath}/off`);
      return change(before.state, (await snapshot()).state);
    },
  };

  function change(from: FlagState, to: FlagState): FlagChange {
    return { provider: "unleash", key, from, to };
  }
}

function isOwn(strategy: Strategy): boolean {
  return strategy.name === "flexibleRollout" && (strategy.title === ROLLOUT_TITLE || COHORT_TITLE.test(strategy.title ?? ""));
}

function strategy(title: string, constraints: StrategyBody["constraints"], rollout: string, stickiness: string, groupId: string): StrategyBody {
  // groupId = the flag's key, so a context's bucket is the same at 10 % and at 50 % (it stays in).
  return { name: "flexibleRollout", title, disabled: false, constraints, parameters: { rollout, stickiness, groupId } };
}

/** A cohort is served fully: a 100 % rollout limited by one constraint on its attribute. */
function cohortStrategy(cohort: Cohort, key: string): StrategyBody {
  const base = { contextName: cohort.attribute, inverted: false, caseInsensitive: false } as const;
  const constraint =
    cohort.match.kind === "ends-with"
      ? { ...base, operator: "STR_ENDS_WITH" as const, values: [cohort.match.suffix] }
      : { ...base, operator: "IN" as const, values: cohort.match.kind === "equals" ? [cohort.match.value] : [...cohort.match.values] };
  return strategy(cohortTitle(cohort.name), [constraint], "100", "default", key);
}

function sameStrategy(existing: Strategy, body: StrategyBody): boolean {
  const p = existing.parameters ?? {};
  const sameParameters = p.rollout === body.parameters.rollout && p.stickiness === body.parameters.stickiness && p.groupId === body.parameters.groupId;
  const constraints = existing.constraints ?? [];
  const sameConstraints =
    constraints.length === body.constraints.length &&
    constraints.every((c, i) => {
      const want = body.constraints[i]!;
      return (
        c.contextName === want.contextName &&
        c.operator === want.operator &&
        !c.inverted &&
        !c.caseInsensitive &&
        JSON.stringify(c.values ?? []) === JSON.stringify(want.values)
      );
    });
  return !existing.disabled && sameParameters && sameConstraints;
}

/** Unleash answers errors as `{ message, details: [{ message }] }`; both say what to fix. */
function serverMessage(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 300) || undefined;
  }
  const parsed = errorSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const details = (parsed.data.details ?? []).map((d) => d.message ?? d.description).filter((m): m is string => !!m && m !== parsed.data.message);
  return [parsed.data.message, ...details].filter(Boolean).join(" ").slice(0, 1000) || undefined;
}

// Duck-typed: fetch's errors (a DOMException for the timeout) need not be this realm's Error.
function nameOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "name" in error ? String(error.name) : undefined;
}

function describeNetworkError(error: unknown): string {
  if (typeof error !== "object" || error === null || !("message" in error)) return String(error);
  const cause = "cause" in error && typeof error.cause === "object" && error.cause !== null && "message" in error.cause ? `: ${String(error.cause.message)}` : "";
  return `${String(error.message)}${cause}`;
}
