// Property tests for the rollout core: random deployment histories never break the state machine,
// `advance` and the protection rule agree, and blackout windows end where they say, DST included.
import fc from "fast-check";
import { WEEKDAYS, type BlackoutWindow } from "../../src/core/config/schema.js";
import { blackoutAt } from "../../src/core/rollout/blackout.js";
import { deriveRollout } from "../../src/core/rollout/derive-rollout.js";
import { decideAdvance, decideProtectionRule } from "../../src/core/rollout/guards.js";
import { planRollback } from "../../src/core/rollout/plan-rollback.js";
import type { DeploymentRecord, DeploymentState } from "../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../support/rollout-builders.js";

const RUNS = 10_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");
const HOUR = 3_600_000;
const HEAD = "h".repeat(40);
const MERGE = "m".repeat(40);

const iso = (t: number) => new Date(t).toISOString();
const stateArb = fc.constantFrom<DeploymentState>("queued", "pending", "in_progress", "success", "failure", "error", "inactive");

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
          override: null,
          config: { rollout: { "allow-pre-merge": f.preMerge, "pause-label": "release:paused", blackout: [] } },
          now: f.now,
        };
        const decision = decideAdvance({ ...ctx, state, ...(f.requested ? { requestedStage: f.requested } : {}) });
        if (decision.allowed) {
          expect(state.rolledBack).toBe(false);
          expect(f.ready && !f.paused && (f.merged || f.preMerge)).toBe(true);
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

describe("blackout windows (property)", () => {
  it("a blocked instant stays blocked until endsAt and is free at endsAt", () => {
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
