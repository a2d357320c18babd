// Blackout windows: times when no stage may start (seeds 000 and 004: change freezes, weekends,
// holidays). Read in each window's IANA time zone with Intl, so DST shifts are GitHub-free and exact.
import type { BlackoutWindow } from "../config/schema.js";

export type BlackoutResult =
  | { blocked: false }
  /** `endsAt`: when no window blocks any more (windows that touch are followed through). */
  | { blocked: true; window: BlackoutWindow; endsAt: string };

const DAY_MS = 86_400_000;
const MAX_CHAIN = 20;

/** The windows that apply to a stage of `environment`: those naming it, and those naming none. */
export function windowsFor(windows: readonly BlackoutWindow[], environment: string | undefined): BlackoutWindow[] {
  return windows.filter((w) => w.environments === undefined || (environment !== undefined && w.environments.includes(environment)));
}

export type ReleaseWindowResult =
  | { open: true }
  /** `opensAt`: when the next of `windows` opens, within a week; absent when none does. */
  | { open: false; windows: BlackoutWindow[]; opensAt?: string };

const LOOK_AHEAD_DAYS = 8;

/**
 * Allowed windows (`rollout.release-windows`): when any applies to the environment, a stage there may
 * start only inside one of them. A window opens at its start time (or local midnight) on one of its
 * days, so the next opening is the earliest such instant, in each window's zone, that it covers.
 */
export function releaseWindowAt(windows: readonly BlackoutWindow[], environment: string | undefined, now: Date): ReleaseWindowResult {
  const applying = windowsFor(windows, environment);
  const at = now.getTime();
  if (applying.length === 0 || applying.some((w) => windowEnd(w, at) !== null)) return { open: true };
  let opensAt: number | undefined;
  for (const w of applying) {
    const zone = w["time-zone"];
    const today = localParts(at, zone).day;
    for (let day = today; day <= today + LOOK_AHEAD_DAYS; day++) {
      const candidate = localToInstant(day, w.start !== undefined ? minutesOf(w.start) : 0, zone);
      if (candidate > at && (opensAt === undefined || candidate < opensAt) && windowEnd(w, candidate) !== null) opensAt = candidate;
    }
  }
  return opensAt !== undefined ? { open: false, windows: applying, opensAt: new Date(opensAt).toISOString() } : { open: false, windows: applying };
}

/** Whether `now` lies inside one of the windows, which one, and when stages may start again. */
export function blackoutAt(windows: readonly BlackoutWindow[], now: Date): BlackoutResult {
  const first = firstCovering(windows, now.getTime());
  if (!first) return { blocked: false };
  let end = first.end;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const next = firstCovering(windows, end);
    if (!next || next.end <= end) break;
    end = next.end;
  }
  return { blocked: true, window: first.window, endsAt: new Date(end).toISOString() };
}

function firstCovering(windows: readonly BlackoutWindow[], at: number): { window: BlackoutWindow; end: number } | undefined {
  for (const window of windows) {
    const end = windowEnd(window, at);
    if (end !== null) return { window, end };
  }
  return undefined;
}

/** The end (epoch ms) of the occurrence of `w` that covers `at`, or null when `at` is outside. */
export function windowEnd(w: BlackoutWindow, at: number): number | null {
  const zone = w["time-zone"];
  const local = localParts(at, zone);
  const today = local.day;
  let end: number | null = null;
  if (w.start === undefined || w.end === undefined) {
    if (!dayMatches(w, today)) return null;
    let last = today;
    while (last - today < 400 && dayMatches(w, last + 1)) last++;
    end = localToInstant(last + 1, 0, zone);
  } else {
    const start = minutesOf(w.start);
    const stop = minutesOf(w.end);
    if (start < stop) {
      if (local.minutes >= start && local.minutes < stop && dayMatches(w, today)) end = localToInstant(today, stop, zone);
    } else if (local.minutes >= start && dayMatches(w, today)) {
      end = localToInstant(today + 1, stop, zone);
    } else if (local.minutes < stop && dayMatches(w, today - 1)) {
      end = localToInstant(today, stop, zone);
    }
  }
  return end !== null && end > at ? end : null;
}

/** Whether a local calendar day (days since 1970-01-01) is one the window applies to. */
function dayMatches(w: BlackoutWindow, day: number): boolean {
  if (w.days && !w.days.includes(WEEKDAY_NAMES[weekday(day)]!)) return false;
  if (w.from !== undefined && w.to !== undefined) {
    if (day < dayNumber(w.from) || day > dayNumber(w.to)) return false;
  }
  return true;
}

const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, f);
  }
  return f;
}

/** Wall-clock time in `zone` at an instant: local day number and minutes since local midnight. */
function localParts(at: number, zone: string): { day: number; minutes: number; wallMs: number } {
  const parts: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(at))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wallMs = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return { day: Math.floor(wallMs / DAY_MS), minutes: (parts.hour! % 24) * 60 + parts.minute!, wallMs };
}

/**
 * The instant a local wall-clock time names in `zone`. Offsets a day before and after give the
 * candidates: when a DST fall-back repeats the time, the later instant (the window covers both
 * passes); when a spring-forward skips it, the instant of the jump, the first whose wall clock is
 * past the time.
 */
function localToInstant(day: number, minutes: number, zone: string): number {
  const wall = day * DAY_MS + minutes * 60_000;
  const wallAt = (t: number) => localParts(t, zone).wallMs;
  const offsetAt = (t: number) => wallAt(t) - Math.floor(t / 1000) * 1000;
  const before = wall - offsetAt(wall - DAY_MS);
  const after = wall - offsetAt(wall + DAY_MS);
  const valid = [before, after].filter((t) => wallAt(t) === wall);
  if (valid.length > 0) return Math.max(...valid);
  // In the gap: binary search for the first instant (to the second) whose wall clock reaches `wall`.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallAt(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
