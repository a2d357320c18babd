// Validates release-gate configuration and turns every failure into "file:line:column: what was expected".
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import { configSchema, type ReleaseGateConfig } from "./schema.js";

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
  const result = configSchema.safeParse(input);
  if (result.success) {
    return { ok: true, config: result.data, source: files.length > 0 ? "file" : "defaults" };
  }
  const located = files.map((file) => {
    const lineCounter = new LineCounter();
    return { file: file.file, lineCounter, doc: parseDocument(file.text, { lineCounter }) };
  });
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.filter((k): k is PathKey => typeof k === "string" || typeof k === "number");
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const target = keys.length > 0 ? [...path, keys[0]!] : path;
    // The file that holds the deepest part of the key path is where the problem was written.
    let best: { file: string; line: number; column: number; depth: number } | undefined;
    for (const { file, lineCounter, doc } of located) {
      const found = findOffset(doc.contents, target, keys.length > 0);
      if (found.offset !== undefined && (!best || found.depth > best.depth)) {
        const pos = lineCounter.linePos(found.offset);
        best = { file, line: pos.line, column: pos.col, depth: found.depth };
      }
    }
    const where = best ?? { file: files[0]?.file ?? CONFIG_PATH, line: 1, column: 1 };
    return { file: where.file, line: where.line, column: where.column, key: formatPath(path), message: describeIssue(issue) };
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

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `\`${k}\``).join(", ")}`;
    case "invalid_union":
      return "expected a gate with a name, exactly one of prometheus / http / command, and at least one bound (max, min, max-ratio-to-baseline)";
    default:
      return issue.message;
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
