// An oracle for the LaunchDarkly tests: how LaunchDarkly's server-side SDKs evaluate a flag
// representation for one context (flag off → off variation; first matching rule; else the default
// rule's variation or rollout), with the bucketing their SDKs document: sha1 of
// "<flag key>.<salt>.<bucket-by value>", the first 15 hex digits over 0xFFFFFFFFFFFFFFF, against
// cumulative weights out of 100,000. Independent of the driver (which never computes a bucket); it is
// our reading of the SDKs, not LaunchDarkly itself, and covers only the clause ops the driver writes.
import { createHash } from "node:crypto";

type Context = Record<string, string>;

export function evaluateLd(flag: any, environment: string, context: Context): unknown {
  const env = flag.environments[environment];
  const value = (index: number) => flag.variations[index].value;
  if (!env.on) return value(env.offVariation);
  for (const rule of env.rules) {
    if (rule.clauses.every((c: any) => matches(c, context))) return serve(rule, flag, env, context);
  }
  return serve(env.fallthrough, flag, env, context);
}

function matches(clause: any, context: Context): boolean {
  const actual = context[clause.attribute];
  if (actual === undefined) return false;
  const hit = clause.values.some((v: string) => (clause.op === "in" ? actual === v : clause.op === "endsWith" ? actual.endsWith(v) : false));
  if (clause.op !== "in" && clause.op !== "endsWith") throw new Error(`oracle does not know op ${clause.op}`);
  return clause.negate ? !hit : hit;
}

function serve(target: any, flag: any, env: any, context: Context): unknown {
  if (target.variation !== undefined) return flag.variations[target.variation].value;
  const by = target.rollout.bucketBy ?? "key";
  const attribute = context[by];
  if (attribute === undefined) return flag.variations[target.rollout.variations[0].variation].value;
  const hash = createHash("sha1").update(`${flag.key}.${env.salt}.${attribute}`).digest("hex");
  const bucket = parseInt(hash.slice(0, 15), 16) / 0xfffffffffffffff;
  let sum = 0;
  for (const wv of target.rollout.variations) {
    sum += wv.weight / 100_000;
    if (bucket < sum) return flag.variations[wv.variation].value;
  }
  return flag.variations[target.rollout.variations.at(-1).variation].value;
}
