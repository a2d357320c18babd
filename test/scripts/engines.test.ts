// `engines` must be true: every Node version it accepts either satisfies what the production
// dependencies declare, or is a listed exception the CI matrix proves by running the whole suite on
// it. A dependency update that drops a version we accept fails here instead of surfacing as an
// EBADENGINE warning in a user's `npm ci`.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

// semver is npm's own range grammar, installed with the test toolchain (jest-snapshot depends on it).
const semver = createRequire(import.meta.url)("semver") as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { version: string; dev?: boolean; engines?: { node?: string } }> };
const matrix = (parseYaml(readFileSync(".github/workflows/ci.yml", "utf8")) as { jobs: { test: { strategy: { matrix: { node: number[] } } } } }).jobs.test.strategy.matrix.node;

/** The oldest release of each supported even (LTS) major that `engines` accepts. */
const SUPPORTED = ["20.18.1", "22.0.0", "24.0.0"];

/** Known: the version runs although the dependency declares otherwise; the CI job on that major runs the suite. */
const EXCEPTIONS = [{ name: "node_modules/content-type", range: ">=22", node: "20.18.1", why: "via @octokit/request; content-type 3 uses nothing Node 20 lacks, and CI's Node 20 job runs the suite" }];

it("accepts exactly the versions it claims, and no odd or older major", () => {
  for (const version of SUPPORTED) expect([version, semver.satisfies(version, pkg.engines.node)]).toEqual([version, true]);
  for (const version of ["18.20.0", "20.18.0", "21.7.0"]) expect([version, semver.satisfies(version, pkg.engines.node)]).toEqual([version, false]);
  expect(semver.minVersion(pkg.engines.node)?.version).toBe("20.18.1");
});

it("lists every production dependency that declares a supported version unsupported", () => {
  const conflicts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && !path.startsWith("test/") && !entry.dev && entry.engines?.node)
    .flatMap(([path, entry]) => SUPPORTED.filter((v) => !semver.satisfies(v, entry.engines!.node!)).map((node) => ({ name: path, range: entry.engines!.node!, node })));
  expect(conflicts).toEqual(EXCEPTIONS.map(({ name, range, node }) => ({ name, range, node })));
});

it("runs the suite in CI on every major an exception concerns, and on action.yml's", () => {
  for (const { node } of EXCEPTIONS) expect(matrix).toContain(Number(node.split(".")[0]));
  expect(matrix).toContain(24);
});
