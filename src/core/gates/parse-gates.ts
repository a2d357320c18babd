// Reads a list of gates written as YAML (the Action's `gates` input; the same shape as
// `rollout.gates` in the config) and validates it with the config's own gate schemas.
import { parse } from "yaml";
import { z } from "zod";
import { gateSchema, type Gate } from "../config/schema.js";
import { compareGateSchema, type CompareGate } from "./compare-gate.js";

export type GatesResult = { ok: true; gates: Gate[]; compare: CompareGate[] } | { ok: false; error: string };

export interface ParseGatesOptions {
  /**
   * Accept `compare` gates (canary vs baseline). A caller that cannot run them leaves this off, so
   * such a gate is refused with a reason instead of being skipped: a skipped gate would pass.
   */
  compare?: boolean;
}

export function parseGates(text: string, options: ParseGatesOptions = {}): GatesResult {
  if (text.trim() === "") return { ok: true, gates: [], compare: [] };
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    return { ok: false, error: `invalid YAML: ${String((error as Error).message).split("\n")[0]}` };
  }
  // Accept the config's own nesting too, so a block can be copied from .github/release-gate.yml.
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if ("gates" in record) value = record.gates;
    else if (record.rollout && typeof record.rollout === "object" && "gates" in record.rollout) value = (record.rollout as Record<string, unknown>).gates;
  }
  if (value === null || value === undefined) return { ok: true, gates: [], compare: [] };
  if (!Array.isArray(value)) return { ok: false, error: z.prettifyError(z.array(gateSchema).safeParse(value).error!) };
  const gates: Gate[] = [];
  const compare: CompareGate[] = [];
  const issues: z.core.$ZodIssue[] = [];
  value.forEach((item: unknown, index) => {
    // Dispatch on the `compare` key rather than a union, so errors name the field that is wrong
    // instead of "Invalid input" for every shape at once.
    const isCompare = item !== null && typeof item === "object" && "compare" in item;
    if (isCompare && !options.compare) {
      const name = (item as { name?: unknown }).name;
      issues.push({ code: "custom", path: [index], input: item, message: `gate ${typeof name === "string" ? name : `#${index + 1}`} is a compare gate, which this step cannot run yet` });
      return;
    }
    const result = isCompare ? compareGateSchema.safeParse(item) : gateSchema.safeParse(item);
    if (!result.success) issues.push(...result.error.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })));
    else if (isCompare) compare.push(result.data as CompareGate);
    else gates.push(result.data as Gate);
  });
  if (issues.length > 0) return { ok: false, error: z.prettifyError(new z.ZodError(issues)) };
  const names = [...gates, ...compare].map((g) => g.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) return { ok: false, error: `two gates are named ${duplicate}; names must be unique` };
  return { ok: true, gates, compare };
}
