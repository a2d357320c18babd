// Property tests for the rollout core, both sides: random histories never let `advance` through a
// failing guard (and the protection rule agrees), a valid history always lets it through, and
// blackout windows agree with a brute-force oracle that reads local time with Intl, DST included.
import fc from "fast-check";
import { WEEKDAYS, type BlackoutWindow } from "../../src/core/config/schema.js";
import { blackoutAt } from "../../src/core/rollout/blackout.js";
import { deriveRollout } from "../../src/core/rollout/derive-rollout.js";
import { decideAdvance, decideProtectionRule, type AdvanceContext } from "../../src/core/rollout/guards.js";
import { planRollback } from "../../src/core/rollout/plan-rollback.js";
import type { Decision, DeploymentRecord, DeploymentState } from "../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../support/rollout-builders.js";

const RUNS = 10_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");
const HOUR = 3_600_000;
const HEAD = "h".repeat(40);
const MERGE = "m".repeat(40);

const iso = (t: number) => new Date(t).toISOString();
const stateArb = fc.constantFrom<DeploymentState>("queued", "pending", "in_progress", "success", "failure", "error", "inactive");

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/Sao_Paulo"];
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const windowArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    days: fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 6 }), { nil: undefined }),
    times: fc.option(fc.tuple(clock, clock).filter(([a, b]) => a !== b), { nil: undefined }),
    dates: fc.option(fc.tuple(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 20 })), { nil: undefined }),
  })
  .filter((w) => w.days !== undefined || w.times !== undefined || w.dates !== undefined)
  .map((w): BlackoutWindow => {
    const window: BlackoutWindow = { name: "w", "time-zone": w.zone };
    if (w.days) window.days = w.days;
    if (w.times) [window.start, window.end] = w.times;
    if (w.dates) {
      window.from = iso(T0 + w.dates[0] * 24 * HOUR).slice(0, 10);
      window.to = iso(T0 + (w.dates[0] + w.dates[1]) * 24 * HOUR).slice(0, 10);
    }
    return window;
  });


/** Brute-force reading of a window, independent of blackout.ts: the local wall clock from Intl. */
const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallClock(t: number, zone: string): { date: string; weekday: string; minutes: number; wallMs: number } {
  let f = wallFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    wallFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const [y, m, d, h, min] = [p.year, p.month, p.day, p.hour, p.minute].map(Number) as [number, number, number, number, number];
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday!.toLowerCase(), minutes: h * 60 + min, wallMs: Date.UTC(y, m - 1, d, h, min) };
}

function dayBefore(date: string): { date: string; weekday: string } {
  const t = Date.parse(`${date}T00:00:00Z`) - 24 * HOUR;
  return { date: new Date(t).toISOString().slice(0, 10), weekday: WEEKDAYS[new Date(t).getUTCDay()]! };
}

function windowCovers(w: BlackoutWindow, t: number): boolean {
  const local = wallClock(t, w["time-zone"]);
  const applies = (day: { date: string; weekday: string }) =>
    (!w.days || (w.days as readonly string[]).includes(day.weekday)) && (w.from === undefined || w.to === undefined || (day.date >= w.from && day.date <= w.to));
  if (w.start === undefined || w.end === undefined) return applies(local);
  const [start, end] = [w.start, w.end].map((c) => Number(c.slice(0, 2)) * 60 + Number(c.slice(3))) as [number, number];
  if (start < end) return local.minutes >= start && local.minutes < end && applies(local);
  return (local.minutes >= start && applies(local)) || (local.minutes < end && applies(dayBefore(local.date)));
}

const history = fc
  .array(
    fc.record({
      stage: fc.constantFrom(...PLAN.map((s) => s.name)),
      release: fc.constantFrom(RELEASE, RELEASE, 7),
      rollback: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      foreign: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      offset: fc.integer({ min: 0, max: 48 * 60 }),
      statuses: fc.array(fc.tuple(stateArb, fc.integer({ min: 0, max: 600 })), { maxLength: 4 }),
    }),
    { maxLength: 10 },
  )
  .map((specs) =>
    specs.map((s, i): DeploymentRecord => {
      const at = T0 + s.offset * 60_000;
      let t = at;
      return deployment({
        id: i + 1,
        stage: s.stage,
        release: s.release,
        sha: s.release === RELEASE ? MERGE : "o".repeat(40),
        at: iso(at),
        foreign: s.foreign,
        ...(s.rollback ? { rollback: { of: 1, reason: "x" } } : {}),
        statuses: s.statuses.map(([state, gap]) => {
          t += (gap + 1) * 60_000;
          return [state, iso(t)] as const;
        }),
      });
    }),
  );

