// `uses:` lines are what people paste: every reference to this repository's Action or no-server step,
// in the README, the docs, the changelog and the example workflows, must name a path that has an
// action.yml and the major tag the release workflow moves (vX of package.json's X.Y.Z).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const major = `v${version.split(".")[0]}`;
const REPO = "release-gate/release-gate";

const files = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
  ...readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`),
];
const uses = files.flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/release-gate\/release-gate\/([\w./-]*?)@([\w.-]+)/g)].map((m) => ({ file, path: m[1]!, ref: m[2]! })),
);

it("finds the references in the README and the example workflows", () => {
  expect(uses.filter((u) => u.file === "README.md").length).toBeGreaterThanOrEqual(2);
  expect(uses.filter((u) => u.file.startsWith(".github/workflows/")).length).toBeGreaterThanOrEqual(3);
});

it("points every reference at an action that exists, on the major tag of package.json's version", () => {
  const wrong = uses.filter((u) => u.ref !== major || !existsSync(`${u.path}/action.yml`));
  expect(wrong).toEqual([]);
});

it("is the repository app.yml names", () => {
  expect((parseYaml(readFileSync("app.yml", "utf8")) as { url: string }).url).toBe(`https://github.com/${REPO}`);
});

it("has a release workflow that rebuilds the bundles, refuses a stale one, and tags through the tested script", () => {
  const workflow = parseYaml(readFileSync(".github/workflows/release.yml", "utf8")) as { jobs: { release: { steps: { run?: string }[] } } };
  const runs = workflow.jobs.release.steps.map((s) => s.run ?? "").join("\n");
  expect(runs).toContain("npm run bundle");
  expect(runs).toMatch(/git diff --exit-code .*-- action\//);
  expect(runs).toContain("bash .github/scripts/release-tags.sh --push origin");
  expect(runs.indexOf("npm run bundle")).toBeLessThan(runs.indexOf("release-tags.sh"));
});

it("describes package.json's version in CHANGELOG.md, as the release script requires", () => {
  expect(readFileSync("CHANGELOG.md", "utf8")).toMatch(new RegExp(`^## \\[${version.replace(/\./g, "\\.")}\\]`, "m"));
});
