// End to end: the bundled Action, run as the runner runs it, keeps its secrets. User commands (shift,
// rollback, command gates) get an allow-listed environment without the token, and credentials in a
// gate URL never reach stdout, the job summary, the outputs or a deployment status.
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeDeployments } from "../support/fake-deployment-routes.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep, type ActionStep, type RunnerSetup } from "../support/run-action.js";

const TOKEN = "ghs_input_token_for_the_action_1234567890";
const RUNNER_SECRETS = {
  GITHUB_TOKEN: "ghs_workflow_token_in_env_0987654321",
  ACTIONS_RUNTIME_TOKEN: "actions-runtime-token-abcdef",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "actions-oidc-request-token-abcdef",
};

let github: FakeGitHub;
let deployments: FakeDeployments;
beforeAll(async () => {
  deployments = new FakeDeployments();
  github = await startFakeGitHub(deployments.routes());
});
afterAll(async () => {
  await github?.close();
});

const setup = (inputs: Record<string, string>, sha: string): RunnerSetup => ({
  apiUrl: github.url,
  repository: "acme/shop",
  sha,
  eventName: "workflow_dispatch",
  event: {},
  inputs: { token: TOKEN, stage: "canary", percent: "5", release: "3", interval: "1s", ...inputs },
  extraEnv: { ...RUNNER_SECRETS, RELEASE_CUSTOM: "handed-over-on-purpose", UNRELATED_VARIABLE: "not-for-commands", LANG: "C.UTF-8" },
});

/** `name=value` lines of an `env` dump. */
async function envDump(step: ActionStep, file: string): Promise<Record<string, string>> {
  const text = await readFile(join(step.dir, file), "utf8");
  return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

it("shift and command gates run without INPUT_TOKEN, GITHUB_TOKEN or ACTIONS_* tokens", async () => {
  const step = await runActionStep(
    setup(
      {
        observe: "2s",
        shift: 'env > "$RUNNER_TEMP/shift-env.txt"',
        gates: '- { name: error-rate, command: \'env > "$RUNNER_TEMP/gate-env.txt"; echo 0.001\', max: 0.01 }',
      },
      "5".repeat(40),
    ),
  );
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  expect(step.outputs.verdict).toBe("success");
  for (const file of ["shift-env.txt", "gate-env.txt"]) {
    const env = await envDump(step, file);
    // The commands did run, with what they need and what the workflow handed over...
    expect(env).toMatchObject({ RELEASE_STAGE: "canary", RELEASE_PERCENT: "5", RELEASE_CUSTOM: "handed-over-on-purpose", LANG: "C.UTF-8", CI: "true" });
    expect(env.PATH).toBeTruthy();
    expect(env.GITHUB_REPOSITORY).toBe("acme/shop");
    // ...and nothing else: no inputs, no tokens, no unlisted variables.
    expect(Object.keys(env).filter((name) => name.startsWith("INPUT_") || name.startsWith("ACTIONS_") || name === "GITHUB_TOKEN" || name === "UNRELATED_VARIABLE")).toEqual([]);
    const text = await readFile(join(step.dir, file), "utf8");
    for (const secret of [TOKEN, ...Object.values(RUNNER_SECRETS)]) expect(text).not.toContain(secret);
  }
  expectConformingRequests(github.requests);
}, 60_000);

it("credentials in a gate URL are redacted in stdout, the summary, the outputs and every deployment status", async () => {
  const port = await closedPort();
  const url = `http://metrics-user:s3cret-pass-word@127.0.0.1:${port}/prom?token=query-token-value&org=acme`;
  const step = await runActionStep(setup({ observe: "3s", gates: `- { name: error-rate, prometheus: { url: '${url}', query: up }, max: 0.01 }` }, "6".repeat(40)));
  // The gate never answered: the stage ends inconclusive and the step fails, saying why.
  expect(step.code).toBe(1);
  expect(step.outputs.verdict).toBe("inconclusive");
  expect(step.stdout).toContain(`127.0.0.1:${port}`);
  const deployment = deployments.deployments.find((d) => d.sha === "6".repeat(40))!;
  expect(deployment.statuses.length).toBeGreaterThanOrEqual(2);
  const places = {
    // The runner hides lines it was told to mask; the ::add-mask:: commands themselves are that telling.
    stdout: step.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n"),
    stderr: step.stderr,
    summary: step.summary,
    outputs: JSON.stringify(step.outputs),
    statuses: JSON.stringify(deployment.statuses.map((s) => s.description)),
  };
  for (const [where, text] of Object.entries(places)) {
    for (const secret of ["s3cret-pass-word", "metrics-user:", "query-token-value"]) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
  }
  // Masked for the runner's log too.
  expect(step.stdout).toContain("::add-mask::s3cret-pass-word");
  expect(step.stdout).toContain("::add-mask::query-token-value");
  expectConformingRequests(github.requests);
}, 60_000);

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
