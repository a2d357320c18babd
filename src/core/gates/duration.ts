// Durations as the config writes them ("90s", "30m", "2h", "1d", "500ms") in milliseconds: the one
// parser for stage windows, gate intervals and Action inputs.
import { DURATION_PATTERN } from "../config/schema.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION_PATTERN.test(t)) return undefined;
  const [, num, unit] = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(t)!;
  return Math.round(Number(num) * UNIT_MS[unit!]!);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(1))}s`;
  if (s < 3600) return `${Number((s / 60).toFixed(1))}m`;
  return `${Number((s / 3600).toFixed(1))}h`;
}

/** When, after the shift, each sample of an observation window is taken: every interval, the last at the window's end. */
export function sampleOffsets(observeMs: number, intervalMs: number): number[] {
  const offsets: number[] = [];
  for (let t = intervalMs; t < observeMs; t += intervalMs) offsets.push(t);
  offsets.push(observeMs);
  return offsets;
}
