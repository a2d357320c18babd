// Config durations ("90s", "30m", "2h", "1d") in milliseconds.
import { DURATION_PATTERN } from "../config/schema.js";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function durationMs(text: string): number {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(trimmed)!;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
