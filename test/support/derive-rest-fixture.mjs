// Derives test/fixtures/github-rest-api.json, the compact slice of GitHub's REST OpenAPI description that
// test/support/rest-conformance.ts checks requests against, from the @octokit/openapi devDependency.
// Usage: node test/support/derive-rest-fixture.mjs            (rewrites the fixture)
//        node test/support/derive-rest-fixture.mjs --stdout   (prints it; the staleness test compares)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SPEC_FILE = "generated/api.github.com.json";
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "github-rest-api.json");
const METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
// The keywords the checker enforces; descriptions, examples, defaults and formats only add size.
const KEPT_KEYWORDS = ["type", "nullable", "enum", "maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum"];
// Limits GitHub states only in a field's description (e.g. a deployment status description's 140
// characters). Where the spec also encodes such a limit (check-run action labels: 20) the prose agrees.
const PROSE_LIMITS = [
  { keyword: "maxLength", type: "string", pattern: /maximum (?:description length|size) is (\d+) characters/i, value: (match) => Number(match[1]) },
  { keyword: "maxItems", type: "array", pattern: /list up to six users or teams/i, value: () => 6 },
];

export function deriveFixture() {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@octokit/openapi/package.json");
  const root = dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, "utf8"));
  const spec = JSON.parse(readFileSync(join(root, SPEC_FILE), "utf8"));
  const resolve = (node) => {
    let current = node;
    const seen = new Set();
    while (current && typeof current === "object" && typeof current.$ref === "string") {
      if (seen.has(current.$ref)) throw new Error(`$ref cycle at ${current.$ref}`);
      seen.add(current.$ref);
      current = pointer(spec, current.$ref);
    }
    return current;
  };

  const operations = [];
  for (const path of Object.keys(spec.paths).sort()) {
    const item = resolve(spec.paths[path]);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve);
      const pathParams = {};
      const query = {};
      for (const parameter of parameters) {
        if (parameter.in === "path") {
          pathParams[parameter.name] = {
            ...(parameter["x-multi-segment"] ? { multiSegment: true } : {}),
            ...compactSchema(parameter.schema ?? {}, resolve, []),
          };
        } else if (parameter.in === "query") {
          query[parameter.name] = {
            ...(parameter.required ? { required: true } : {}),
            ...compactSchema(parameter.schema ?? {}, resolve, []),
          };
        }
      }
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        pathParams,
        query,
        ...requestBody(operation.requestBody, resolve),
      });
    }
  }
  return { source: { package: "@octokit/openapi", version, file: SPEC_FILE }, operations };
}

function requestBody(raw, resolve) {
  if (!raw) return {};
  const body = resolve(raw);
  const content = body.content ?? {};
  const json = Object.keys(content).find((type) => type === "application/json" || type.endsWith("+json"));
  if (!json) return { body: { required: Boolean(body.required), contentTypes: Object.keys(content).sort() } };
  return { body: { required: Boolean(body.required), contentTypes: Object.keys(content).sort(), schema: compactSchema(content[json].schema ?? {}, resolve, []) } };
}

/** Keeps only what the checker enforces, with every $ref inlined so the fixture stands alone. */
function compactSchema(raw, resolve, stack) {
  if (raw && typeof raw === "object" && typeof raw.$ref === "string") {
    // A recursive schema would inline forever; past the first level it accepts anything.
    if (stack.includes(raw.$ref)) return {};
    return compactSchema(resolve(raw), resolve, [...stack, raw.$ref]);
  }
  if (!raw || typeof raw !== "object") return {};
  const out = {};
  for (const keyword of KEPT_KEYWORDS) if (raw[keyword] !== undefined) out[keyword] = raw[keyword];
  for (const limit of PROSE_LIMITS) {
    const match = typeof raw.description === "string" && raw.type === limit.type ? limit.pattern.exec(raw.description) : null;
    if (match && out[limit.keyword] === undefined) out[limit.keyword] = limit.value(match);
  }
  if (Array.isArray(raw.required) && raw.required.length > 0) out.required = [...raw.required];
  if (raw.properties) {
    out.properties = {};
    for (const [name, property] of Object.entries(raw.properties)) out.properties[name] = compactSchema(property, resolve, stack);
  }
  if (raw.items) out.items = compactSchema(raw.items, resolve, stack);
  if (raw.additionalProperties !== undefined) {
    out.additionalProperties = typeof raw.additionalProperties === "boolean" ? raw.additionalProperties : compactSchema(raw.additionalProperties, resolve, stack);
  }
  for (const combinator of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(raw[combinator])) out[combinator] = raw[combinator].map((branch) => compactSchema(branch, resolve, stack));
  }
  return out;
}

function pointer(document, ref) {
  if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((node, token) => {
      if (node == null || !(token in node)) throw new Error(`unresolvable $ref ${ref}`);
      return node[token];
    }, document);
}

/** One operation per line: reviewable diffs when the spec moves, without pretty-printing's bulk. */
export function serializeFixture(fixture) {
  const lines = fixture.operations.map((operation) => `    ${JSON.stringify(operation)}`);
  return `{\n  "source": ${JSON.stringify(fixture.source)},\n  "operations": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serializeFixture(deriveFixture());
  if (process.argv.includes("--stdout")) process.stdout.write(text);
  else {
    writeFileSync(FIXTURE, text);
    console.log(`wrote ${FIXTURE} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)`);
  }
}
