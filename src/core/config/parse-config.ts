// Validates release-gate configuration and turns every failure into "file:line:column: what was expected".
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import { compareGateSchema } from "../gates/compare-gate.js";
import { closestKey } from "./closest-key.js";
import { configSchema, gateProviderSchemas, type ReleaseGateConfig } from "./schema.js";

export { closestKey, editDistance } from "./closest-key.js";

export const CONFIG_PATH = ".github/release-gate.yml";

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted key path inside the file, "" for the root. */
  key: string;
  message: string;
}

export type ConfigResult =
  | { ok: true; config: ReleaseGateConfig; source: "defaults" | "file" }
  | { ok: false; problems: ConfigProblem[] };

/** A YAML file as read from a repository, kept so problems can point at lines. */
export interface ConfigFile {
  file: string;
  text: string;
}

type PathKey = string | number;

export function defaultConfig(): ReleaseGateConfig {
  return configSchema.parse({});
}

/** Parse one YAML text (a repo's file, or the copy a PR proposes) into a validated config. */
export function parseConfigText(file: ConfigFile): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file: file.file, line: pos.line, column: pos.col, key: "", message: `invalid YAML: ${firstLine(error.message)}` };
      }),
    };
  }
  let value: unknown;
  try {
    // toJS resolves aliases; an unknown anchor or an alias bomb (past yaml's maxAliasCount) throws here.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return { ok: false, problems: [{ file: file.file, line: 1, column: 1, key: "", message: `invalid YAML: ${firstLine((error as Error).message)}` }] };
  }
  return validateConfig(value, [file]);
}

/**
 * Validate an already-parsed (possibly merged from `_extends`) config value. `files` are the YAML
 * texts it came from, most specific first; a problem is located in the first file that defines its key.
 */
export function validateConfig(value: unknown, files: ConfigFile[]): ConfigResult {
  const input = value === null || value === undefined ? {} : value;
  if (typeof input === "object" && !Array.isArray(input) && "_extends" in input) {
    // `_extends` is consumed by the loader; never let it reach the schema as an unknown key.
    const { _extends: _ignored, ...rest } = input as Record<string, unknown>;
    return validateConfig(rest, files);
  }
  // reportInput: the messages quote what was written (`yes` for a boolean, a gate's keys).
  const result = configSchema.safeParse(input, { reportInput: true });
  if (result.success) {
    return { ok: true, config: result.data, source: files.length > 0 ? "file" : "defaults" };
  }
  const located = files.map((file) => {
    const lineCounter = new LineCounter();
    return { file: file.file, lineCounter, doc: parseDocument(file.text, { lineCounter }) };
  });
  const problems = result.error.issues.flatMap((issue) => explainIssue(issue)).map(({ path, keyOfMap, message }) => {
    const target = keyOfMap === undefined ? path : [...path, keyOfMap];
    // The file that holds the deepest part of the key path is where the problem was written.
    let best: { file: string; line: number; column: number; depth: number } | undefined;
    for (const { file, lineCounter, doc } of located) {
      const found = findOffset(doc.contents, target, keyOfMap !== undefined);
      if (found.offset !== undefined && (!best || found.depth > best.depth)) {
        const pos = lineCounter.linePos(found.offset);
        best = { file, line: pos.line, column: pos.col, depth: found.depth };
      }
    }
    const where = best ?? { file: files[0]?.file ?? CONFIG_PATH, line: 1, column: 1 };
    return { file: where.file, line: where.line, column: where.column, key: formatPath(path), message };
  });
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}

/** Merge `_extends` layers: later (more specific) values win; arrays replace rather than concatenate. */
export function mergeConfigLayers(layers: unknown[]): unknown {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeTwo(merged, layer);
  return merged;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = key in out ? mergeTwo(out[key], value) : value;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.key ? `${where}: \`${problem.key}\`: ${problem.message}` : `${where}: ${problem.message}`;
}

/** One problem as the user should read it: where (`path`, or the key `keyOfMap` inside it) and what to do. */
interface Explained {
  path: PathKey[];
  keyOfMap?: string;
  message: string;
}

const YAML_11_BOOLEANS: Record<string, boolean> = { yes: true, no: false, on: true, off: false, y: true, n: false };
const GATE_PROVIDERS = ["prometheus", "http", "command", "compare"] as const;
const REQUIRED_KEY_HINTS: Record<string, string> = {
  query: "the PromQL query whose result is compared with the bounds",
  path: "the dotted path to the number in the JSON response",
  url: "the address to query",
};