const facts = fc.record({
  merged: fc.boolean(),
  ready: fc.boolean(),
  paused: fc.boolean(),
  preMerge: fc.boolean(),
  now: fc.integer({ min: 0, max: 96 }).map((h) => new Date(T0 + h * HOUR)),
  requested: fc.option(fc.constantFrom(...PLAN.map((s) => s.name), "nope"), { nil: undefined }),
  // An approved override counts only for the head it was approved on.
  override: fc.option(fc.constantFrom(HEAD, "x".repeat(40)), { nil: null }),
  blackout: fc.array(windowArb, { maxLength: 2 }),
});

describe("rollout state machine (property)", () => {
  it("only allows the next stage (or a retry) when every guard holds, and the protection rule agrees", () => {
    fc.assert(
      fc.property(history, facts, (deployments, f) => {
        const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments });
        expect(state.currentIndex).toBeGreaterThanOrEqual(-1);
        expect(state.currentIndex).toBeLessThan(PLAN.length);
        const ctx = {
          pull: { merged: f.merged, mergeCommitSha: f.merged ? MERGE : null, headSha: HEAD, labels: f.paused ? ["release:paused"] : [] },
          readiness: { sha: HEAD, passed: f.ready },
          override: f.override === null ? null : { sha: f.override },
          config: { rollout: { "allow-pre-merge": f.preMerge, "pause-label": "release:paused", blackout: f.blackout } },
          now: f.now,
        };
        const decision = decideAdvance({ ...ctx, state, ...(f.requested ? { requestedStage: f.requested } : {}) });
        if (decision.allowed) {
          expect(state.rolledBack).toBe(false);
          expect((f.ready || f.override === HEAD) && !f.paused && (f.merged || f.preMerge)).toBe(true);
          expect(f.blackout.some((w) => windowCovers(w, f.now.getTime()))).toBe(false);
          const retry = decision.index === state.currentIndex && state.stages[decision.index]!.phase === "failure";
          expect(decision.index === state.currentIndex + 1 || retry).toBe(true);
          expect(state.stages.some((s) => s.phase === "queued" || s.phase === "in_progress")).toBe(false);
          const previous = state.stages[decision.index - 1];
          if (previous) {
            expect(previous.phase).toBe("success");
            expect(Date.parse(previous.observeEndsAt!)).toBeLessThanOrEqual(f.now.getTime());
          }
          expect(decision.sha).toBe(f.merged ? MERGE : HEAD);
          // The deployment `advance` would create is one the protection rule approves.
          const created = deployment({ id: 999, stage: decision.stage.name, sha: decision.sha, at: iso(f.now.getTime()) });
          const rule = decideProtectionRule({ ...ctx, rollout: { release: RELEASE, plan: PLAN, deployments: [...deployments, created] }, deployment: created });
          expect(rule.state).toBe("approved");
        } else {
          expect(decision.refusals.length).toBeGreaterThan(0);
        }
        const plan = planRollback(state, "property");
        const ours = new Set(deployments.filter((d) => d.payload?.release === RELEASE).map((d) => d.id));
        for (const u of plan.updates) expect(ours.has(u.deploymentId)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

type Decide = (ctx: AdvanceContext) => Decision;

/** A history that may advance: stages 0..k-1 succeeded in order (some after a failed attempt), windows over. */
const validRelease = fc.record({
  done: fc.integer({ min: 0, max: PLAN.length - 1 }),
  retried: fc.array(fc.boolean(), { minLength: PLAN.length, maxLength: PLAN.length }),
  gaps: fc.array(fc.integer({ min: 1, max: 600 }), { minLength: PLAN.length, maxLength: PLAN.length }),
  others: fc.array(fc.tuple(stateArb, fc.integer({ min: 0, max: 48 * 60 })), { maxLength: 3 }),
  slack: fc.integer({ min: 0, max: 72 * 60 }),
  merged: fc.boolean(),
  readyBy: fc.constantFrom("check", "override", "both"),
  named: fc.boolean(),
  labels: fc.subarray(["user-facing", "needs-review"]),
  blackout: fc.array(windowArb, { minLength: 1, maxLength: 2 }),
});

function validHistoryAllows(decide: Decide) {
  return fc.property(validRelease, (r) => {
    const deployments: DeploymentRecord[] = [];
    let t = T0;
    let id = 1;
    for (let i = 0; i < r.done; i++) {
      const stage = PLAN[i]!.name;
      if (r.retried[i]) {
        deployments.push(deployment({ id: id++, stage, sha: MERGE, at: iso(t), statuses: [["in_progress", iso(t + 60_000)], ["failure", iso(t + 120_000)]] }));
        t += 5 * 60_000;
      }
      const window = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [] }).stages[i]!.observeMs;
      deployments.push(deployment({ id: id++, stage, sha: MERGE, at: iso(t), statuses: [["in_progress", iso(t + 60_000)], ["success", iso(t + window + 120_000)]] }));
      t += window + r.gaps[i]! * 60_000 + 120_000;
    }
    // Another release's deployments, in any state, never hold this one up.
    for (const [state, offset] of r.others) {
      deployments.push(deployment({ id: id++, release: 7, sha: "o".repeat(40), at: iso(T0 + offset * 60_000), statuses: [[state, iso(T0 + (offset + 1) * 60_000)]] }));
    }
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments });
    const previous = state.stages[r.done - 1];
    const now = new Date(Math.max(t, previous?.observeEndsAt ? Date.parse(previous.observeEndsAt) : T0) + r.slack * 60_000);
    fc.pre(!r.blackout.some((w) => windowCovers(w, now.getTime())));
    const decision = decide({
      state,
      pull: { merged: r.merged, mergeCommitSha: r.merged ? MERGE : null, headSha: HEAD, labels: r.labels },
      readiness: r.readyBy === "override" ? { sha: HEAD, passed: false } : { sha: HEAD, passed: true },
      override: r.readyBy === "check" ? null : { sha: HEAD },
      config: { rollout: { "allow-pre-merge": !r.merged, "pause-label": "release:paused", blackout: r.blackout } },
      now,
      ...(r.named ? { requestedStage: PLAN[r.done]!.name } : {}),
    });
    expect(decision).toMatchObject({ allowed: true, index: r.done, sha: r.merged ? MERGE : HEAD });
  });
}

describe("rollout state machine, the other half (property)", () => {
  it("a valid history (earlier stages succeeded, windows over, ready or overridden, no pause, no blackout) may advance", () => {
    fc.assert(validHistoryAllows(decideAdvance), { numRuns: 2_000 });
  });

  it("fails for a decideAdvance that never allows", () => {
    const neverAllows: Decide = () => ({ allowed: false, refusals: [{ code: "not-ready", message: "no" }] });
    expect(fc.check(validHistoryAllows(neverAllows), { numRuns: 50 }).failed).toBe(true);
  });
});

const QUARTER = 15 * 60_000;

/**
 * Every zone here is a whole number of quarter hours from UTC and changes offset on a quarter hour,
 * and windows start and end on quarter hours: so a window's edges lie on the UTC quarter-hour grid
 * and stepping along it finds them.
 */
function matchesOracle(blackout: typeof blackoutAt) {
  return fc.property(windowArb, fc.integer({ min: 0, max: 365 * 24 * 4 }), (window, quarter) => {
    const now = T0 + quarter * QUARTER + 7 * 60_000;
    const result = blackout([window], new Date(now));
    expect(result.blocked).toBe(windowCovers(window, now));
    if (!result.blocked) return;
    let t = Math.ceil(now / QUARTER) * QUARTER;
    while (windowCovers(window, t)) t += QUARTER;
    // A fall-back hour repeats the window's end time; the window covers both passes (blackout.ts).
    let fallBack = false;
    for (let s = Math.ceil(now / QUARTER) * QUARTER; s <= t + 2 * HOUR; s += QUARTER) {
      if (wallClock(s, window["time-zone"]).wallMs - wallClock(s - QUARTER, window["time-zone"]).wallMs < QUARTER) fallBack = true;
    }
    const end = Date.parse(result.endsAt);
    if (!fallBack) expect(result.endsAt).toBe(iso(t));
    else {
      expect(end).toBeGreaterThanOrEqual(t);
      expect(windowCovers(window, end - 60_000) && !windowCovers(window, end)).toBe(true);
    }
  });
}

describe("blackout windows (property)", () => {
  it("agree with a brute-force reading of the local wall clock: blocked when it covers, free from the first instant it does not", () => {
    fc.assert(matchesOracle(blackoutAt), { numRuns: 3_000 });
  });

  it("the oracle catches a blackoutAt that reads every window in UTC", () => {
    const utcOnly: typeof blackoutAt = (windows, at) => blackoutAt(windows.map((w) => ({ ...w, "time-zone": "UTC" })), at);
    expect(fc.check(matchesOracle(utcOnly), { numRuns: 3_000 }).failed).toBe(true);
  });

  it("still holds the function's own promise: blocked until endsAt, free at endsAt", () => {
    fc.assert(
      fc.property(windowArb, fc.integer({ min: 0, max: 365 * 24 * 4 }), (window, quarter) => {
        const now = new Date(T0 + quarter * 15 * 60_000 + 7 * 60_000);
        const result = blackoutAt([window], now);
        if (!result.blocked) return;
        const end = Date.parse(result.endsAt);
        expect(end).toBeGreaterThan(now.getTime());
        expect(blackoutAt([window], new Date(end - 1)).blocked).toBe(true);
        expect(blackoutAt([window], new Date(end)).blocked).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
