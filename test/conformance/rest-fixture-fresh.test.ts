// The committed REST fixture is exactly what derive-rest-fixture.mjs makes from the installed
// @octokit/openapi; regenerate with `npm run derive-rest-fixture` when this fails.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = join(root, "test", "support", "derive-rest-fixture.mjs");
const fixture = join(root, "test", "fixtures", "github-rest-api.json");

function openapiSpec(): string | undefined {
  try {
    const spec = join(dirname(createRequire(import.meta.url).resolve("@octokit/openapi/package.json")), "generated", "api.github.com.json");
    return existsSync(spec) ? spec : undefined;
  } catch {
    return undefined;
  }
}

const spec = openapiSpec();
if (!spec) console.warn("Skipping the REST fixture staleness check: @octokit/openapi is not installed, so the fixture cannot be re-derived.");

(spec ? test : test.skip)("test/fixtures/github-rest-api.json matches the installed @octokit/openapi", () => {
  const derived = execFileSync(process.execPath, [script, "--stdout"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const committed = readFileSync(fixture, "utf8");
  if (derived !== committed) {
    const version = (text: string) => (JSON.parse(text) as { source: { version: string } }).source.version;
    const derivedLines = derived.split("\n");
    const committedLines = committed.split("\n");
    const first = derivedLines.findIndex((line, i) => line !== committedLines[i]);
    throw new Error(
      `The REST fixture is stale (committed from @octokit/openapi@${version(committed)}, installed ${version(derived)}); run \`npm run derive-rest-fixture\`.\n` +
        `First difference, line ${first + 1}:\n- ${(committedLines[first] ?? "").slice(0, 300)}\n+ ${(derivedLines[first] ?? "").slice(0, 300)}`,
    );
  }
});
