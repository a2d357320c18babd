// Size caps on every input a PR author controls, checked before the input is parsed, so a fork PR
// can neither stall the event loop nor exhaust memory. One place, documented in docs/readiness-check.md (Input caps).

export interface InputLimit {
  /** Largest accepted size, in `unit`. */
  max: number;
  unit: "bytes" | "characters" | "files" | "annotations";
}

export const LIMITS = {
  /**
   * `.github/release-gate.yml` at the PR head. A full config with every option is about 3 KiB; 64 KiB
   * leaves twenty times that, while YAML parsing of it stays in the low milliseconds.
   */
  config: { max: 64 * 1024, unit: "bytes" },
  /**
   * The PR description. GitHub itself stores at most 65,536 characters, so a body GitHub accepts always
   * fits; the plan parser is linear and reads that many in under a millisecond.
   */
  body: { max: 65_536, unit: "characters" },
  /**
   * One migration file (or its patch) at the PR head. Hand-written migrations are a few KiB; 1 MiB
   * still admits a generated schema dump, and the PostgreSQL parser analyses it in about 2 s.
   */
  migrationFile: { max: 1024 * 1024, unit: "bytes" },
  /** All migration files of one PR together: bounds one evaluation's memory and CPU. */
  migrationTotal: { max: 5 * 1024 * 1024, unit: "bytes" },
  /** Changed files read; GitHub's pull-request files listing stops at 3,000 too. */
  changedFiles: { max: 3000, unit: "files" },
  /**
   * Annotations on one check run: GitHub takes 50 per request, so one write carries them all; a
   * person reads a few dozen. The rest are counted in the summary.
   */
  annotations: { max: 50, unit: "annotations" },
} as const satisfies Record<string, InputLimit>;

export type LimitedInput = keyof typeof LIMITS;

/** A PR-controlled input that was refused because it exceeds its cap. */
export interface OverLimit {
  input: LimitedInput;
  /** The input's size, in the limit's unit. */
  size: number;
  /** What it is, for people: "`.github/release-gate.yml` at the PR head", "`db/migrations/1.sql`". */
  what: string;
}

export function checkLimit(input: LimitedInput, size: number, what: string): OverLimit | undefined {
  return size > LIMITS[input].max ? { input, size, what } : undefined;
}

/** "`.github/release-gate.yml` at the PR head is 30.0 MiB; the limit is 64 KiB". */
export function describeOverLimit(over: OverLimit): string {
  const { unit, max } = LIMITS[over.input];
  return `${over.what} is ${formatAmount(over.size, unit)}; the limit is ${formatAmount(max, unit)}`;
}

export function formatAmount(n: number, unit: InputLimit["unit"]): string {
  if (unit !== "bytes") return `${n.toLocaleString("en-US")} ${unit}`;
  if (n < 1024) return `${n} bytes`;
  const [value, suffix] = n < 1024 * 1024 ? [n / 1024, "KiB"] : n < 1024 ** 3 ? [n / 1024 ** 2, "MiB"] : [n / 1024 ** 3, "GiB"];
  // Exact multiples read as the round numbers they are ("64 KiB"), other sizes with one decimal.
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${suffix}`;
}
