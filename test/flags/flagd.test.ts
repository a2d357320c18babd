// The flagd driver against flagd's own evaluator: the file it writes is loaded by
// @openfeature/flagd-core (the in-process evaluation flagd providers use) and evaluated for 10,000
// contexts, so "10 %" and "cohort members on" are what flagd serves, not what we think we wrote.
import { FlagdCore } from "@openfeature/flagd-core";
import { mkdtemp, readdir, readFile, rm, writeFile, chmod, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cohort } from "../../src/core/flags/driver.js";
import { flagdDriver } from "../../src/flags/flagd.js";

const internal: Cohort = { name: "internal", attribute: "email", match: { kind: "ends-with", suffix: "@acme.com" } };
const beta: Cohort = { name: "beta", attribute: "plan", match: { kind: "in", values: ["beta", "early-access"] } };
const tenant: Cohort = { name: "tenant-7", attribute: "tenantId", match: { kind: "equals", value: "t-7" } };

const otherFlags = {
  "header-color": {
    state: "ENABLED",
    variants: { red: "#f00", blue: "#00f" },
    defaultVariant: "red",
    targeting: { if: [{ "==": [{ var: "plan" }, "beta"] }, "blue", null] },
  },
  "old-checkout": { state: "DISABLED", variants: { on: true, off: false }, defaultVariant: "off" },
};

const file = (flag: Record<string, unknown>) =>
  JSON.stringify({ $schema: "https://flagd.dev/schema/v0/flags.json", metadata: { flagSetId: "shop" }, flags: { ...otherFlags, "new-checkout": flag } }, null, 2);

interface Context {
  userId: string;
  email: string;
  plan: string;
  tenantId: string;
  targetingKey: string;
}

// 10,000 users: ~5 % internal, ~5 % beta, one tenant, the rest ordinary.
const contexts: Context[] = Array.from({ length: 10_000 }, (_, i) => ({
  userId: `user-${i}`,
  targetingKey: `user-${i}`,
  email: i % 20 === 0 ? `dev${i}@acme.com` : `person${i}@example.org`,
  plan: i % 20 === 1 ? (i % 40 === 1 ? "beta" : "early-access") : "standard",
  tenantId: i % 500 === 2 ? "t-7" : `t-${i % 97}`,
}));
const inCohort = (c: Context, cohorts: Cohort[]) =>
  cohorts.some((k) => (k.match.kind === "ends-with" ? c.email.endsWith(k.match.suffix) : k.match.kind === "in" ? k.match.values.includes(c[k.attribute as "plan"]) : c[k.attribute as "tenantId"] === k.match.value));

function evaluate(text: string, codeDefault: boolean): Map<string, boolean> {
  const core = new FlagdCore();
  core.setConfigurations(text);
  return new Map(contexts.map((c) => [c.userId, core.resolveBooleanEvaluation("new-checkout", codeDefault, { ...c }).value]));
}

