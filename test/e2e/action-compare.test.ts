// End to end: the bundled Action judging a `compare` gate (canary vs baseline) against a real
// Prometheus that scrapes an exporter with two tracks per scenario, a canary and a baseline whose
// request rate and error ratio the test (and the Action's shift and rollback commands) control.
// Windows of 8 to 15 seconds sampled every second; errors are drawn at random (seeded), as real
// traffic's are.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeDeployments } from "../support/fake-deployment-routes.js";
import { anySeries, type Exporter, findPrometheus, type RunningPrometheus, startExporter, startPrometheus, untilData } from "../support/prometheus.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep, type RunnerSetup } from "../support/run-action.js";

const OWNER = "acme";
const REPO = "shop";
const TOKEN = "ghs_action_token_never_printed_1357924680";
const GOOD_SHA = "a".repeat(40);
const prometheus = findPrometheus();

/** Each scenario has its own pair of tracks: `<name>-canary` and `<name>-baseline`. */
const SCENARIOS = { aa: { rate: 5000, ratio: 0.02 }, regression: { rate: 500, ratio: 0.02 }, low: { rate: 20, ratio: 0.02 }, shadow: { rate: 500, ratio: 0.02 } };

if ("missing" in prometheus) {
  describe("the Action's compare gate against a real Prometheus", () => {
    it.skip(`skipped: ${prometheus.missing}`, () => undefined);
  });
} else {
  describe("the Action's compare gate against a real Prometheus", () => {
    let github: FakeGitHub;
    let deployments: FakeDeployments;
    let exporter: Exporter;
    let prom: RunningPrometheus;

    const counter = (service: string, errors: boolean) => `sum(http_requests_total{service="${service}"${errors ? ',code=~"5.."' : ""}})`;

    beforeAll(async () => {
      deployments = new FakeDeployments();
      github = await startFakeGitHub(deployments.routes());
      exporter = await startExporter();
      for (const [name, { rate, ratio }] of Object.entries(SCENARIOS)) {
        for (const track of ["canary", "baseline"]) {
          exporter.ratios.set(`${name}-${track}`, ratio);
          exporter.rates.set(`${name}-${track}`, rate);
          exporter.noisy.add(`${name}-${track}`);
        }
      }
      prom = await startPrometheus(prometheus.path, `127.0.0.1:${exporter.port}`);
      // Every counter scraped at least once: the first round must not be "no data".
      await untilData(prom, Object.keys(SCENARIOS).flatMap((name) => [counter(`${name}-canary`, true), counter(`${name}-baseline`, false)]), anySeries);
      deployments.add({ owner: OWNER, repo: REPO, sha: GOOD_SHA, environment: "production", payload: {}, statuses: ["in_progress", "success"], createdAt: "2026-11-22T10:00:00Z" });
    }, 120_000);

    afterAll(async () => {
      await prom?.stop();
      await exporter?.close();
      await github?.close();
    });

    const gates = (name: string, extra: string[] = []) =>
      [
        "- name: errors-vs-stable",
        "  compare:",
        `    prometheus: { url: '${prom.url}' }`,
        `    canary: { errors: '${counter(`${name}-canary`, true)}', total: '${counter(`${name}-canary`, false)}' }`,
        `    baseline: { errors: '${counter(`${name}-baseline`, true)}', total: '${counter(`${name}-baseline`, false)}' }`,
        "  max-increase: 50%",
        ...extra,
      ].join("\n");

    /** A shift command that sets the canary's error ratio (RELEASE_PERCENT=0, the rollback, restores `healthy`). */
    const shiftTo = (service: string, bad: number, healthy: number) =>
      `node -e 'fetch(process.argv[1] + (process.env.RELEASE_PERCENT === "0" ? "${healthy}" : "${bad}")).then(r => r.text()).then(t => console.log(t.trim()))' '${exporter.url}/control?service=${service}&ratio='`;

    const setup = (sha: string, inputs: Record<string, string>): RunnerSetup => ({
      apiUrl: github.url,
      repository: `${OWNER}/${REPO}`,
      sha,
      eventName: "workflow_dispatch",
      event: { inputs: {} },
      inputs: { token: TOKEN, interval: "1s", stage: "canary", percent: "5", ...inputs },
    });

    it("(a) A/A: the same error rate on both tracks ends success", async () => {
      const started = Date.now();
      const step = await runActionStep(setup("5".repeat(40), { observe: "12s", release: "21", gates: gates("aa") }));
      expect(step.stderr).toBe("");
      expect(step.code).toBe(0);
      expect(step.outputs).toMatchObject({ verdict: "success", "rolled-back": "false" });
      const passLine = step.stdout.split("\n").find((l) => / PASS$/.test(l));
      expect(passLine).toBeDefined();
      expect(step.summary).toMatch(/\| errors-vs-stable \| ≤ 1\.5x at 95% \| (0\.9\d*|1(\.0\d*)?|1\.1\d*) \| \[\S+, \S+\] \| \d+ \(\d+\) \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \| pass at \S+ \S+ UTC \|/);
      expect(step.summary).toContain("errors-vs-stable: Roll back when the always-valid 95% interval");
      console.log(`A/A: ${passLine} (stage took ${((Date.now() - started) / 1000).toFixed(1)}s for a 12s window)`);
      expectConformingRequests(github.requests);
    }, 90_000);

    it("(b) an injected 3x regression ends failure with a rollback deployment inside the window", async () => {
      const before = github.requests.length;
      const step = await runActionStep(setup("6".repeat(40), { observe: "15s", release: "22", shift: shiftTo("regression-canary", 0.06, 0.02), gates: gates("regression") }));
      expect(step.code).toBe(1);
      expect(step.outputs).toMatchObject({ verdict: "failure", "rolled-back": "true" });
      expect(step.stdout).toMatch(/::error::canary 5%25: breach, errors-vs-stable: canary\/baseline error-rate ratio \S+, 95%25 interval \[\S+, \S+\] above 1\.5 after \d+ looks/);
      const stage = deployments.byId(Number(step.outputs["deployment-id"]))!;
      expect(stage.statuses.map((s) => s.state)).toEqual(["failure", "in_progress"]);
      const rollback = deployments.byId(Number(step.outputs["rollback-deployment-id"]))!;
      expect(rollback.sha).toBe(GOOD_SHA);
      expect(rollback.payload).toMatchObject({ release: 22, rollback: { of: stage.id } });
      expect(rollback.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
      // Inside the window: the rollback deployment exists less than 15 s after the stage started.
      const toRollback = (rollback.at - stage.statuses[1]!.at) / 1000;
      expect(toRollback).toBeLessThan(15);
      // The rollback command restored the canary.
      expect(exporter.ratios.get("regression-canary")).toBe(0.02);
      const breachLine = step.stdout.split("\n").find((l) => / BREACH$/.test(l))!;
      expect(breachLine).toMatch(/^t\+\S+ errors-vs-stable: ratio \S+ in \[\S+, \S+\] after \d+ looks BREACH$/);
      expect(step.summary).toMatch(/\| breach at \S+ \S+ UTC \|/);
      expect(step.summary).toMatch(/\*\*Rollback\*\*: done to `aaaaaaa`/);
      console.log(`regression 3x at 500 req/s per track: ${breachLine}; stage start → rollback deployment created: ${toRollback.toFixed(2)}s; breach → rollback success ${step.outputs["rollback-seconds"]}s`);
      expectConformingRequests(github.requests.slice(before));
    }, 90_000);

    it("(c) low traffic ends inconclusive, not success, with the traffic a decision needs", async () => {
      const count = deployments.deployments.length;
      const step = await runActionStep(setup("7".repeat(40), { observe: "8s", release: "23", shift: shiftTo("low-canary", 0.04, 0.02), gates: gates("low") }));
      expect(step.code).toBe(1);
      expect(step.outputs).toMatchObject({ verdict: "inconclusive", "rolled-back": "false" });
      // The random errors decide which explanation applies: usually the traffic a decision needs; when the
      // estimate lands exactly on the limit, that no traffic at these rates decides. Both are inconclusive.
      expect(step.stdout).toMatch(
        /::error::canary 5%25: inconclusive, errors-vs-stable undecided after \d+ looks: (not enough traffic to decide: about \S+× the traffic seen so far|the estimate sits exactly on the allowed limit, so no amount of traffic at these rates would decide)/,
      );
      const stage = deployments.byId(Number(step.outputs["deployment-id"]))!;
      expect(stage.statuses.map((s) => s.state)).toEqual(["error", "in_progress"]);
      expect(deployments.deployments.length).toBe(count + 1);
      expect(step.summary).toContain("errors-vs-stable undecided: not enough traffic to decide");
      console.log(`low traffic (20 req/s per track): ${/undecided after [^;]*/.exec(step.outputs.reason ?? "")?.[0]}`);
    }, 90_000);

    it("(d) shadow mode records the regression as 'would have rolled back' and does not roll back", async () => {
      const count = deployments.deployments.length;
      const step = await runActionStep(setup("8".repeat(40), { observe: "10s", release: "24", shift: shiftTo("shadow-canary", 0.06, 0.02), gates: gates("shadow", ["  shadow: true"]) }));
      expect(step.code).toBe(0);
      expect(step.outputs).toMatchObject({ verdict: "success", "rolled-back": "false" });
      expect(step.outputs.reason).toMatch(/shadow gate errors-vs-stable would have rolled back at \S+Z$/);
      expect(step.stdout).toMatch(/::warning::errors-vs-stable \(shadow, no action taken\): would have rolled back at \S+Z: Roll back when/);
      expect(step.summary).toMatch(/errors-vs-stable \(shadow, no action taken\): would have rolled back at \S+Z: Roll back when/);
      // No rollback: no rollback deployment, and the shift command ran only once (the canary stays bad).
      expect(deployments.deployments.length).toBe(count + 1);
      expect(exporter.ratios.get("shadow-canary")).toBe(0.06);
      expect(deployments.byId(Number(step.outputs["deployment-id"]))!.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
    }, 90_000);
  });
}