function explainIssue(issue: z.core.$ZodIssue, prefix: PathKey[] = []): Explained[] {
  const path = [...prefix, ...issue.path.filter((k): k is PathKey => typeof k === "string" || typeof k === "number")];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      // One problem per key, each at its own line, with the nearest allowed key at that level.
      const allowed = allowedKeysAt(configSchema, path);
      return issue.keys.map((key) => {
        const suggestion = closestKey(key, allowed);
        return { path, keyOfMap: key, message: `unknown key \`${key}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ""}` };
      });
    }
    case "invalid_type": {
      if (issue.expected === "boolean" && typeof input === "string" && input.toLowerCase() in YAML_11_BOOLEANS) {
        return [{ path, message: `\`${input}\` is a string in YAML 1.2; write \`${YAML_11_BOOLEANS[input.toLowerCase()]}\`` }];
      }
      if (input === undefined && typeof path.at(-1) === "string") {
        const key = path.at(-1) as string;
        const hint = REQUIRED_KEY_HINTS[key];
        return [{ path, message: `required key \`${key}\` is missing${hint ? `: ${hint}` : ""}` }];
      }
      return [{ path, message: issue.message }];
    }
    case "invalid_key": {
      // A record's key (a cohort's name): say what the key schema expected, at the key's line.
      const inner = issue.issues[0]?.message;
      const key = path.at(-1);
      return [{ path: path.slice(0, -1), ...(typeof key === "string" ? { keyOfMap: key } : {}), message: `\`${String(key)}\`: ${inner ?? issue.message}` }];
    }
    case "invalid_union":
      if (isPlainObject(input) && path.includes("gates")) return explainGate(input, path);
      if (path.at(-1) === "paths") return [{ path, message: "expected a glob pattern or a list of glob patterns" }];
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** A gate failed every provider's shape: judge it by the provider it names, so the message says what that one lacks. */
function explainGate(gate: Record<string, unknown>, path: PathKey[]): Explained[] {
  const named = GATE_PROVIDERS.filter((provider) => provider in gate);
  const list = GATE_PROVIDERS.map((p) => `\`${p}\``).join(", ").replace(/, ([^,]+)$/, " or $1");
  if (named.length === 0) return [{ path, message: `a gate needs a provider: one of ${list}` }];
  if (named.length > 1) {
    return [{ path, message: `a gate takes one provider, not ${named.map((p) => `\`${p}\``).join(" and ")}` }];
  }
  const provider = named[0]!;
  const schema = provider === "compare" ? compareGateSchema : gateProviderSchemas[provider];
  const result = schema.safeParse(gate, { reportInput: true });
  if (!result.success) return result.error.issues.flatMap((issue) => explainIssue(issue, path));
  return [{ path, message: "expected at least one bound: max, min or max-ratio-to-baseline" }];
}

/** The keys a strict object at `path` accepts (all options' keys for a union), for "did you mean". */
function allowedKeysAt(schema: z.core.$ZodType, path: PathKey[]): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
      return allowedKeysAt(def.innerType as z.core.$ZodType, path);
    case "pipe":
      return allowedKeysAt(def.in as z.core.$ZodType, path);
    case "union":
      return [...new Set((def.options as z.core.$ZodType[]).flatMap((option) => allowedKeysAt(option, path)))];
    case "array":
      return typeof path[0] === "number" ? allowedKeysAt(def.element as z.core.$ZodType, path.slice(1)) : [];
    case "object": {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (path.length === 0) return Object.keys(shape);
      const next = shape[String(path[0])];
      return next ? allowedKeysAt(next, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

function formatPath(path: PathKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/**
 * Offset of the node at `path` (or of its key, when `wantKey`), falling back to the deepest existing
 * parent; `depth` counts the path segments found, so callers can prefer the file that defines the key.
 */
function findOffset(node: unknown, path: PathKey[], wantKey: boolean): { offset: number | undefined; depth: number } {
  let current = node as Node | null | undefined;
  let offset = rangeStart(current);
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const isLast = i === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return { offset, depth: i };
      if (isLast && wantKey) return { offset: rangeStart(pair.key as Node) ?? offset, depth: i + 1 };
      current = pair.value as Node | null;
      offset = rangeStart(current) ?? rangeStart(pair.key as Node) ?? offset;
    } else if (isSeq(current) && typeof key === "number") {
      const item = current.items[key] as Node | undefined;
      if (!item) return { offset, depth: i };
      current = item;
      offset = rangeStart(item) ?? offset;
    } else {
      return { offset, depth: i };
    }
  }
  return { offset, depth: path.length };
}

function rangeStart(node: Node | null | undefined): number | undefined {
  return node && "range" in node && node.range ? node.range[0] : undefined;
}
