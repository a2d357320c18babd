// Proves that the requests tests mock (nock) or serve (fake-github) exist in GitHub's REST API with
// valid fields, checked against test/fixtures/github-rest-api.json (see derive-rest-fixture.mjs).
import { readFileSync } from "node:fs";
import type nock from "nock";

/** What a test saw go to GitHub. `path` may carry `?query` and a GHES `/api/v3` prefix, or be a full URL. */
export interface RestRequest {
  method: string;
  path: string;
  query?: URLSearchParams | Record<string, QueryValue | readonly QueryValue[] | undefined>;
  /** Parsed JSON, a raw string, or absent (undefined, null and "" all mean no body). */
  body?: unknown;
}

type QueryValue = string | number | boolean;

/** The subset of JSON Schema the fixture keeps. */
interface Schema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface Operation {
  method: string;
  path: string;
  operationId: string;
  pathParams: Record<string, Schema & { multiSegment?: true }>;
  query: Record<string, Schema & { required?: true }>;
  body?: { required: boolean; contentTypes: string[]; schema?: Schema };
}

interface Fixture {
  source: { package: string; version: string; file: string };
  operations: Operation[];
}

interface Template {
  path: string;
  pattern: RegExp;
  params: string[];
  literalSegments: number;
  literalChars: number;
  operations: Map<string, Operation>;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/github-rest-api.json", import.meta.url), "utf8")) as Fixture;
const templates = compileTemplates(fixture.operations);

/** Every way `request` departs from GitHub's REST API description; empty when it conforms. */
export function checkRequest(request: RestRequest): string[] {
  const method = request.method.toUpperCase();
  const url = new URL(request.path, "https://api.github.com");
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
  const matches = templates.flatMap((template) => {
    const match = template.pattern.exec(path);
    return match ? [{ template, values: match.slice(1) }] : [];
  });
  if (matches.length === 0) return [`no REST operation has a path matching ${path}`];
  const lookup = method === "HEAD" ? "GET" : method;
  const candidates = matches.filter((m) => m.template.operations.has(lookup));
  const best = candidates.sort((a, b) => b.template.literalSegments - a.template.literalSegments || b.template.literalChars - a.template.literalChars)[0];
  if (!best) {
    const allowed = matches.map((m) => `${m.template.path} (${[...m.template.operations.keys()].join(", ")})`);
    return [`no ${method} operation for ${path}; the path matches ${allowed.join("; ")}`];
  }
  const operation = best.template.operations.get(lookup)!;
  return [
    ...checkPathParams(operation, best.template.params, best.values),
    ...checkQuery(operation, mergeQuery(url.searchParams, request.query)),
    ...checkBody(operation, request.body),
  ];
}

/** Throws one readable error listing every problem in every request; also when nothing was recorded. */
export function expectConformingRequests(requests: Iterable<RestRequest>, options: { allowNone?: boolean } = {}): void {
  const all = [...requests];
  if (all.length === 0 && !options.allowNone) {
    throw new Error("No GitHub requests were recorded: is the recorder attached to the scope that served them?");
  }
  const failures = all.flatMap((request) => {
    const problems = checkRequest(request);
    return problems.length > 0 ? [`${request.method.toUpperCase()} ${request.path}\n${problems.map((p) => `  - ${p}`).join("\n")}`] : [];
  });
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${all.length} GitHub requests do not conform to the REST API (${fixture.source.package}@${fixture.source.version}):\n${failures.join("\n")}`);
  }
}

export interface NockRecorder {
  /** Also record what `scope` intercepts from now on. */
  add(scope: nock.Scope): NockRecorder;
  /** The intercepted requests so far, in order, with JSON bodies parsed. */
  requests(): RestRequest[];
  /** Detaches from every scope; the requests recorded so far stay readable. */
  stop(): void;
}

/** Records every request the given nock scopes intercept (nock 14 only emits per-scope `request` events). */
export function recordNockRequests(...scopes: nock.Scope[]): NockRecorder {
  const recorded: RestRequest[] = [];
  const attached: nock.Scope[] = [];
  const listener = (req: { method?: string; path?: string }, _interceptor: unknown, body?: string) => {
    recorded.push({ method: req.method ?? "GET", path: req.path ?? "/", body: parseBody(body) });
  };
  const recorder: NockRecorder = {
    add(scope) {
      scope.on("request", listener);
      attached.push(scope);
      return recorder;
    },
    requests: () => [...recorded],
    stop() {
      for (const scope of attached.splice(0)) scope.removeListener("request", listener);
    },
  };
  for (const scope of scopes) recorder.add(scope);
  return recorder;
}

function parseBody(body: string | undefined): unknown {
  if (body === undefined || body === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function compileTemplates(operations: Operation[]): Template[] {
  const byPath = new Map<string, Template>();
  for (const operation of operations) {
    let template = byPath.get(operation.path);
    if (!template) {
      const params: string[] = [];
      const source = operation.path.split(/(\{[^}]+\})/).map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        params.push(name);
        // Multi-segment parameters (a ref like heads/main, a file path) may span slashes.
        return operation.pathParams[name]?.multiSegment ? "(.+?)" : "([^/]+?)";
      });
      const segments = operation.path.split("/").filter(Boolean);
      template = {
        path: operation.path,
        pattern: new RegExp(`^${source.join("")}$`),
        params,
        literalSegments: segments.filter((s) => !s.includes("{")).length,
        literalChars: operation.path.replace(/\{[^}]+\}/g, "").length,
        operations: new Map(),
      };
      byPath.set(operation.path, template);
    }
    template.operations.set(operation.method, operation);
  }
  return [...byPath.values()];
}

function checkPathParams(operation: Operation, names: string[], values: string[]): string[] {
  return names.flatMap((name, i) => {
    const schema = operation.pathParams[name];
    const value = safeDecode(values[i] ?? "");
    if (!schema) return [];
    return checkScalarParam(schema, value).map((problem) => `path parameter ${name}: ${problem}`);
  });
}

function mergeQuery(fromPath: URLSearchParams, given: RestRequest["query"]): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  const add = (name: string, value: string) => merged.set(name, [...(merged.get(name) ?? []), value]);
  for (const [name, value] of fromPath) add(name, value);
  if (given instanceof URLSearchParams) {
    for (const [name, value] of given) add(name, value);
  } else if (given) {
    for (const [name, value] of Object.entries(given)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) add(name, String(item));
    }
  }
  // The same parameter in both places is one parameter, not two.
  for (const [name, values] of merged) merged.set(name, [...new Set(values)]);
  return merged;
}

function checkQuery(operation: Operation, query: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [rawName, values] of query) {
    const name = rawName.endsWith("[]") ? rawName.slice(0, -2) : rawName;
    const schema = operation.query[name];
    if (!schema) {
      const known = Object.keys(operation.query);
      problems.push(`unknown query parameter ${name} (${operation.operationId} accepts ${known.length > 0 ? known.join(", ") : "none"})`);
      continue;
    }
    const arrayItems = schema.type === "array" ? schema.items : [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].find((b) => b.type === "array")?.items;
    for (const value of values) {
      // Array parameters go out comma-joined (Octokit) or repeated (name[]=a&name[]=b).
      const parts = arrayItems ? value.split(",") : [value];
      for (const part of parts) {
        for (const problem of checkScalarParam(arrayItems ?? schema, part)) problems.push(`query parameter ${name}: ${problem}`);
      }
    }
  }
  for (const [name, schema] of Object.entries(operation.query)) {
    if (schema.required && !query.has(name) && !query.has(`${name}[]`)) problems.push(`missing required query parameter ${name}`);
  }
  return problems;
}

/** Path and query values arrive as strings; check them against a primitive schema. */
function checkScalarParam(schema: Schema, value: string): string[] {
  if (schema.type === "integer" && !/^-?\d+$/.test(value)) return [`${show(value)} is not an integer`];
  if (schema.type === "number" && (value.trim() === "" || Number.isNaN(Number(value)))) return [`${show(value)} is not a number`];
  if (schema.type === "boolean" && value !== "true" && value !== "false") return [`${show(value)} is not a boolean`];
  if (schema.enum && !schema.enum.some((allowed) => String(allowed) === value)) return [`${show(value)} is not one of ${schema.enum.map(show).join(", ")}`];
  const numeric = Number(value);
  if (schema.minimum !== undefined && numeric < schema.minimum) return [`${value} is below minimum ${schema.minimum}`];
  if (schema.maximum !== undefined && numeric > schema.maximum) return [`${value} is above maximum ${schema.maximum}`];
  return [];
}

function checkBody(operation: Operation, raw: unknown): string[] {
  let body = raw === "" || raw === null ? undefined : raw;
  const spec = operation.body;
  if (!spec) {
    const empty = body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
    return empty ? [] : [`${operation.operationId} takes no request body, got ${show(body)}`];
  }
  if (!spec.schema) return [];
  if (body === undefined) {
    if (!spec.required) return [];
    body = {};
  }
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    const text = body.toString();
    try {
      body = JSON.parse(text);
    } catch {
      return [`request body is not JSON: ${show(text)}`];
    }
  }
  return validate(spec.schema, body, "body", true);
}

/** JSON Schema validation of the kept keywords. `checkUnknown` is off inside combinator branches: the
 * object level as a whole decides which names exist, since each branch may describe only part of it. */
function validate(schema: Schema, value: unknown, at: string, checkUnknown: boolean): string[] {
  if (value === null) {
    if (schema.nullable || schema.enum?.includes(null) || schema.type === undefined) return [];
    return [`${at}: null is not allowed (expected ${schema.type})`];
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) return [`${at}: expected ${schema.type}, got ${show(value)}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    problems.push(`${at}: ${show(value)} is not one of ${schema.enum.map(show).join(", ")}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) problems.push(`${at}: ${length} characters, more than maxLength ${schema.maxLength}`);
    if (schema.minLength !== undefined && length < schema.minLength) problems.push(`${at}: ${length} characters, fewer than minLength ${schema.minLength}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: ${value} is below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: ${value} is above maximum ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at}: ${value.length} items, more than maxItems ${schema.maxItems}`);
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: ${value.length} items, fewer than minItems ${schema.minItems}`);
    if (schema.items) value.forEach((item, i) => problems.push(...validate(schema.items!, item, `${at}[${i}]`, true)));
  }
  if (isPlainObject(value)) problems.push(...validateObject(schema, value, at, checkUnknown));
  for (const branch of schema.allOf ?? []) problems.push(...validate(branch, value, at, false));
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (!branches || branches.length === 0) continue;
    // oneOf is checked as anyOf: GitHub's alternatives are disjoint in practice, and "matched two" helps no one.
    const outcomes = branches.map((branch) => validate(branch, value, at, false));
    if (outcomes.some((outcome) => outcome.length === 0)) continue;
    const closest = outcomes.reduce((a, b) => (b.length < a.length ? b : a));
    problems.push(`${at}: matches none of ${branches.length} alternatives; the closest fails with: ${closest.join("; ")}`);
  }
  return problems;
}