describe("the flagd driver, evaluated by flagd-core", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "flagd-"));
    path = join(dir, "flags.json");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("serves cohorts fully and the percent of everyone else, sticky as it widens, and off for all after turnOff", async () => {
    await writeFile(path, file({ state: "DISABLED", variants: { on: true, off: false }, defaultVariant: "off" }));
    await chmod(path, 0o640);
    const driver = flagdDriver({ path, key: "new-checkout" });
    expect(await driver.read()).toEqual({ on: false });

    const shares: Record<number, number> = {};
    let previous = new Map<string, boolean>();
    const cohorts = [internal, beta, tenant];
    for (const percent of [10, 50, 100]) {
      const change = await driver.setRollout({ cohorts, percent, stickiness: "userId" });
      expect(change.to).toEqual({ on: true, percent, cohorts: ["internal", "beta", "tenant-7"] });
      // The caller's default is false here and true below: the answer must not depend on it.
      const served = evaluate(await readFile(path, "utf8"), false);
      expect(evaluate(await readFile(path, "utf8"), true)).toEqual(served);
      const members = contexts.filter((c) => inCohort(c, cohorts));
      const rest = contexts.filter((c) => !inCohort(c, cohorts));
      expect(members.length).toBeGreaterThan(900);
      expect(members.every((c) => served.get(c.userId))).toBe(true);
      const share = (rest.filter((c) => served.get(c.userId)).length / rest.length) * 100;
      shares[percent] = share;
      expect(Math.abs(share - percent)).toBeLessThanOrEqual(1.5);
      // Sticky: nobody who had the flag loses it as the share widens.
      expect([...previous].filter(([id, on]) => on && !served.get(id))).toEqual([]);
      previous = served;
    }
    console.log(`flagd-core, 10,000 contexts: share of the rest at 10/50/100 %: ${[10, 50, 100].map((p) => shares[p]!.toFixed(2)).join(" / ")}`);

    const off = await driver.turnOff();
    expect(off.from).toEqual({ on: true, percent: 100, cohorts: ["internal", "beta", "tenant-7"] });
    expect(off.to).toEqual({ on: false });
    for (const codeDefault of [false, true]) {
      const served = evaluate(await readFile(path, "utf8"), codeDefault);
      expect([...served.values()].filter(Boolean)).toEqual([]);
    }
    expect(await driver.read()).toEqual({ on: false });
    // Written in place: same permissions, no temporary file left behind.
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(["flags.json"]);
  });

  it("keeps every other flag, the file's own keys and the flag's variants exactly as they were", async () => {
    await writeFile(path, file({ state: "ENABLED", variants: { on: true, off: false, shadow: true }, defaultVariant: "off", metadata: { owner: "payments" } }));
    const before = JSON.parse(await readFile(path, "utf8"));
    const driver = flagdDriver({ path, key: "new-checkout", onVariant: "on" });
    await driver.setRollout({ cohorts: [internal], percent: 5, stickiness: "userId" });
    await driver.turnOff();
    const after = JSON.parse(await readFile(path, "utf8"));
    expect(after.$schema).toEqual(before.$schema);
    expect(after.metadata).toEqual(before.metadata);
    expect(after.flags["header-color"]).toEqual(before.flags["header-color"]);
    expect(after.flags["old-checkout"]).toEqual(before.flags["old-checkout"]);
    expect(after.flags["new-checkout"].variants).toEqual(before.flags["new-checkout"].variants);
    expect(after.flags["new-checkout"].metadata.owner).toBe("payments");
    // The other flag still evaluates as before.
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify(after));
    expect(core.resolveStringEvaluation("header-color", "x", { plan: "beta" }).value).toBe("#00f");
  });

  it("keeps the flag's own rule ahead of its cohorts, parks it while off and restores it when rolled out again", async () => {
    const qaRule = { if: [{ "==": [{ var: "role" }, "qa"] }, "on", null] };
    await writeFile(path, file({ state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off", targeting: qaRule }));
    const driver = flagdDriver({ path, key: "new-checkout" });
    const core = new FlagdCore();
    const at = async (context: Record<string, string>) => {
      core.setConfigurations(await readFile(path, "utf8"));
      return core.resolveBooleanEvaluation("new-checkout", false, context).value;
    };
    await driver.setRollout({ cohorts: [internal], percent: 0, stickiness: "userId" });
    expect(await at({ userId: "u1", role: "qa" })).toBe(true);
    expect(await at({ userId: "u2", email: "a@acme.com" })).toBe(true);
    expect(await at({ userId: "u3", email: "a@example.org" })).toBe(false);
    await driver.turnOff();
    expect(await at({ userId: "u1", role: "qa" })).toBe(false);
    await driver.setRollout({ cohorts: [], percent: 0, stickiness: "userId" });
    expect(await at({ userId: "u1", role: "qa" })).toBe(true);
    expect(await at({ userId: "u2", email: "a@acme.com" })).toBe(false);
    // The rule appears once, not wrapped again on every rewrite.
    const targeting = JSON.stringify(JSON.parse(await readFile(path, "utf8")).flags["new-checkout"].targeting);
    expect(targeting.split('"qa"').length - 1).toBe(2);
  });

  it("shows why off is an off default variant and not `state: DISABLED`: flagd answers DISABLED with the caller's default", () => {
    const core = new FlagdCore();
    core.setConfigurations(file({ state: "DISABLED", variants: { on: true, off: false }, defaultVariant: "off" }));
    expect(core.resolveBooleanEvaluation("new-checkout", true, { userId: "u" }).value).toBe(true);
  });

  it("says what is wrong with the file, naming the flag and the path, and leaves the file alone", async () => {
    const driver = flagdDriver({ path, key: "new-checkout" });
    await expect(driver.read()).rejects.toThrow(`flagd flag "new-checkout": ${path}: cannot read the flag file (ENOENT)`);
    await writeFile(path, "{ not json");
    await expect(driver.turnOff()).rejects.toThrow(/the file is not JSON/);
    await writeFile(path, JSON.stringify({ flags: { other: otherFlags["header-color"] } }));
    await expect(driver.setRollout({ cohorts: [], percent: 5, stickiness: "userId" })).rejects.toThrow("no flag with this key in the file (it has other)");
    await writeFile(path, file({ state: "ENABLED", variants: { a: "x", b: "y" }, defaultVariant: "a" }));
    const before = await readFile(path, "utf8");
    await expect(driver.setRollout({ cohorts: [], percent: 5, stickiness: "userId" })).rejects.toThrow("name the variant served when on with `on-variant`");
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("loses no change when writers overlap: 20 stages rewriting 20 flags of one file at once", async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `flag-${i}`);
    await writeFile(path, JSON.stringify({ flags: Object.fromEntries(keys.map((k) => [k, { state: "ENABLED", variants: { on: true, off: false }, defaultVariant: "off" }])) }));
    await Promise.all(keys.map((key, i) => flagdDriver({ path, key }).setRollout({ cohorts: [], percent: i + 1, stickiness: "userId" })));
    const states = await Promise.all(keys.map((key) => flagdDriver({ path, key }).read()));
    expect(states.map((s) => s.percent)).toEqual(keys.map((_, i) => i + 1));
    expect(await readdir(dir)).toEqual(["flags.json"]);
  });
});
