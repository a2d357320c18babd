// The layers of src/ (docs/development.md): core is pure, github wraps Octokit, workflows run the
// release on both, and the adapters (app, action, no-server) only wire them to their runtime. Read
// from the import statements of every source file, so a new import that breaks a layer fails here.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const src = join(root, "src");

interface Imports {
  /** Repository-relative paths (`src/core/x.ts`) of the relative imports. */
  local: string[];
  /** Package and builtin specifiers (`zod`, `node:fs`, `@actions/core`). */
  packages: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

// Between `import`/`export` and `from` only names, braces, commas and `* as` stand: no `(` or `=`, so
// `export const x = z.string().refine(..., { message: 'from "50%"' })` is not read as an import.
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^;()=]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g;

function importsOf(file: string): Imports {
  const text = readFileSync(file, "utf8");
  const local: string[] = [];
  const packages: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const spec = match[1] ?? match[2] ?? match[3]!;
    if (spec.startsWith(".")) local.push(repoPath(normalize(join(dirname(file), spec)).replace(/\.js$/, ".ts")));
    else packages.push(spec);
  }
  return { local, packages };
}

function repoPath(path: string): string {
  return relative(root, path).split(sep).join("/");
}

/** Every cycle's first closing path found by a depth-first walk; empty when the graph is acyclic. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const files = new Map(sourceFiles(src).map((file) => [repoPath(file), importsOf(file)]));
const layerOf = (path: string) => path.split("/")[1]!;
const inLayer = (layer: string) => [...files].filter(([path]) => layerOf(path) === layer);

function violations(layer: string, rule: (imports: Imports) => string[]): string[] {
  return inLayer(layer).flatMap(([path, imports]) => rule(imports).map((bad) => `${path} imports ${bad}`));
}

describe("the import graph reader", () => {
  it("reads static, type-only, re-export and dynamic imports", () => {
    const readiness = files.get("src/workflows/readiness/run-readiness.ts")!;
    expect(readiness.local).toEqual(
      expect.arrayContaining(["src/workflows/load-config.ts", "src/workflows/logger.ts", "src/core/sql/analyse-migrations.ts", "src/workflows/readiness/sql-analysis.ts"]),
    );
    // A string that reads `from "50%"` inside an exported expression is no import.
    expect(files.get("src/core/gates/compare-gate.ts")!.packages).not.toContain("50%");
    expect(files.get("src/core/sql/postgres-parser.ts")!.packages).toContain("libpg-query");
    expect(files.get("src/app/main.ts")!.packages).toContain("probot");
    expect(inLayer("core").length).toBeGreaterThan(50);
  });

  it("finds a cycle when there is one, through type imports too, and none in a tree", () => {
    const circle = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findCycles(circle)).toEqual([["a", "b", "c", "a"]]);
    expect(findCycles(new Map([["a", ["a"]]]))).toEqual([["a", "a"]]);
    expect(findCycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });
});

describe("layers", () => {
  it("src/core imports nothing outside src/core and no I/O (Probot, Octokit, @actions, node builtins)", () => {
    const pure = new Set(["zod", "yaml", "picomatch", "libpg-query"]);
    expect(
      violations("core", (i) => [...i.local.filter((p) => layerOf(p) !== "core"), ...i.packages.filter((p) => !pure.has(p))]),
    ).toEqual([]);
  });

  it("src/github imports only src/core and itself, and no runtime adapter", () => {
    const runtimes = /^(probot|@actions\/)/;
    expect(violations("github", (i) => [...i.local.filter((p) => !["core", "github"].includes(layerOf(p))), ...i.packages.filter((p) => runtimes.test(p))])).toEqual([]);
  });

  it("src/flags (the flag-provider drivers) builds on core only, and on no GitHub or runtime library", () => {
    const github = /^(probot|@actions\/|@probot\/|@octokit\/)/;
    expect(violations("flags", (i) => [...i.local.filter((p) => !["core", "flags"].includes(layerOf(p))), ...i.packages.filter((p) => github.test(p))])).toEqual([]);
  });

  it("src/workflows builds on core and github only, never on an adapter or its runtime", () => {
    const runtimes = /^(probot|@actions\/|@probot\/)/;
    expect(
      violations("workflows", (i) => [...i.local.filter((p) => !["core", "github", "workflows"].includes(layerOf(p))), ...i.packages.filter((p) => runtimes.test(p))]),
    ).toEqual([]);
  });

  it("the Action and the no-server step import the workflow layer, never src/app (nor each other)", () => {
    expect(violations("no-server", (i) => i.local.filter((p) => ["app", "action"].includes(layerOf(p))))).toEqual([]);
    expect(violations("action", (i) => i.local.filter((p) => ["app", "no-server"].includes(layerOf(p))))).toEqual([]);
    expect(inLayer("no-server").some(([, i]) => i.local.some((p) => layerOf(p) === "workflows"))).toBe(true);
  });

  // Probot start-up that cannot import Probot: the check of the environment Probot's `run` will read
  // (its public fallback webhook secret, the dev proxy URL), run by main.ts before `run`, and dev.ts,
  // which runs main.js under a watch build. Listed by name, startup-env imported by the two entries
  // alone, so no workflow code can hide here under this exception.
  const PROBOT_STARTUP = ["src/app/startup-env.ts", "src/app/dev.ts"];

  it("src/app holds only Probot wiring: every file in it uses Probot (or is main.ts's start-up check, or the dev runner)", () => {
    expect(inLayer("app").filter(([path, i]) => !i.packages.includes("probot") && !PROBOT_STARTUP.includes(path)).map(([path]) => path)).toEqual([]);
    expect([...files].filter(([, i]) => i.local.includes("src/app/startup-env.ts")).map(([path]) => path).sort()).toEqual(["src/app/dev.ts", "src/app/main.ts"]);
    expect([...files].filter(([, i]) => i.local.includes("src/app/dev.ts")).map(([path]) => path)).toEqual([]);
  });

  it("no import cycles among the source files", () => {
    const graph = new Map([...files].map(([path, i]) => [path, i.local]));
    expect(findCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});
