// The README is what a new user follows, so what it says must stay true: its two set-up commands are
// the project's scripts and the ones CI runs, the Quick start is on the first screen, its examples
// parse with the real parsers, and the runtime it names is package.json's and CI's.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { parseConfigText } from "../../src/core/config/parse-config.js";
import { parseGates } from "../../src/core/gates/parse-gates.js";

const readme = readFileSync("README.md", "utf8");
const lines = readme.split("\n");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; engines: { node: string }; scripts: Record<string, string> };

/** Whether Node `major` (its oldest release the range allows) satisfies `range`; the forms engines uses: `^a.b.c`, `>=a`, `||`. */
function acceptsMajor(range: string, major: number): boolean {
  return range.split("||").some((part) => {
    const caret = /^\^(\d+)\.\d+\.\d+$/.exec(part.trim());
    if (caret) return Number(caret[1]) === major;
    const atLeast = /^>=\s*(\d+)(?:\.\d+\.\d+)?$/.exec(part.trim());
    if (atLeast) return major >= Number(atLeast[1]);
    throw new Error(`engines form not understood: ${part}`);
  });
}

/** The fenced block of `lang` that follows `heading`. */
function blockAfter(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section);
  if (!block) throw new Error(`README has no ${lang} block under ${heading}`);
  return block[1]!;
}

it("reads in five minutes: at most 300 lines, the Quick start on the first screen", () => {
  expect(lines.length).toBeLessThanOrEqual(300);
  expect(lines.indexOf("## Quick start")).toBeGreaterThan(0);
  expect(lines.indexOf("## Quick start")).toBeLessThan(30);
});

it("opens with the two set-up commands, which are the project's scripts and what CI runs", () => {
  const first = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const commands = first.split("\n").filter(Boolean).map((line) => line.replace(/\s+#.*$/, ""));
  expect(commands).toEqual(["npm ci && npm start", "npm ci && npm test"]);
  expect(pkg.scripts.start).toBeDefined();
  expect(pkg.scripts.test).toBeDefined();
  // .ci/run is the README's second command, step by step (plus the packages and the type check).
  const ci = readFileSync(".ci/run", "utf8").split("\n").map((l) => l.trim());
  expect(ci.some((l) => l.startsWith("npm ci "))).toBe(true);
  expect(ci.some((l) => /^npm test( |$)/.test(l))).toBe(true);
  // And the GitHub CI workflow runs .ci/run.
  expect(readFileSync(".github/workflows/ci.yml", "utf8")).toContain("run: bash .ci/run");
});

it("shows a configuration example that the config parser accepts", () => {
  const result = parseConfigText({ file: ".github/release-gate.yml", text: blockAfter("## Configuration", "yaml") });
  expect(result).toMatchObject({ ok: true, source: "file" });
});

it("shows an Action step whose gates parse and whose inputs action.yml declares", () => {
  const step = (parseYaml(blockAfter("## The Action", "yaml")) as { uses: string; with: Record<string, string> }[])[0]!;
  const action = parseYaml(readFileSync("action/action.yml", "utf8")) as { inputs: Record<string, unknown> };
  for (const input of Object.keys(step.with)) expect(Object.keys(action.inputs)).toContain(input);
  expect(parseGates(step.with.gates!)).toMatchObject({ ok: true, gates: [expect.objectContaining({ name: "error-rate" })] });
});

it("uses the release plan of the PR template's format", () => {
  const plan = blockAfter("## The release plan in the PR body", "markdown");
  const template = readFileSync(".github/pull_request_template.md", "utf8");
  for (const heading of plan.match(/^## .+$/gm)!) expect(template).toContain(heading);
});

it("names the Node versions engines accepts and CI tests", () => {
  expect(readme).toContain(`\`${pkg.engines.node}\``);
  const ci = parseYaml(readFileSync(".github/workflows/ci.yml", "utf8")) as { jobs: { test: { strategy: { matrix: { node: number[] } } } } };
  const tested = ci.jobs.test.strategy.matrix.node;
  expect(readme).toContain(`CI runs the suite on Node ${tested.join(" and ")}`);
  for (const major of tested) expect([major, acceptsMajor(pkg.engines.node, major)]).toEqual([major, true]);
  expect(acceptsMajor(pkg.engines.node, 21)).toBe(false);
  // action.yml's runtime is one of them.
  const using = (parseYaml(readFileSync("action/action.yml", "utf8")) as { runs: { using: string } }).runs.using;
  expect(tested).toContain(Number(using.replace("node", "")));
});
