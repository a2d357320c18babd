import { sampleOffsets } from "../../../src/core/gates/duration.js";
import { runSchedule } from "../../../src/core/gates/watch-schedule.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe("runSchedule: which samples one run takes of a window", () => {
  it("samples a window that fits the run exactly as a single-run stage always did", () => {
    for (const [windowMs, intervalMs] of [[30 * M, M], [40 * S, 2 * S], [5 * S, 2 * S], [90 * S, 60 * S]] as const) {
      const s = runSchedule({ windowStart: 1000, windowMs, activeMs: Infinity, watchMs: 5 * H, intervalMs, runStart: 1000 });
      expect(s).toMatchObject({ phase: "active", endsWindow: true });
      expect(s.times.map((t) => t - 1000)).toEqual(sampleOffsets(windowMs, intervalMs));
    }
  });

  it("stops at `watch` when the window outlives the run, and leaves the verdict to a later run", () => {
    const s = runSchedule({ windowStart: 0, windowMs: 24 * H, activeMs: Infinity, watchMs: 5 * H, intervalMs: 10 * M, runStart: 0 });
    expect(s.endsWindow).toBe(false);
    expect(s.times.at(-1)).toBe(5 * H);
    expect(s.times).toHaveLength(30);
    // A deadline off the grid is not sampled: the next run continues on the grid.
    const off = runSchedule({ windowStart: 0, windowMs: 24 * H, activeMs: Infinity, watchMs: 5 * H + 5 * M, intervalMs: 10 * M, runStart: 0 });
    expect(off.times.at(-1)).toBe(5 * H);
  });

  it("continues on the window's own grid in a resume run, measured from the stage's start", () => {
    const s = runSchedule({ windowStart: 0, windowMs: 24 * H, activeMs: Infinity, watchMs: 5 * H, intervalMs: 10 * M, runStart: 5 * H + 3 * M });
    expect(s.times[0]).toBe(5 * H + 10 * M);
    expect(s.times.at(-1)).toBe(10 * H);
    const last = runSchedule({ windowStart: 0, windowMs: 24 * H, activeMs: Infinity, watchMs: 5 * H, intervalMs: 10 * M, runStart: 20 * H + 1 * M });
    expect(last).toMatchObject({ endsWindow: true });
    expect(last.times.at(-1)).toBe(24 * H);
  });

  it("watches the active phase closely, then one sample per scheduled run (soak)", () => {
    const base = { windowStart: 0, windowMs: 2 * H, activeMs: 15 * M, watchMs: 5 * H, intervalMs: M };
    const active = runSchedule({ ...base, runStart: 0 });
    expect(active).toMatchObject({ phase: "active", endsWindow: false, activeEnd: 15 * M });
    expect(active.times).toHaveLength(15);
    expect(active.times.at(-1)).toBe(15 * M);
    expect(runSchedule({ ...base, runStart: 40 * M })).toEqual({ phase: "soak", times: [40 * M], endsWindow: false, windowEnd: 2 * H, activeEnd: 15 * M });
    expect(runSchedule({ ...base, runStart: 2 * H + 5 * M })).toMatchObject({ phase: "over", times: [2 * H + 5 * M], endsWindow: true });
  });

  it("takes one sample when `watch` is 0, and a window shorter than the active phase ends in its run", () => {
    expect(runSchedule({ windowStart: 0, windowMs: H, activeMs: Infinity, watchMs: 0, intervalMs: M, runStart: 7 * M }).times).toEqual([7 * M]);
    expect(runSchedule({ windowStart: 0, windowMs: 10 * M, activeMs: 15 * M, watchMs: 5 * H, intervalMs: M, runStart: 0 })).toMatchObject({ endsWindow: true, activeEnd: 10 * M });
  });
});
