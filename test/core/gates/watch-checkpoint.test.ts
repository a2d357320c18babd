import { gateSchema, type Gate } from "../../../src/core/config/schema.js";
import { checkpointUrl, mergeCheckpoints, readCheckpoint, restoreWatch, takeCheckpoint, type WatchCheckpoint } from "../../../src/core/gates/watch-checkpoint.js";
import { valueReading } from "../../../src/core/gates/sample.js";
import { gateVerdict, recordSample, startWatch } from "../../../src/core/gates/watch-gates.js";

const gate = (extra: Record<string, unknown> = {}): Gate => gateSchema.parse({ name: "error-rate", command: "echo 0", max: 0.01, ...extra });
const RUN = "https://github.com/acme/shop/actions/runs/42";
const cp = (gates: WatchCheckpoint["gates"], extra: Partial<WatchCheckpoint> = {}): WatchCheckpoint => ({ v: 1, windowStart: "2026-11-30T10:00:00.000Z", runs: 1, gates, compares: {}, baselines: {}, ...extra });
const tally = (taken: number, valid: number, breaches: number) => ({ taken, valid, breaches, flips: 0, since: {} });

describe("watch checkpoints in a deployment status", () => {
  it("round-trips through log_url, which still opens the run", () => {
    const checkpoint = cp({ "error-rate": tally(3, 3, 1), "p99 latency ü": tally(3, 2, 0) }, { baselines: { "p99 latency ü": 0.4 } });
    const url = checkpointUrl(`${RUN}#old`, checkpoint);
    expect(url.startsWith(`${RUN}#release-gate-checkpoint=`)).toBe(true);
    expect(readCheckpoint(url)).toEqual({ ok: true, checkpoint });
  });

  it("reads anything else as no checkpoint, a malformed one, or one over the cap", () => {
    expect(readCheckpoint(RUN)).toMatchObject({ ok: false, reason: "no-checkpoint" });
    expect(readCheckpoint(undefined)).toMatchObject({ ok: false, reason: "no-checkpoint" });
    expect(readCheckpoint(`${RUN}#release-gate-checkpoint=!!!`)).toMatchObject({ ok: false, reason: "malformed" });
    const wrong = checkpointUrl(RUN, { ...cp({}), gates: { x: { taken: -1 } } } as unknown as WatchCheckpoint);
    expect(readCheckpoint(wrong)).toMatchObject({ ok: false, reason: "malformed" });
    expect(readCheckpoint(`${RUN}#release-gate-checkpoint=${"A".repeat(7000)}`)).toMatchObject({ ok: false, reason: "too-long" });
  });

  it("merges counts as the largest ever recorded: a newer checkpoint cannot reset failure-limit, and is reported", () => {
    const merged = mergeCheckpoints([cp({ "error-rate": tally(10, 10, 2) }), cp({ "error-rate": tally(12, 12, 0) }, { runs: 2, windowStart: "2026-11-30T11:00:00.000Z" })])!;
    expect(merged.checkpoint.gates["error-rate"]).toMatchObject({ taken: 12, valid: 12, breaches: 2 });
    expect(merged.lowered).toEqual(["error-rate breaches 2 → 0"]);
    // The window's start comes from the first checkpoint: a later one cannot move it.
    expect(merged.checkpoint.windowStart).toBe("2026-11-30T10:00:00.000Z");
    expect(merged.checkpoint.runs).toBe(2);
    expect(mergeCheckpoints([])).toBeUndefined();
  });

  it("merges honest checkpoints to the newest and reports nothing", () => {
    const merged = mergeCheckpoints([cp({ "error-rate": tally(3, 3, 0) }), cp({ "error-rate": tally(6, 5, 1) }, { runs: 2 })])!;
    expect(merged.lowered).toEqual([]);
    expect(merged.checkpoint.gates["error-rate"]).toMatchObject({ taken: 6, valid: 5, breaches: 1 });
  });

  it("carries failure-limit and min-samples across runs: a restored watch fails on the breach that passes the limit", () => {
    const g = gate({ "failure-limit": 1, "min-samples": 4 });
    let first = startWatch(g);
    for (const [i, value] of [0.05, 0.001].entries()) first = recordSample(first, valueReading(value), `2026-11-30T10:0${i}:00Z`);
    expect(gateVerdict(first, false)).toEqual({ kind: "watching" });
    const saved = readCheckpoint(checkpointUrl(RUN, takeCheckpoint({ windowStart: "2026-11-30T10:00:00Z", runs: 1, watches: [first], compares: [], baselines: {} })));
    if (!saved.ok) throw new Error(saved.detail);
    let second = restoreWatch(g, saved.checkpoint.gates["error-rate"], undefined, []);
    expect(second).toMatchObject({ valid: 2, breaches: 1, carried: 2, samples: [] });
    // Not enough samples yet by the window's end: min-samples counts the earlier run's too.
    expect(gateVerdict(recordSample(second, valueReading(0.001), "2026-11-30T11:00:00Z"), true)).toMatchObject({ kind: "inconclusive", valid: 3, needed: 4 });
    second = recordSample(second, valueReading(0.05), "2026-11-30T11:00:00Z");
    expect(gateVerdict(second, false)).toMatchObject({ kind: "breach", breaches: 2, failureLimit: 1 });
    // A fresh watch would have tolerated that one breach: the carried count is what fails it.
    expect(gateVerdict(recordSample(startWatch(g), valueReading(0.05), "2026-11-30T11:00:00Z"), false)).toEqual({ kind: "watching" });
  });
});
