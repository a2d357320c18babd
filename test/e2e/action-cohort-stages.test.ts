// End to end (issue 19): the bundled Action, run as the runner runs it, takes the documented example
// plan (docs/cohorts-and-regions.md: internal → beta → eu-10 → eu-100 → us-100) stage by stage, each
// deployment carrying the payload the app writes for it (core/rollout/stage-payload.ts), and moves
// a flag: a flagd file judged by flagd's own evaluator (@openfeature/flagd-core), and a flag on a
// real Unleash 7.5.1 judged by Unleash's own SDK. After each stage: members of every cohort on so far
// are served, members of a later cohort are not, and the share of everyone else is the stage's
// percent within ±1.5 points. A breach then turns the flag off for everyone, cohorts included.
import { FlagdCore } from "@openfeature/flagd-core";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "../../src/core/config/parse-config.js";
import { plannedStages, stagePayload } from "../../src/core/rollout/stage-payload.js";
import { examplePlanYaml } from "../support/example-plan.js";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { runActionStep, type ActionStep } from "../support/run-action.js";
import { evaluateWithUnleashClient, startUnleash, untilServed, type RunningUnleash } from "../support/unleash-server.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const TOKEN = "ghs_action_token_cohorts_0123456789";
const UNLEASH_FLAG = "checkout-v2";

const parsed = parseConfigText({ file: ".github/release-gate.yml", text: examplePlanYaml() });
if (!parsed.ok) throw new Error(`the documented example plan is invalid: ${JSON.stringify(parsed.problems)}`);
const config = parsed.config;
const plan = plannedStages(config.rollout.stages, config.rollout.environment);

interface Person {
  userId: string;
  email: string;
  plan: string;
}
const internal: Person[] = Array.from({ length: 60 }, (_, i) => ({ userId: `staff-${i}`, email: `staff-${i}@acme.com`, plan: "free" }));
const beta: Person[] = Array.from({ length: 60 }, (_, i) => ({ userId: `beta-${i}`, email: `b${i}@example.org`, plan: i % 2 ? "beta" : "early-access" }));
const everyoneElse: Person[] = Array.from({ length: 10_000 }, (_, i) => ({ userId: `user-${i}`, email: `user-${i}@example.org`, plan: "free" }));

/** What the page's table says each stage serves: cohorts on so far, and the share of everyone else. */
const EXPECTED: Record<string, { internal: boolean; beta: boolean; share: number }> = {
  internal: { internal: true, beta: false, share: 0 },
  beta: { internal: true, beta: true, share: 0 },
  "eu-10": { internal: true, beta: true, share: 10 },
  "eu-100": { internal: true, beta: true, share: 100 },
  "us-100": { internal: true, beta: true, share: 100 },
};

interface Served {
  internal: boolean[];
  beta: boolean[];
  share: number;
}
const split = (enabled: boolean[]): Served => ({
  internal: enabled.slice(0, internal.length),
  beta: enabled.slice(internal.length, internal.length + beta.length),
  share: (100 * enabled.slice(internal.length + beta.length).filter(Boolean).length) / everyoneElse.length,
});
const everybody = [...internal, ...beta, ...everyoneElse];

function expectServed(stage: string, served: Served) {
  const want = EXPECTED[stage]!;
  // Each cohort whole or not at all; a later cohort's members only as part of the share, which is 0 before eu-10.
  expect([stage, served.internal.every(Boolean)]).toEqual([stage, want.internal]);
  expect([stage, want.beta ? served.beta.every(Boolean) : served.beta.some(Boolean)]).toEqual([stage, want.beta]);
  expect([stage, Math.abs(served.share - want.share) <= 1.5, served.share]).toEqual([stage, true, expect.any(Number)]);
}

