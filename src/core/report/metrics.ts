// The release metrics on the report's index. Each metric is a pure function of the release stories
// with its definition next to it (the page shows the same words), so a number can be checked by hand.
import type { ReleaseStory } from "./types.js";

const WEEK_MS = 7 * 86_400_000;

export interface Distribution {
  count: number;
  /** Milliseconds; undefined when there is nothing to measure. */
  mean?: number;
  median?: number;
  max?: number;
}

export interface ReleaseMetrics {
  deploymentFrequency: { completed: number; weeks: number; perWeek: number; series: Array<{ week: string; count: number }> };
  leadTime: Distribution & { series: Array<{ release: number; ms: number }> };
  changeFailureRate: { failed: number; concluded: number; rate?: number };
  timeToRestore: Distribution & { series: Array<{ release: number; ms: number }> };
  rollbackDuration: Distribution & { sloMs: number; withinSlo: number; series: Array<{ release: number; ms: number }> };
  approvalLatency: Distribution & { series: Array<{ release: number; ms: number }> };
  overridesPerMonth: Array<{ month: string; count: number }>;
}

export const METRIC_DEFINITIONS = {
  deploymentFrequency:
    "Releases that reached the last stage with success (after its verify window), per week, over the weeks from the first release's first stage to the report's date (at least one week). The chart counts completions per week (weeks start on Monday, UTC).",
  leadTime: "From the author date of the PR's oldest commit to the success of its last stage (100% after the verify window), for every completed release.",
  changeFailureRate:
    "Releases rolled back, or overridden and then failed at a stage, divided by the releases that concluded (completed, rolled back, or stopped at a failed stage). Releases still rolling out are not counted.",
  timeToRestore: "From the breach (the failed stage's first failure status; without one, the start of the rollback) to the rollback deployment's success, for every rollback that finished. The mean is the MTTR.",
  rollbackDuration: "From the rollback deployment's creation to its success: how long reverting took, against the rollback SLO.",
  approvalLatency: "From an override's request to its approval, as recorded in the post-mortem issue the approval opened.",
  overridesPerMonth: "Approved overrides per calendar month (UTC) of their approval.",
} as const;

export function releaseMetrics(stories: readonly ReleaseStory[], options: { now: string; rollbackSloMs: number }): ReleaseMetrics {
  const completed = stories.filter((s) => s.completedAt !== undefined);
  const leadTimes = completed.filter((s) => s.leadTimeMs !== undefined).map((s) => ({ release: s.number, ms: s.leadTimeMs! }));
  const restores = stories.filter((s) => s.rollback?.restoreMs !== undefined).map((s) => ({ release: s.number, ms: s.rollback!.restoreMs! }));
  const durations = stories.filter((s) => s.rollback?.durationMs !== undefined).map((s) => ({ release: s.number, ms: s.rollback!.durationMs! }));
  const latencies = stories.filter((s) => s.override?.latencyMs !== undefined).map((s) => ({ release: s.number, ms: s.override!.latencyMs! }));
  return {
    deploymentFrequency: frequency(stories, options.now),
    leadTime: { ...distribution(leadTimes.map((l) => l.ms)), series: byRelease(leadTimes) },
    changeFailureRate: failureRate(stories),
    timeToRestore: { ...distribution(restores.map((r) => r.ms)), series: byRelease(restores) },
    rollbackDuration: {
      ...distribution(durations.map((d) => d.ms)),
      sloMs: options.rollbackSloMs,
      withinSlo: durations.filter((d) => d.ms <= options.rollbackSloMs).length,
      series: byRelease(durations),
    },
    approvalLatency: { ...distribution(latencies.map((l) => l.ms)), series: byRelease(latencies) },
    overridesPerMonth: overridesPerMonth(stories),
  };
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, median, max: sorted.at(-1)! };
}

function frequency(stories: readonly ReleaseStory[], now: string): ReleaseMetrics["deploymentFrequency"] {
  const completed = stories.filter((s) => s.completedAt !== undefined);
  if (stories.length === 0) return { completed: 0, weeks: 1, perWeek: 0, series: [] };
  const start = Math.min(...stories.map((s) => Date.parse(s.startedAt)));
  const weeks = Math.max(1, Math.ceil((Date.parse(now) - start) / WEEK_MS));
  const counts = new Map<string, number>();
  for (let week = mondayOf(start); week <= Date.parse(now); week += WEEK_MS) counts.set(isoDate(week), 0);
  for (const s of completed) {
    const key = isoDate(mondayOf(Date.parse(s.completedAt!)));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const series = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([week, count]) => ({ week, count }));
  return { completed: completed.length, weeks, perWeek: completed.length / weeks, series };
}

function failureRate(stories: readonly ReleaseStory[]): ReleaseMetrics["changeFailureRate"] {
  const failed = stories.filter((s) => s.state === "rolled-back" || (s.override !== undefined && s.stageFailed)).length;
  const concluded = stories.filter((s) => s.state !== "rolling-out" || (s.override !== undefined && s.stageFailed)).length;
  return concluded === 0 ? { failed, concluded } : { failed, concluded, rate: failed / concluded };
}

function overridesPerMonth(stories: readonly ReleaseStory[]): Array<{ month: string; count: number }> {
  const counts = new Map<string, number>();
  for (const s of stories) {
    const at = s.override?.approvedAt;
    if (!at || Number.isNaN(Date.parse(at))) continue;
    const month = new Date(Date.parse(at)).toISOString().slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count }));
}

function byRelease(series: Array<{ release: number; ms: number }>) {
  return [...series].sort((a, b) => a.release - b.release);
}

function mondayOf(ms: number): number {
  const day = new Date(ms);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return midnight - ((day.getUTCDay() + 6) % 7) * 86_400_000;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
