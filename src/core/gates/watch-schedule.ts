// When one run samples a stage's window. A window may outlive a runner's job (GitHub-hosted: 6 h),
// so it is watched in runs, each bounded by `watch`:
// - active phase, the first `active` of the window after the shift: a sample every `interval`, so a
//   breach is caught within one interval of showing;
// - soak, the rest of the window: one sample round per run, taken by a scheduled `mode: resume` run
//   (a breach is caught within one schedule period plus one sample);
// - over: the window ended since the last run; one last sample round, then the verdict.
// Times are epoch milliseconds; the window is measured from the stage's start, never from a run's.

export interface ScheduleInput {
  /** When the window opened (the shift, as the stage's first checkpoint recorded it). */
  windowStart: number;
  windowMs: number;
  /** The closely watched phase; `Infinity` watches the whole window at `interval`. */
  activeMs: number;
  /** The most one run may watch. */
  watchMs: number;
  intervalMs: number;
  runStart: number;
}

export type WatchPhase = "active" | "soak" | "over";

export interface RunSchedule {
  phase: WatchPhase;
  /** When to sample, in order; never empty. */
  times: number[];
  /** True when the last sample closes the window: the stage gets its verdict in this run. */
  endsWindow: boolean;
  windowEnd: number;
  activeEnd: number;
}

export function runSchedule(input: ScheduleInput): RunSchedule {
  const { windowStart, windowMs, activeMs, watchMs, intervalMs, runStart } = input;
  if (!(intervalMs > 0)) throw new Error(`interval must be positive, got ${intervalMs}`);
  const windowEnd = windowStart + windowMs;
  const activeEnd = windowStart + Math.min(activeMs, windowMs);
  if (runStart >= windowEnd) return { phase: "over", times: [runStart], endsWindow: true, windowEnd, activeEnd };
  if (runStart >= activeEnd) return { phase: "soak", times: [runStart], endsWindow: false, windowEnd, activeEnd };
  const stop = Math.min(activeEnd, runStart + Math.max(0, watchMs));
  const times: number[] = [];
  // Samples stay on the window's own grid (start + k·interval), whichever run takes them.
  const first = Math.floor((runStart - windowStart) / intervalMs) + 1;
  for (let t = windowStart + first * intervalMs; t <= stop; t += intervalMs) times.push(t);
  // The phase's end is always sampled; a run's own deadline only when the run took nothing else.
  if ((stop === activeEnd && times.at(-1) !== stop) || times.length === 0) times.push(stop);
  return { phase: "active", times, endsWindow: stop >= windowEnd, windowEnd, activeEnd };
}
