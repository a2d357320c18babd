// Turns the PR's rollback triggers ("error rate > 1% for 5m") into gate bounds: a trigger applies to
// the gate whose name matches its metric slug (`error-rate`) and can only tighten it. Units convert
// through the gate's optional `unit`; without one only unitless (count) and `x baseline` triggers
// apply, because guessing whether 1% means 1 or 0.01 would either never fire or always fire.
// A trigger with a duration ("for 5m") does not tighten the gate's per-sample bound: it becomes a
// sustained bound of its own (watch-gates.ts), which breaches only when passed for that long.
import type { Gate } from "../config/schema.js";
import type { RollbackTrigger, TriggerUnit } from "../plan/parse-triggers.js";
import type { BoundName } from "./check-bounds.js";
import type { SustainedBound } from "./watch-gates.js";

export type GateUnit = NonNullable<Gate["unit"]>;

export interface AppliedTrigger {
  trigger: RollbackTrigger;
  gate: string;
  bound: BoundName;
  /** The trigger's threshold in the gate's unit. */
  limit: number;
  /** False when the gate's own bound was already as strict. */
  tightened: boolean;
  /** Set for a trigger with a duration: the bound breaches only when passed for this long. */
  forMs?: number;
}

export interface UnappliedTrigger {
  trigger: RollbackTrigger;
  reason: "no-gate" | "unit-unknown" | "unit-mismatch" | "unsupported-comparator";
  message: string;
}

export interface GatePlan {
  gates: Gate[];
  applied: AppliedTrigger[];
  unapplied: UnappliedTrigger[];
}

export function metricSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

export function applyTriggers(configured: readonly Gate[], triggers: readonly RollbackTrigger[]): GatePlan {
  const gates = configured.map((gate) => ({ ...gate }));
  const applied: AppliedTrigger[] = [];
  const unapplied: UnappliedTrigger[] = [];
  for (const trigger of triggers) {
    const gate = gates.find((g) => metricSlug(g.name) === trigger.metric);
    if (!gate) {
      unapplied.push({ trigger, reason: "no-gate", message: `no gate is named ${trigger.metric}; add one to measure this trigger` });
      continue;
    }
    const upper = trigger.comparator === ">" || trigger.comparator === ">=";
    const forMs = trigger.windowSeconds !== undefined && trigger.windowSeconds > 0 ? trigger.windowSeconds * 1000 : undefined;
    const sustain = forMs !== undefined ? { forMs } : {};
    if (trigger.unit === "x-baseline") {
      if (!upper) {
        unapplied.push({ trigger, reason: "unsupported-comparator", message: `"${trigger.text}": only upper limits relative to the baseline are supported` });
        continue;
      }
      const current = gate["max-ratio-to-baseline"];
      const tightened = current === undefined || trigger.value < current;
      if (tightened && forMs === undefined) gate["max-ratio-to-baseline"] = trigger.value;
      applied.push({ trigger, gate: gate.name, bound: "max-ratio-to-baseline", limit: trigger.value, tightened, ...sustain });
      continue;
    }
    const converted = convert(trigger.value, trigger.unit, gate.unit);
    if (!converted.ok) {
      unapplied.push({ trigger, reason: converted.reason, message: `gate ${gate.name}: ${converted.message}` });
      continue;
    }
    const limit = converted.value;
    if (upper) {
      const tightened = gate.max === undefined || limit < gate.max;
      if (tightened && forMs === undefined) gate.max = limit;
      applied.push({ trigger, gate: gate.name, bound: "max", limit, tightened, ...sustain });
    } else {
      const tightened = gate.min === undefined || limit > gate.min;
      if (tightened && forMs === undefined) gate.min = limit;
      applied.push({ trigger, gate: gate.name, bound: "min", limit, tightened, ...sustain });
    }
  }
  return { gates, applied, unapplied };
}

/** The sustained bounds the plan puts on one gate (only those stricter than its own bound can matter). */
export function sustainedBounds(plan: Pick<GatePlan, "applied">, gate: string): SustainedBound[] {
  return plan.applied.flatMap((a) => (a.gate === gate && a.forMs !== undefined && a.tightened ? [{ bound: a.bound, limit: a.limit, forMs: a.forMs, text: a.trigger.text }] : []));
}

type Conversion = { ok: true; value: number } | { ok: false; reason: "unit-unknown" | "unit-mismatch"; message: string };

function convert(value: number, from: Exclude<TriggerUnit, "x-baseline">, to: GateUnit | undefined): Conversion {
  if (from === "count") {
    return to === undefined || to === "count" ? { ok: true, value } : { ok: false, reason: "unit-mismatch", message: `the trigger has no unit but the gate measures ${to}` };
  }
  if (to === undefined) {
    return { ok: false, reason: "unit-unknown", message: `the trigger is in ${from === "percent" ? "%" : from}; set \`unit\` on the gate (ratio, percent, ms, s) so it can be converted` };
  }
  if (from === "percent") {
    if (to === "percent") return { ok: true, value };
    if (to === "ratio") return { ok: true, value: value / 100 };
  }
  if (from === "ms") {
    if (to === "ms") return { ok: true, value };
    if (to === "s") return { ok: true, value: value / 1000 };
  }
  if (from === "s") {
    if (to === "s") return { ok: true, value };
    if (to === "ms") return { ok: true, value: value * 1000 };
  }
  return { ok: false, reason: "unit-mismatch", message: `a trigger in ${from === "percent" ? "%" : from} cannot apply to a gate measured in ${to}` };
}
