// The four kinds of feature flag (seed 003's table) and which of them owe a removal: a release flag
// hides a feature until it is out, an experiment flag until a winner is declared, so both become debt
// after 100 %; an ops flag is kept as a kill switch and a permission flag is permanent.
// Imports nothing: config/schema.ts builds its `flags.types` on this list.

export const FLAG_TYPES = ["release", "ops", "experiment", "permission"] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

export interface FlagTypeInfo {
  /** True when the flag must be removed once its rollout reached 100 %: it gets a removal issue and a lifetime. */
  readonly hasLifetime: boolean;
  /** The seed's words, shown when a flag is kept. */
  readonly kept: string;
}

export const FLAG_TYPE_INFO: Readonly<Record<FlagType, FlagTypeInfo>> = {
  release: { hasLifetime: true, kept: "" },
  experiment: { hasLifetime: true, kept: "" },
  ops: { hasLifetime: false, kept: "an ops flag is kept as a kill switch" },
  permission: { hasLifetime: false, kept: "a permission flag is permanent" },
};

export function hasLifetime(type: FlagType): boolean {
  return FLAG_TYPE_INFO[type].hasLifetime;
}

export function isFlagType(text: string): text is FlagType {
  return (FLAG_TYPES as readonly string[]).includes(text);
}

const ALIASES: Readonly<Record<string, FlagType>> = {
  release: "release",
  ops: "ops",
  operational: "ops",
  operations: "ops",
  "kill-switch": "ops",
  experiment: "experiment",
  experimental: "experiment",
  permission: "permission",
  permissions: "permission",
  entitlement: "permission",
};

/**
 * The type a line of the plan's flag section states: "Type: ops", "Type: experiment flag", or a phrase
 * such as "an ops flag" / "(permission flag)". Only the first 300 characters are read (hostile input).
 * A line that states none gives null; "Type: nonsense" gives `unknown` with the word, so the caller can say so.
 */
/** A line that is a "Type: …" label (it names a type, never the flag itself). */
export const TYPE_LINE = /^\s*(?:>\s*)*(?:[-*+]\s*)?[*_]*(?:flag\s+)?type[*_]*\s*:/i;

export function flagTypeIn(text: string): { kind: "type"; type: FlagType } | { kind: "unknown"; word: string } | null {
  const line = text.slice(0, 300).toLowerCase();
  const label = TYPE_LINE.exec(line);
  if (label) {
    const word = /^[\s*_`]*([a-z-]{1,40})/.exec(line.slice(label[0].length))?.[1] ?? "";
    const type = ALIASES[word];
    return type ? { kind: "type", type } : { kind: "unknown", word };
  }
  const phrase = /\b(release|ops|operational|experiment|permission|kill-switch)[ -](?:flag|toggle)\b/.exec(line);
  return phrase ? { kind: "type", type: ALIASES[phrase[1]!]! } : null;
}
