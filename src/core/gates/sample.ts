// What one reading of a gate's metric produced. A missing reading is never a number: no data,
// a failed query or an unreadable response all make the sample inconclusive, never a pass.

export type MissingReason =
  | "empty-result"
  | "nan"
  | "multiple-series"
  | "unexpected-result-type"
  | "query-error"
  | "malformed-response"
  | "missing-path"
  | "not-a-number"
  | "empty-output"
  | "command-failed"
  | "request-failed";

export type SampleReading =
  | { kind: "value"; value: number }
  | { kind: "missing"; reason: MissingReason; detail: string };

export function valueReading(value: number): SampleReading {
  return { kind: "value", value };
}

export function missingReading(reason: MissingReason, detail: string): SampleReading {
  return { kind: "missing", reason, detail: detail.slice(0, 300) };
}

/** Prometheus renders special floats as strings; JSON documents and commands may use the same words. */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^\+?inf(?:inity)?$/i.test(t)) return Number.POSITIVE_INFINITY;
  if (/^-inf(?:inity)?$/i.test(t)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(t)) return Number.NaN;
  return undefined;
}
