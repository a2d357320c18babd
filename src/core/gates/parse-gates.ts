// Reads a list of gates written as YAML (the Action's `gates` input; the same shape as
// `rollout.gates` in the config) and validates it with the config's own gate schema.
import { parse } from "yaml";
import { z } from "zod";
import { gateSchema, type Gate } from "../config/schema.js";

export type GatesResult = { ok: true; gates: Gate[] } | { ok: false; error: string };

const gateListSchema = z.array(gateSchema);

export function parseGates(text: string): GatesResult {
  if (text.trim() === "") return { ok: true, gates: [] };
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
  if (value === null || value === undefined) return { ok: true, gates: [] };
  const result = gateListSchema.safeParse(value);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  const names = result.data.map((g) => g.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) return { ok: false, error: `two gates are named ${duplicate}; names must be unique` };
  return { ok: true, gates: result.data };
}
