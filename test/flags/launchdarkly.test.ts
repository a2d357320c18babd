// The LaunchDarkly driver against recorded request/response shapes from LaunchDarkly's public API
// reference (test/fixtures/launchdarkly/README.md), served by a local HTTP server: not the SaaS.
import type { Cohort } from "../../src/core/flags/driver.js";
import { launchDarklyDriver } from "../../src/flags/launchdarkly.js";
import { ldFixture, startFakeLaunchDarkly, type FakeLaunchDarkly } from "../support/fake-launchdarkly.js";
import { evaluateLd } from "../support/launchdarkly-evaluate.js";

const TOKEN = "api-5e1c0ffee-never-printed-0123456789";
const internal: Cohort = { name: "internal", attribute: "email", match: { kind: "ends-with", suffix: "@acme.com" } };
const beta: Cohort = { name: "beta", attribute: "plan", match: { kind: "in", values: ["beta", "early-access"] } };
const ON = "86208e6e-468f-4425-b334-7f318397f95c";
const OFF = "7b32de80-f346-4276-bb77-28dfa7ddc2d8";

describe("the LaunchDarkly driver (recorded shapes on a local server)", () => {
  let ld: FakeLaunchDarkly;
  beforeEach(async () => {
    ld = await startFakeLaunchDarkly({ token: TOKEN, project: "shop" });
  });
  afterEach(() => ld.close());
  const driver = (token = TOKEN, timeoutMs?: number) =>
    launchDarklyDriver({ url: ld.url, project: "shop", key: "new-checkout", environment: "production", token, ...(timeoutMs ? { timeoutMs } : {}) });

  it("rolls out by a semantic patch in the reference's shape: flag on, a rule per cohort, the default rule's weights in thousandths", async () => {
    const flag = driver();
    expect(await flag.read()).toEqual({ on: false });
    const change = await flag.setRollout({ cohorts: [internal, beta], percent: 10, stickiness: "userId" });
    expect(change).toEqual({ provider: "launchdarkly", key: "new-checkout", from: { on: false }, to: { on: true, percent: 10, cohorts: ["internal", "beta"] } });

    const [, get, patch] = ld.requests;
    expect(get).toMatchObject({ method: "GET", path: "/api/v2/flags/shop/new-checkout", query: "env=production" });
    expect(patch!.method).toBe("PATCH");
    expect(patch!.headers["content-type"]).toBe("application/json; domain-model=launchdarkly.semanticpatch");
    expect(patch!.headers.authorization).toBe(TOKEN);
    expect(patch!.body).toEqual(ldFixture("semantic-patch-rollout.json"));

    // Someone else's rule ("Support staff") is kept, ahead of ours.
    const env = ld.flag.environments.production;
    expect(env.rules.map((r: { description: string }) => r.description)).toEqual(["Support staff", "release-gate cohort internal", "release-gate cohort beta"]);
    expect(env.fallthrough.rollout).toEqual({ variations: [{ variation: 0, weight: 10000 }, { variation: 1, weight: 90000 }], bucketBy: "userId", contextKind: "user" });
    // The other environment is untouched.
    expect(ld.flag.environments.staging).toEqual(ldFixture("flag.json").environments.staging);
  });

  it("widens by replacing only its own rules, and keeps the bucketing so nobody loses the flag", async () => {
    const flag = driver();
    await flag.setRollout({ cohorts: [internal], percent: 10, stickiness: "userId" });
    const ownRule = ld.flag.environments.production.rules[1]._id;
    const change = await flag.setRollout({ cohorts: [internal, beta], percent: 50, stickiness: "userId" });
    expect(change.from).toEqual({ on: true, percent: 10, cohorts: ["internal"] });
    expect(change.to).toEqual({ on: true, percent: 50, cohorts: ["internal", "beta"] });
    const patch = ld.requests.at(-1)!.body;
    expect(patch.instructions.filter((i: { kind: string }) => i.kind === "removeRule")).toEqual([{ kind: "removeRule", ruleId: ownRule }]);
    expect(patch.instructions.at(-1)).toEqual({ kind: "updateFallthroughVariationOrRollout", rolloutWeights: { [ON]: 50000, [OFF]: 50000 }, rolloutContextKind: "user", rolloutBucketBy: "userId" });
    expect(ld.flag.environments.production.rules[0].description).toBe("Support staff");
  });

  it("turns the flag off in one call (turnFlagOff), from the state it last wrote", async () => {
    const flag = driver();
    await flag.setRollout({ cohorts: [internal], percent: 5, stickiness: "key" });
    const before = ld.requests.length;
    const change = await flag.turnOff();
    expect(ld.requests.slice(before).map((r) => r.method)).toEqual(["PATCH"]);
    expect(ld.requests.at(-1)!.body).toEqual(ldFixture("semantic-patch-off.json"));
    expect(change).toEqual({ provider: "launchdarkly", key: "new-checkout", from: { on: true, percent: 5, cohorts: ["internal"] }, to: { on: false } });
    expect(ld.flag.environments.production.on).toBe(false);
    // stickiness "key" is LaunchDarkly's own default: no rolloutBucketBy sent.
    expect(JSON.stringify(ld.requests[1]!.body)).not.toContain("rolloutBucketBy");
    // A fresh driver (a later job) reads the state first, then turns off.
    const later = driver();
    const again = await later.turnOff();
    expect(again.from).toEqual({ on: false });
  });

  it("says what LaunchDarkly answered, with a hint for a bad token, and never repeats the token", async () => {
    const wrong = "api-wrong-token-abcdef0123456789";
    const error = await driver(wrong).setRollout({ cohorts: [], percent: 5, stickiness: "key" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'launchdarkly flag "new-checkout": LaunchDarkly answered 401 to GET: unauthorized: Invalid access token (check the token\'s role: it needs writer access to the flag in this environment)',
    );
    expect((error as Error).message).not.toContain(wrong);

    const missingEnv = launchDarklyDriver({ url: ld.url, project: "shop", key: "new-checkout", environment: "prod-eu", token: TOKEN });
    await expect(missingEnv.read()).rejects.toThrow('the flag has no environment "prod-eu" (it has none)');

    ld.delayMs = 500;
    await expect(driver(TOKEN, 100).turnOff()).rejects.toThrow("no answer within 100 ms");
  });

  it("the fake is as strict as the reference: no semantic-patch Content-Type, unknown instruction or bad weights are 400", async () => {
    const patch = (body: unknown, contentType = "application/json; domain-model=launchdarkly.semanticpatch") =>
      fetch(`${ld.url}/api/v2/flags/shop/new-checkout`, { method: "PATCH", headers: { Authorization: TOKEN, "Content-Type": contentType }, body: JSON.stringify(body) });
    const off = ldFixture("semantic-patch-off.json");
    expect((await patch(off, "application/json")).status).toBe(400);
    expect((await patch({ instructions: [{ kind: "turnFlagOff" }] })).status).toBe(400);
    expect((await patch({ environmentKey: "production", instructions: [{ kind: "flipIt" }] })).status).toBe(400);
    expect((await patch({ environmentKey: "production", instructions: [{ kind: "updateFallthroughVariationOrRollout", rolloutWeights: { [ON]: 10, [OFF]: 10 } }] })).status).toBe(400);
    expect((await patch(off)).status).toBe(200);
  });

  it("serves what the stage asked, as the SDKs' documented bucketing reads the written flag: cohorts on, ±1.5 points of the rest, sticky, all off after turnOff", async () => {
    const flag = driver();
    const contexts = Array.from({ length: 10_000 }, (_, i) => ({
      key: `ctx-${i}`,
      userId: `user-${i}`,
      email: i % 20 === 0 ? `dev${i}@acme.com` : `p${i}@example.org`,
      plan: i % 20 === 1 ? "beta" : "standard",
      role: "customer",
    }));
    const member = (c: (typeof contexts)[number]) => c.email.endsWith("@acme.com") || c.plan === "beta";
    let previous = new Set<string>();
    const shares: string[] = [];
    for (const percent of [10, 50]) {
      await flag.setRollout({ cohorts: [internal, beta], percent, stickiness: "userId" });
      const served = new Set(contexts.filter((c) => evaluateLd(ld.flag, "production", c) === true).map((c) => c.userId));
      expect(contexts.filter(member).every((c) => served.has(c.userId))).toBe(true);
      const rest = contexts.filter((c) => !member(c));
      const share = (rest.filter((c) => served.has(c.userId)).length / rest.length) * 100;
      shares.push(share.toFixed(2));
      expect(Math.abs(share - percent)).toBeLessThanOrEqual(1.5);
      expect([...previous].filter((id) => !served.has(id))).toEqual([]);
      previous = served;
    }
    console.log(`LaunchDarkly (documented SDK bucketing over recorded shapes), 10,000 contexts: share of the rest at 10/50 %: ${shares.join(" / ")}`);
    await flag.turnOff();
    expect(contexts.filter((c) => evaluateLd(ld.flag, "production", c) !== false)).toEqual([]);
  });
});