describe("the Action runs the documented cohort and region plan", () => {
  let github: FakeGitHub;
  let world: FakeWorld;
  let dir: string;

  beforeAll(async () => {
    world = fakeWorld({ clock: "real" });
    github = await startFakeGitHub(world.routes());
    dir = await mkdtemp(join(tmpdir(), "rg-cohort-e2e-"));
  });

  afterAll(async () => {
    await github?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** One stage, as `on: deployment` runs it for the app's deployment of that stage. */
  async function runStage(index: number, flag: string, extra: { env?: Record<string, string>; gates?: string; sha?: string } = {}): Promise<ActionStep> {
    const stage = plan[index]!;
    const payload = stagePayload({ plan, index, cohorts: config.rollout.cohorts, release: 7, triggers: [] });
    const sha = extra.sha ?? "7".repeat(40);
    const created = world.deployments.add({ owner: OWNER, repo: REPO, sha, environment: stage.environment ?? config.rollout.environment, payload });
    const event = webhookExample("deployment", "created");
    event.deployment.id = created.id;
    event.deployment.sha = sha;
    event.deployment.environment = created.environment;
    event.deployment.payload = created.payload;
    event.repository.owner.login = OWNER;
    event.repository.name = REPO;
    return runActionStep({
      apiUrl: github.url,
      repository: `${OWNER}/${REPO}`,
      sha,
      eventName: "deployment",
      event,
      inputs: { token: TOKEN, gates: extra.gates ?? "[]", flag, observe: "1s", interval: "1s", active: "window" },
      ...(extra.env ? { extraEnv: extra.env } : {}),
    });
  }

  it("flagd: each stage's file serves its cohorts and share by flagd's own evaluator, other flags untouched", async () => {
    const path = join(dir, "flags.json");
    const untouched = { state: "ENABLED", variants: { red: "#f00", blue: "#00f" }, defaultVariant: "red" };
    await writeFile(path, JSON.stringify({ flags: { "new-checkout": { state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off" }, "header-color": untouched } }, null, 2));
    const flag = `{ provider: flagd, path: ${path}, key: new-checkout, stickiness: userId }`;
    for (let index = 0; index < plan.length; index++) {
      const stage = plan[index]!;
      const step = await runStage(index, flag);
      expect([stage.name, step.code, step.outputs.verdict, step.outputs.cohort ?? ""]).toEqual([stage.name, 0, "success", stage.cohort ?? ""]);
      const text = await readFile(path, "utf8");
      const core = new FlagdCore();
      core.setConfigurations(text);
      expectServed(stage.name, split(everybody.map((p) => core.resolveBooleanEvaluation("new-checkout", false, { targetingKey: p.userId, ...p }).value)));
      expect(JSON.parse(text).flags["header-color"]).toEqual(untouched);
    }
  }, 120_000);

  describe("Unleash", () => {
    let unleash: RunningUnleash;
    beforeAll(async () => {
      unleash = await startUnleash();
      expect((await unleash.admin("POST", "/projects/default/features", { name: UNLEASH_FLAG, type: "release" })).status).toBe(201);
    }, 120_000);
    afterAll(async () => {
      await unleash?.stop();
    });

    const flag = () => `{ provider: unleash, url: "${unleash.url}", key: ${UNLEASH_FLAG}, environment: production, token: $UNLEASH_ADMIN_TOKEN, stickiness: userId }`;
    const env = () => ({ UNLEASH_ADMIN_TOKEN: unleash.adminToken });
    const evaluate = async (on: boolean) => {
      await untilServed(unleash, UNLEASH_FLAG, on);
      const contexts = everybody.map((p) => ({ userId: p.userId, properties: { email: p.email, plan: p.plan } }));
      return split(await evaluateWithUnleashClient(unleash, UNLEASH_FLAG, contexts));
    };

    it("each stage sets the flag's strategies, evaluated by Unleash's own SDK; the token never shows", async () => {
      for (let index = 0; index < plan.length; index++) {
        const stage = plan[index]!;
        const step = await runStage(index, flag(), { env: env() });
        expect([stage.name, step.code, step.outputs.verdict]).toEqual([stage.name, 0, "success"]);
        // Masked before any call (the runner hides it in every later line); never printed otherwise.
        const lines = step.stdout.split("\n");
        expect(lines).toContain(`::add-mask::${unleash.adminToken}`);
        expect(lines.filter((l) => !l.startsWith("::add-mask::") && l.includes(unleash.adminToken))).toEqual([]);
        expectServed(stage.name, await evaluate(true));
      }
    }, 240_000);

    it("a breach at the first stage turns the flag off for everyone, the internal cohort included", async () => {
      const first = await runStage(0, flag(), { env: env(), sha: "8".repeat(40) });
      expect(first.outputs.verdict).toBe("success");
      expectServed("internal", await evaluate(true));
      // The same stage again, now with a gate that breaches on its first sample.
      const breaching = "- name: always-breaches\n  command: echo 1\n  max: 0\n";
      const step = await runStage(0, flag(), { env: env(), gates: breaching, sha: "9".repeat(40) });
      expect(step.outputs).toMatchObject({ verdict: "failure", "rolled-back": "true" });
      const after = await evaluate(false);
      expect([...after.internal, ...after.beta].some(Boolean)).toBe(false);
      expect(after.share).toBe(0);
    }, 120_000);
  });
});
