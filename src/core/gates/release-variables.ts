// `$RELEASE_STAGE`, `$RELEASE_COHORT`, `$RELEASE_ENVIRONMENT` in gate queries and URLs: observability
// per group. The values come from the stage's deployment payload, which anyone who can create a
// deployment can write, so a value reaches a query or a URL only when it is in a safe alphabet:
// nothing that could close a PromQL string, add a label matcher, or change a URL's host or path.
import type { Gate } from "../config/schema.js";
import type { CompareGate } from "./compare-gate.js";

export const RELEASE_VARIABLES = ["RELEASE_STAGE", "RELEASE_COHORT", "RELEASE_ENVIRONMENT"] as const;
export type ReleaseVariable = (typeof RELEASE_VARIABLES)[number];
export type ReleaseValues = Record<ReleaseVariable, string>;

/** Letters, digits, dot, dash, underscore; empty is allowed (a percent stage has no cohort). */
export const SAFE_VALUE = /^[A-Za-z0-9._-]{0,255}$/;
const REFERENCE = /\$(?:\{(RELEASE_[A-Z]+)\}|(RELEASE_[A-Z]+)\b)/g;

export type ExpandResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Replaces `$NAME` and `${NAME}` of the three variables; other `$` text (PromQL, `$RELEASE_PERCENT`) is left as it is. */
export function expandReleaseVariables(text: string, values: ReleaseValues): ExpandResult<string> {
  let refused: string | undefined;
  const value = text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    if (!(RELEASE_VARIABLES as readonly string[]).includes(name)) return whole;
    const v = values[name as ReleaseVariable];
    if (!SAFE_VALUE.test(v)) {
      refused ??= `$${name} is ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}, outside the safe alphabet [A-Za-z0-9._-] (at most 255 characters), so it is not put into a query or URL; rename the stage, cohort or environment`;
      return whole;
    }
    return v;
  });
  return refused ? { ok: false, message: refused } : { ok: true, value };
}

/** A gate with the variables filled into its queries and URLs; the first refusal names the gate. */
export function expandGate<G extends Gate | CompareGate>(gate: G, values: ReleaseValues): ExpandResult<G> {
  let refused: string | undefined;
  const fill = (text: string): string => {
    const result = expandReleaseVariables(text, values);
    if (!result.ok) refused ??= `gate \`${gate.name}\`: ${result.message}`;
    return result.ok ? result.value : text;
  };
  let expanded: Gate | CompareGate;
  if ("compare" in gate) {
    const { compare } = gate;
    expanded = {
      ...gate,
      compare: {
        ...compare,
        prometheus: { ...compare.prometheus, url: fill(compare.prometheus.url) },
        canary: { errors: fill(compare.canary.errors), total: fill(compare.canary.total) },
        baseline: { errors: fill(compare.baseline.errors), total: fill(compare.baseline.total) },
      },
    };
  } else if ("prometheus" in gate) {
    expanded = { ...gate, prometheus: { url: fill(gate.prometheus.url), query: fill(gate.prometheus.query) } };
  } else if ("http" in gate) {
    expanded = { ...gate, http: { ...gate.http, url: fill(gate.http.url) } };
  } else {
    // A command gets the values as environment variables; the shell quotes them, not us.
    expanded = gate;
  }
  return refused ? { ok: false, message: refused } : { ok: true, value: expanded as G };
}