function validateObject(schema: Schema, value: Record<string, unknown>, at: string, checkUnknown: boolean): string[] {
  const problems: string[] = [];
  for (const name of schema.required ?? []) {
    if (!(name in value)) problems.push(`${at}: missing required field ${name}`);
  }
  const shape = objectShape(schema);
  for (const [name, field] of Object.entries(value)) {
    const property = schema.properties?.[name];
    if (property) {
      problems.push(...validate(property, field, `${at}.${name}`, true));
    } else if (typeof schema.additionalProperties === "object") {
      problems.push(...validate(schema.additionalProperties, field, `${at}.${name}`, true));
    } else if (checkUnknown && !shape.open && !shape.names.has(name)) {
      // GitHub ignores unknown fields, so a typo here silently does nothing in production.
      problems.push(`${at}: unknown field ${name} (known: ${[...shape.names].join(", ")})`);
    }
  }
  return problems;
}

/** The names an object may carry, across combinator branches, and whether any other name is allowed. */
function objectShape(schema: Schema): { names: Set<string>; open: boolean } {
  const names = new Set(Object.keys(schema.properties ?? {}));
  const branches = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter((b) => b.type === undefined || b.type === "object");
  const shapes = branches.map(objectShape);
  for (const shape of shapes) for (const name of shape.names) names.add(name);
  const ownProperties = Object.keys(schema.properties ?? {}).length > 0;
  const open =
    Boolean(schema.additionalProperties) ||
    (names.size === 0 && schema.additionalProperties !== false) ||
    (!ownProperties && shapes.some((shape) => shape.open));
  return { names, open };
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? `an array of ${value.length}` : isPlainObject(value) ? "an object" : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
