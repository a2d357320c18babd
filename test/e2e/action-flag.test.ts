// End to end: the bundled Action, run as the runner runs it, moves a feature flag. A stand-in
// service evaluates the flagd file with flagd's own evaluator (@openfeature/flagd-core, as an
// in-process flagd provider watching the file does) for 1,000 users and fails every request that
// takes the new path; a real Prometheus scrapes its error ratio; the Action's gate sees the breach
// and turns the flag off. `rollback-seconds` is breach detected → flag off, measured by the Action.
import { FlagdCore } from "@openfeature/flagd-core";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeGitHub } from "../support/fake-github.js";
import type { FakeDeployments } from "../support/fake-deployment-routes.js";
import type { FakeWorld } from "../support/fake-world.js";
import { ldFixture, startFakeLaunchDarkly, type FakeLaunchDarkly } from "../support/fake-launchdarkly.js";
import { errorRatioQuery, type Exporter, findPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { startGateRig, stopGateRig, type GateRig } from "../support/gate-rig.js";
import { runActionStep, type RunnerSetup } from "../support/run-action.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const TOKEN = "ghs_action_token_never_printed_0987654321";
const LD_TOKEN = "api-ld-token-never-printed-5f3e2d1c0b";
const GOOD_SHA = "a".repeat(40);
const prometheus = findPrometheus();

const flagFile = (flag: Record<string, unknown>) =>
  JSON.stringify(
    {
      $schema: "https://flagd.dev/schema/v0/flags.json",
      flags: {
        "new-checkout": flag,
        "header-color": { state: "ENABLED", variants: { red: "#f00", blue: "#00f" }, defaultVariant: "red" },
      },
    },
    null,
    2,
  );
const users = Array.from({ length: 1000 }, (_, i) => ({ userId: `user-${i}`, email: i % 25 === 0 ? `dev${i}@acme.com` : `p${i}@example.org` }));

/** The service under release: reads the flag file as a flagd file provider does and fails the new path. */
function startService(path: string, exporter: Exporter, service: string) {
  const core = new FlagdCore();
  let lastText = "";
  const seen: Array<{ at: number; share: number; mtimeMs: number }> = [];
  const tick = async () => {
    const text = await readFile(path, "utf8").catch(() => lastText);
    if (text === lastText) return;
    lastText = text;
    const mtimeMs = (await stat(path)).mtimeMs;
    core.setConfigurations(text);
    const on = users.filter((u) => core.resolveBooleanEvaluation("new-checkout", false, u).value).length;
    const share = on / users.length;
    exporter.ratios.set(service, share);
    seen.push({ at: Date.now(), share, mtimeMs });
  };
  const timer = setInterval(() => void tick(), 20);
  return { seen, stop: () => clearInterval(timer), tick };
}

if ("missing" in prometheus) {
  describe("the Action moves a feature flag against a real Prometheus", () => {
    it.skip(`skipped: ${prometheus.missing}`, () => undefined);
  });
} else {
  describe("the Action moves a feature flag against a real Prometheus", () => {
    let rig: GateRig;
    let github: FakeGitHub;
    let world: FakeWorld;
    let deployments: FakeDeployments;
    let exporter: Exporter;
    let prom: RunningPrometheus;
    let dir: string;

    beforeAll(async () => {
      rig = await startGateRig(prometheus.path, { owner: OWNER, repo: REPO, goodSha: GOOD_SHA, ratios: { checkout: 0 } });
      ({ github, world, deployments, exporter, prom } = rig);
      dir = await mkdtemp(join(tmpdir(), "rg-flag-e2e-"));
    }, 120_000);

    afterAll(async () => {
      await stopGateRig(rig ?? {});
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const gates = (max: number) =>
      ["- name: error-rate", "  prometheus:", `    url: ${prom.url}`, `    query: '${errorRatioQuery("checkout")}'`, `  max: ${max}`, "  unit: ratio"].join("\n");
    const setup = (overrides: Partial<RunnerSetup> & { inputs: Record<string, string> }): RunnerSetup => ({
      apiUrl: github.url,
      repository: `${OWNER}/${REPO}`,
      sha: "1".repeat(40),
      eventName: "workflow_dispatch",
      event: { inputs: {} },
      ...overrides,
      inputs: { token: TOKEN, interval: "1s", ...overrides.inputs },
    });

    it("serves the stage's cohort and percent from the app's payload, then on a breach turns the flag off first: off for all, within 2 s", async () => {
      const path = join(dir, "flags.json");
      await writeFile(path, flagFile({ state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off" }));
      const service = startService(path, exporter, "checkout");
      try {
        const sha = "5".repeat(40);
        const payload = {
          stage: "eu-10",
          percent: 10,
          release: 12,
          plan: [{ name: "eu-10", percent: 10, observe: "30s" }],
          requestedBy: "alice",
          cohorts: [{ name: "internal", attribute: "email", "ends-with": "@acme.com" }],
        };
        const created = deployments.add({ owner: OWNER, repo: REPO, sha, environment: "production", payload });
        const event = webhookExample("deployment", "created");
        event.deployment.id = created.id;
        event.deployment.sha = sha;
        event.deployment.environment = "production";
        event.deployment.payload = created.payload;
        event.repository.owner.login = OWNER;
        event.repository.name = REPO;
        const flag = `{ provider: flagd, path: ${path}, key: new-checkout, stickiness: userId }`;
        const before = github.requests.length;

        const step = await runActionStep(setup({ eventName: "deployment", event, sha, inputs: { gates: gates(0.05), flag } }));
        expect(step.code).toBe(1);
        expect(step.outputs).toMatchObject({ stage: "eu-10", verdict: "failure", "rolled-back": "true" });

        // While the stage ran the service served internal + ~10 % of the rest: 40 + ~96 of 1,000.
        const peak = Math.max(...service.seen.map((s) => s.share));
        expect(peak).toBeGreaterThan(0.1);
        expect(peak).toBeLessThan(0.17);
        // Off for everyone after the breach, by flagd's own evaluator, whatever default the code asks with.
        const core = new FlagdCore();
        core.setConfigurations(await readFile(path, "utf8"));
        for (const codeDefault of [false, true]) {
          expect(users.filter((u) => core.resolveBooleanEvaluation("new-checkout", codeDefault, u).value)).toEqual([]);
        }
        expect(JSON.parse(await readFile(path, "utf8")).flags["header-color"]).toEqual(JSON.parse(flagFile({})).flags["header-color"]);

        // Flag off first: its line comes after the breaching sample and before the failure is recorded.
        const lines = step.stdout.split("\n");
        const breach = lines.findIndex((l) => / BREACH /.test(l));
        const off = lines.findIndex((l) => l.startsWith("flag new-checkout (flagd) off in "));
        expect(breach).toBeGreaterThan(-1);
        expect(off).toBeGreaterThan(breach);
        const seconds = Number(step.outputs["rollback-seconds"]);
        expect(seconds).toBeLessThanOrEqual(2);
        const lastOff = service.seen.at(-1)!;
        expect(lastOff.share).toBe(0);
        console.log(
          `flagd: rollback-seconds (breach detected → flag off) ${seconds.toFixed(3)}s; file written → service serves off ${(lastOff.at - lastOff.mtimeMs).toFixed(0)}ms (20 ms poll)`,
        );

        expect(step.summary).toMatch(/\*\*Rollback\*\*: done to `aaaaaaa` \(deployment \d+\), \d+\.\d\ds from breach detected to flag off\. flag new-checkout off in \d+\.\d{3}s/);
        // The audit: each flag change a status on the stage's deployment, newest first.
        const stage = deployments.byId(created.id)!;
        expect(stage.statuses.map((s) => [s.state, s.description])).toEqual([
          ["failure", expect.stringMatching(/^eu-10 10%: breach, error-rate: /)],
          ["in_progress", "flag new-checkout (flagd) internal + 10% → off on breach (automatic rollback)"],
          ["in_progress", "flag new-checkout (flagd) off → internal + 10% by @alice"],
          ["in_progress", expect.stringMatching(/^eu-10 10%: started/)],
        ]);
        expectConformingRequests(github.requests.slice(before));
      } finally {
        service.stop();
      }
    }, 120_000);

    it("a rollback deployment from the app's /release rollback turns the flag off the same way", async () => {
      const path = join(dir, "rollback-flags.json");
      await writeFile(path, flagFile({ state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "on" }));
      const payload = { stage: "full", percent: 100, release: 13, plan: [{ name: "full", percent: 100, observe: "1h" }], requestedBy: "bob", rollback: { of: 77, reason: "requested by bob" } };
      const created = deployments.add({ owner: OWNER, repo: REPO, sha: GOOD_SHA, environment: "production", payload });
      const event = webhookExample("deployment", "created");
      event.deployment.id = created.id;
      event.deployment.sha = GOOD_SHA;
      event.deployment.environment = "production";
      event.deployment.payload = created.payload;
      event.repository.owner.login = OWNER;
      event.repository.name = REPO;
      const before = github.requests.length;
      const step = await runActionStep(setup({ eventName: "deployment", event, sha: GOOD_SHA, inputs: { flag: `{ provider: flagd, path: ${path}, key: new-checkout }` } }));
      expect(step.stderr).toBe("");
      expect(step.code).toBe(0);
      expect(step.outputs).toMatchObject({ verdict: "success", "rolled-back": "true", "deployment-id": String(created.id) });
      expect(Number(step.outputs["rollback-seconds"])).toBeLessThanOrEqual(2);
      const core = new FlagdCore();
      core.setConfigurations(await readFile(path, "utf8"));
      expect(users.filter((u) => core.resolveBooleanEvaluation("new-checkout", true, u).value)).toEqual([]);
      expect(created.statuses.map((s) => [s.state, s.description])).toEqual([
        ["success", expect.stringMatching(/^rolled back full 100% of #13 to aaaaaaa: flag new-checkout off in \d+\.\d{3}s$/)],
        ["in_progress", "flag new-checkout (flagd) 100% → off by @bob (rollback of deployment 77)"],
        ["in_progress", "rolling back full 100% of #13: requested by bob"],
      ]);
      // Not a stage: no gate sampled, no window observed.
      expect(step.stdout).not.toMatch(/observing/);
      expectConformingRequests(github.requests.slice(before));
    }, 60_000);

    describe("with LaunchDarkly (recorded shapes on a local server, not the SaaS)", () => {
      let ld: FakeLaunchDarkly;
      beforeAll(async () => {
        ld = await startFakeLaunchDarkly({ token: LD_TOKEN, project: "shop" });
      });
      afterAll(() => ld.close());

      it("rolls out by semantic patch, turns the flag off on a breach, and never prints the token", async () => {
        const flag = `{ provider: launchdarkly, url: ${ld.url}, project: shop, key: new-checkout, environment: production, token: $LD_ACCESS_TOKEN, stickiness: userId }`;
        exporter.ratios.set("checkout", 0.5);
        try {
          const step = await runActionStep(
            setup({ sha: "6".repeat(40), inputs: { stage: "canary", percent: "2.5", observe: "20s", release: "14", gates: gates(0.05), flag }, extraEnv: { LD_ACCESS_TOKEN: LD_TOKEN } }),
          );
          expect(step.code).toBe(1);
          expect(step.outputs).toMatchObject({ verdict: "failure", "rolled-back": "true" });
          const patches = ld.requests.filter((r) => r.method === "PATCH");
          expect(patches.map((p) => p.body.instructions.map((i: { kind: string }) => i.kind))).toEqual([["turnFlagOn", "updateFallthroughVariationOrRollout"], ["turnFlagOff"]]);
          expect(patches[0]!.body.instructions[1].rolloutWeights).toEqual({ "86208e6e-468f-4425-b334-7f318397f95c": 2500, "7b32de80-f346-4276-bb77-28dfa7ddc2d8": 97500 });
          expect(patches[1]!.body).toEqual(ldFixture("semantic-patch-off.json"));
          expect(ld.flag.environments.production.on).toBe(false);
          expect(Number(step.outputs["rollback-seconds"])).toBeLessThanOrEqual(2);
          console.log(`launchdarkly (local recorded shapes): rollback-seconds ${Number(step.outputs["rollback-seconds"]).toFixed(3)}s`);
          // Masked at once, and nowhere else in the log, the summary or any deployment status.
          expect(step.stdout.split("\n").filter((l) => l.includes(LD_TOKEN))).toEqual([`::add-mask::${LD_TOKEN}`]);
          expect(step.summary).not.toContain(LD_TOKEN);
          expect(JSON.stringify(deployments.deployments)).not.toContain(LD_TOKEN);
        } finally {
          exporter.ratios.set("checkout", 0);
        }
      }, 90_000);
    });
  });
}
