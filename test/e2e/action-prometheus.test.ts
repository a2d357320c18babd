// End to end: the bundled Action run as the runner runs it, against the local GitHub stand-in and a
// real Prometheus scraping an exporter whose error ratio the test (and the Action's own shift and
// rollback commands) control. Short windows: seconds, sampled every 2s.
import type { FakeGitHub } from "../support/fake-github.js";
import type { FakeDeployments } from "../support/fake-deployment-routes.js";
import type { FakeWorld } from "../support/fake-world.js";
import { errorRatioQuery, type Exporter, findPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { startGateRig, stopGateRig, type GateRig } from "../support/gate-rig.js";
import { runActionStep, type RunnerSetup } from "../support/run-action.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const TOKEN = "ghs_action_token_never_printed_0987654321";
const GOOD_SHA = "a".repeat(40);
const prometheus = findPrometheus();

if ("missing" in prometheus) {
  // Reported as skipped with the reason, never a silent pass. .ci/run installs the binary, so CI runs these.
  describe("the Action against a real Prometheus", () => {
    it.skip(`skipped: ${prometheus.missing}`, () => undefined);
  });
} else {
  describe("the Action against a real Prometheus", () => {
    let rig: GateRig;
    let github: FakeGitHub;
    let world: FakeWorld;
    let deployments: FakeDeployments;
    let exporter: Exporter;
    let prom: RunningPrometheus;

    beforeAll(async () => {
      rig = await startGateRig(prometheus.path, { owner: OWNER, repo: REPO, goodSha: GOOD_SHA, ratios: { healthy: 0, breach: 0 } });
      ({ github, world, deployments, exporter, prom } = rig);
    }, 120_000);

    afterAll(async () => {
      await stopGateRig(rig ?? {});
    });

    const gates = (service: string, max: number) =>
      ["- name: error-rate", "  prometheus:", `    url: ${prom.url}`, `    query: '${errorRatioQuery(service)}'`, `  max: ${max}`, "  unit: ratio"].join("\n");

    const setup = (overrides: Partial<RunnerSetup> & { inputs: Record<string, string> }): RunnerSetup => ({
      apiUrl: github.url,
      repository: `${OWNER}/${REPO}`,
      sha: "1".repeat(40),
      eventName: "workflow_dispatch",
      event: { inputs: {} },
      ...overrides,
      inputs: { token: TOKEN, interval: "2s", ...overrides.inputs },
    });

    it("runs the stage the app created (deployment event) and ends success on a healthy window", async () => {
      const sha = "2".repeat(40);
      const trigger = { metric: "error-rate", label: "error rate", comparator: ">", value: 1, unit: "percent", windowSeconds: 300, line: 2, text: "> 1% for 5m" };
      const created = deployments.add({
        owner: OWNER,
        repo: REPO,
        sha,
        environment: "production",
        payload: { stage: "canary", percent: 1, release: 7, plan: [{ name: "canary", percent: 1, observe: "6s" }, { name: "full", percent: 100, observe: "1h" }], triggers: [trigger] },
      });
      const event = webhookExample("deployment", "created");
      event.deployment.id = created.id;
      event.deployment.sha = sha;
      event.deployment.environment = "production";
      event.deployment.payload = created.payload;
      event.repository.owner.login = OWNER;
      event.repository.name = REPO;

      const step = await runActionStep(setup({ eventName: "deployment", event, sha, inputs: { gates: gates("healthy", 0.05) } }));
      expect(step.stderr).toBe("");
      expect(step.code).toBe(0);
      expect(step.outputs).toMatchObject({ stage: "canary", percent: "1", environment: "production", "deployment-id": String(created.id), verdict: "success", "rolled-back": "false" });
      expect(created.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
      for (const status of created.statuses) {
        expect(status.log_url).toBe(`https://github.com/${OWNER}/${REPO}/actions/runs/4242`);
        expect(status.description.length).toBeLessThan(140);
      }
      // The PR's "error rate > 1%" tightened the gate from 0.05 to 0.01.
      expect(step.stdout).toContain("→ gate error-rate max 0.01 sustained 5m");
      expect(step.stdout.match(/t\+\S+ error-rate = 0 ok/g)).toHaveLength(3);
      // The job summary: the rollout table and a Mermaid timeline.
      expect(step.summary).toContain("| **canary** | 1% |");
      expect(step.summary).toContain("```mermaid\ntimeline");
      expect(step.summary).toContain("error-rate max 0.01");
      // The token: masked, never printed.
      expect(step.stdout.split("\n").filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
      expect(github.requests.filter((r) => r.method === "POST" && r.path === `/repos/${OWNER}/${REPO}/deployments`)).toHaveLength(0);
      expectConformingRequests(github.requests);
    }, 90_000);

    it("fails on a breach and rolls back before the next sample (standalone, triggers from the PR)", async () => {
      const sha = "3".repeat(40);
      // The merged PR whose merge commit this is: GitHub lists it for the commit.
      world.repos.addPull({
        owner: OWNER,
        repo: REPO,
        number: 8,
        title: "fix",
        body: "## Rollback contract\nProcedure: shift traffic back.\nTriggers: error rate > 1% for 5m\n",
        headSha: "8".repeat(40),
        labels: [],
        files: ["a.ts"],
        state: "closed",
        merged: true,
        mergeCommitSha: sha,
        updatedAt: "2026-11-23T10:00:00Z",
      });
      const control = `${exporter.url}/control?service=breach&ratio=`;
      const shift = `node -e 'fetch(process.argv[1] + (process.env.RELEASE_PERCENT === "0" ? "0" : "0.5")).then(r => r.text()).then(t => console.log(t.trim()))' '${control}'`;
      const before = github.requests.length;
      const step = await runActionStep(setup({ sha, inputs: { stage: "canary", percent: "5", observe: "40s", shift, gates: gates("breach", 0.2) } }));
      expect(step.code).toBe(1);
      expect(step.outputs).toMatchObject({ stage: "canary", percent: "5", verdict: "failure", "rolled-back": "true" });

      const stage = deployments.byId(Number(step.outputs["deployment-id"]))!;
      expect(stage.request).toMatchObject({ ref: sha, environment: "production", auto_merge: false, required_contexts: [] });
      expect(stage.payload).toMatchObject({ stage: "canary", percent: 5, release: 8, triggers: [{ metric: "error-rate", value: 1, unit: "percent" }] });
      expect(stage.statuses.map((s) => s.state)).toEqual(["failure", "in_progress"]);
      // The PR's "> 1% for 5m" is a sustained bound (5m > this 40s window); the gate's own max 0.2 breaches at once.
      expect(stage.statuses[0]!.description).toMatch(/^canary 5%: breach, error-rate: \S+ > max 0\.2 /);

      const rollback = deployments.byId(Number(step.outputs["rollback-deployment-id"]))!;
      expect(rollback.sha).toBe(GOOD_SHA);
      expect(rollback.payload).toMatchObject({ stage: "canary", release: 8, rollback: { of: stage.id } });
      expect(rollback.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
      // The rollback ran the shift with RELEASE_PERCENT=0: the exporter is healthy again.
      expect(exporter.ratios.get("breach")).toBe(0);

      // Within one interval: after the breaching sample no further sample was taken before the rollback.
      const lines = step.stdout.split("\n");
      const breachLine = lines.findIndex((l) => / BREACH /.test(l));
      const rolledLine = lines.findIndex((l) => l.startsWith("rolled back canary 5% in "));
      expect(breachLine).toBeGreaterThan(-1);
      expect(rolledLine).toBeGreaterThan(breachLine);
      expect(lines.slice(breachLine + 1, rolledLine).filter((l) => /^t\+/.test(l))).toEqual([]);
      const seconds = Number(step.outputs["rollback-seconds"]);
      expect(seconds).toBeGreaterThanOrEqual(0);
      const created = rollback.at - stage.statuses[1]!.at;
      console.log(`time-to-rollback (breach detected → rollback success): ${seconds.toFixed(3)}s; stage start → rollback deployment created: ${(created / 1000).toFixed(2)}s`);

      expect(step.summary).toMatch(/\*\*Rollback\*\*: done to `aaaaaaa` \(deployment \d+\), \d+\.\d\ds from breach detected to rollback success/);
      expectConformingRequests(github.requests.slice(before));
    }, 120_000);

    it("ends inconclusive, not success, when the exporter is silent", async () => {
      const sha = "4".repeat(40);
      const before = deployments.deployments.length;
      const step = await runActionStep(setup({ sha, inputs: { stage: "canary", percent: "1", observe: "4s", release: "9", gates: gates("silent", 0.05) } }));
      expect(step.code).toBe(1);
      expect(step.outputs).toMatchObject({ verdict: "inconclusive", "rolled-back": "false" });
      expect(step.stdout).toMatch(/::error::canary 1%25: inconclusive, error-rate had 0\/1 samples \(empty-result: the query returned no series\)/);
      const stage = deployments.byId(Number(step.outputs["deployment-id"]))!;
      expect(stage.statuses.map((s) => s.state)).toEqual(["error", "in_progress"]);
      // No rollback deployment: nothing breached, and nothing passed either.
      expect(deployments.deployments.length).toBe(before + 1);
      expect(step.summary).toContain("no data (empty-result)");
    }, 90_000);
  });
}
