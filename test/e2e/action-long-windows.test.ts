// End to end (issue 12): windows longer than one run. The bundled Action run as the runner runs it,
// with the workflow token's identity (github-actions[bot], as GitHub stamps it), against the one
// in-memory GitHub and a real Prometheus. A stage run watches for `watch` and ends `observing`;
// `mode: resume` runs (as a schedule would start them) carry its counts on and end it.
import type { FakeGitHub } from "../support/fake-github.js";
import type { FakeDeployment, FakeDeployments } from "../support/fake-deployment-routes.js";
import type { FakeWorld } from "../support/fake-world.js";
import { errorRatioQuery, type Exporter, findPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { startGateRig, stopGateRig, type GateRig } from "../support/gate-rig.js";
import { runActionStep, runPostStep, type ActionStep, type RunnerSetup } from "../support/run-action.js";

const OWNER = "acme";
const REPO = "shop";
const TOKEN = "ghs_workflow_token_long_windows_0123456789";
const GOOD_SHA = "a".repeat(40);
const SERVICES = ["steady", "regress", "flaky"];
const prometheus = findPrometheus();

if ("missing" in prometheus) {
  describe("long observation windows against a real Prometheus", () => {
    it.skip(`skipped: ${prometheus.missing}`, () => undefined);
  });
} else {
  describe("long observation windows against a real Prometheus", () => {
    let rig: GateRig;
    let github: FakeGitHub;
    let world: FakeWorld;
    let deployments: FakeDeployments;
    let exporter: Exporter;
    let prom: RunningPrometheus;

    beforeAll(async () => {
      rig = await startGateRig(prometheus.path, { owner: OWNER, repo: REPO, goodSha: GOOD_SHA, ratios: { ...Object.fromEntries(SERVICES.map((service) => [service, 0])), flaky: 0.5 } });
      ({ github, world, deployments, exporter, prom } = rig);
    }, 120_000);

    afterAll(async () => {
      await stopGateRig(rig ?? {});
    });

    const gates = (service: string, extra = "") =>
      ["- name: error-rate", "  prometheus:", `    url: ${prom.url}`, `    query: '${errorRatioQuery(service)}'`, "  max: 0.1", "  unit: ratio", ...(extra ? [`  ${extra}`] : [])].join("\n");
    // The shift moves the exporter's service to the stage's error ratio; 0% (the rollback) heals it.
    const shift = (service: string) => `node -e 'if (process.env.RELEASE_PERCENT === "0") fetch(process.argv[1]).then(r => r.text()).then(t => console.log(t.trim()))' '${exporter.url}/control?service=${service}&ratio=0'`;
    const setup = (sha: string, inputs: Record<string, string>, runId: string): RunnerSetup => ({
      apiUrl: github.url,
      repository: `${OWNER}/${REPO}`,
      sha,
      eventName: inputs.mode === "resume" ? "schedule" : "workflow_dispatch",
      event: inputs.mode === "resume" ? { schedule: "*/30 * * * *" } : { inputs: {} },
      runId,
      inputs: { token: TOKEN, interval: "2s", active: "window", ...inputs },
    });
    const stageOf = (step: ActionStep): FakeDeployment => deployments.byId(Number(step.outputs["deployment-id"]))!;
    const states = (d: FakeDeployment) => d.statuses.map((s) => s.state);
    const samples = (step: ActionStep) => step.stdout.split("\n").filter((l) => /^t\+\S+ error-rate = /.test(l));

    it("ends success only after a window four times longer than `watch`, across resume runs", async () => {
      const sha = "5".repeat(40);
      const stageRun = await runActionStep(setup(sha, { stage: "canary", percent: "1", observe: "24s", watch: "6s", release: "21", gates: gates("steady"), shift: shift("steady") }, "5001"));
      expect(stageRun.stderr).toBe("");
      expect(stageRun.code).toBe(0);
      expect(stageRun.outputs).toMatchObject({ verdict: "observing", "rolled-back": "false" });
      const stage = stageOf(stageRun);
      expect(states(stage)).toEqual(["in_progress", "in_progress"]);
      expect(stage.statuses[0]!.log_url).toMatch(/^https:\/\/github\.com\/acme\/shop\/actions\/runs\/5001#release-gate-checkpoint=/);
      expect(stage.statuses[0]!.by.login).toBe("github-actions[bot]");
      // The post step leaves an observing stage in progress.
      const post = await runPostStep(setup(sha, {}, "5001"), stageRun);
      expect(post.code).toBe(0);
      expect(post.stdout).toContain(`deployment ${stage.id} is left in progress: its window outlives this run`);
      expect(states(stage)).toEqual(["in_progress", "in_progress"]);

      const opened = stage.statuses[1]!.at;
      const runs: ActionStep[] = [];
      for (let i = 0; i < 8; i++) {
        const run = await runActionStep(setup(sha, { mode: "resume", watch: "6s", gates: gates("steady") }, String(5100 + i)));
        runs.push(run);
        expect(run.code).toBe(0);
        if (run.outputs.verdict !== "observing") break;
        expect(states(stage)[0]).toBe("in_progress");
      }
      // Every run that left the stage in progress did so inside the window.
      for (const s of stage.statuses.filter((x) => x.state === "in_progress")) expect(s.at - opened).toBeLessThan(24_000);
      const last = runs.at(-1)!;
      expect(last.outputs.verdict).toBe("success");
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(states(stage)[0]).toBe("success");
      expect(stage.statuses[0]!.at - opened).toBeGreaterThanOrEqual(24_000);
      expect(JSON.parse(last.outputs.stages!)).toEqual([expect.objectContaining({ deployment: stage.id, stage: "canary", release: 21, verdict: "success" })]);
      // Every sample of every run counted: 12 on the window's 2s grid (a run's own start is not a sample).
      const taken = [stageRun, ...runs].reduce((n, r) => n + samples(r).length, 0);
      expect(taken).toBeGreaterThanOrEqual(11);
      expect(last.summary).toMatch(new RegExp(`\\| error-rate \\| ≤ 0\\.1 ratio \\| ${taken} / ${taken} \\|`));
      expect(last.summary).toContain("**Window**: 24s from");
      console.log(`long window: 24s window, watch 6s: ${runs.length + 1} runs, ${taken} samples, success ${((stage.statuses[0]!.at - opened) / 1000).toFixed(1)}s after the window opened`);
      expectConformingRequests(github.requests);
    }, 180_000);

    it("ends a stage that breaches in a resume run with failure and a rollback", async () => {
      const sha = "6".repeat(40);
      const stageRun = await runActionStep(setup(sha, { stage: "10-percent", percent: "10", observe: "60s", watch: "4s", release: "22", gates: gates("regress"), shift: shift("regress") }, "6001"));
      expect(stageRun.outputs.verdict).toBe("observing");
      const stage = stageOf(stageRun);
      // The regression shows after the stage run has ended.
      exporter.ratios.set("regress", 0.5);
      await new Promise((r) => setTimeout(r, 6_000));
      const before = github.requests.length;
      const run = await runActionStep(setup(sha, { mode: "resume", watch: "10s", gates: gates("regress"), shift: shift("regress") }, "6002"));
      expect(run.code).toBe(1);
      expect(run.outputs.verdict).toBe("failure");
      expect(states(stage)[0]).toBe("failure");
      expect(stage.statuses[0]!.description).toMatch(/^10-percent 10%: breach, error-rate: \S+ > max 0\.1/);
      const rollbacks = deployments.deployments.filter((d) => (d.payload as { rollback?: { of: number } }).rollback?.of === stage.id);
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0]!.sha).toBe(GOOD_SHA);
      expect(states(rollbacks[0]!)).toEqual(["success", "in_progress"]);
      // The rollback ran the shift command at 0%: the service is healthy again.
      expect(exporter.ratios.get("regress")).toBe(0);
      expect(run.stdout).toMatch(/rolled back 10-percent 10% in \S+s from breach detected to rollback success/);
      expectConformingRequests(github.requests.slice(before));
    }, 120_000);

    it("carries failure-limit across runs: a breach in each of two runs fails a gate that tolerates one", async () => {
      const sha = "7".repeat(40);
      const limited = gates("flaky", "failure-limit: 1");
      const stageRun = await runActionStep(setup(sha, { stage: "canary", percent: "1", observe: "60s", watch: "2s", release: "23", gates: limited, shift: shift("flaky") }, "7001"));
      expect(stageRun.code).toBe(0);
      expect(stageRun.outputs.verdict).toBe("observing");
      expect(samples(stageRun)).toEqual([expect.stringMatching(/ BREACH \(breaches 1\/1 tolerated\)$/)]);
      const stage = stageOf(stageRun);
      const run = await runActionStep(setup(sha, { mode: "resume", watch: "0s", gates: limited, shift: shift("flaky") }, "7002"));
      // One sample in this run, yet the count is two: the first run's breach was carried.
      expect(samples(run)).toEqual([expect.stringMatching(/ BREACH \(breaches 2\/1 tolerated\)$/)]);
      expect(run.code).toBe(1);
      expect(states(stage)[0]).toBe("failure");
      expect(stage.statuses[0]!.description).toMatch(/\(2 breaches, limit 1\)/);
    }, 120_000);

    it("ignores an in-progress stage someone created by hand", async () => {
      const forged = deployments.add({
        owner: OWNER,
        repo: REPO,
        sha: "8".repeat(40),
        environment: "staging",
        payload: { stage: "canary", percent: 1, release: 24, plan: [{ name: "canary", percent: 1, observe: "10s" }] },
        statuses: ["in_progress"],
        by: { login: "mallory", type: "User", app: null },
      });
      const run = await runActionStep(setup("8".repeat(40), { mode: "resume", environment: "staging", watch: "0s", gates: gates("steady") }, "8001"));
      expect(run.code).toBe(0);
      expect(run.outputs.verdict).toBe("none");
      expect(run.stdout).toContain(`ignored deployment ${forged.id} (canary) created by mallory: not one of deployment-creators`);
      expect(states(forged)).toEqual(["in_progress"]);
    }, 60_000);
  });
}
