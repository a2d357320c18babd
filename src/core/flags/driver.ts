// The release unit a flag driver moves: a feature flag in flagd, Unleash or LaunchDarkly. A stage sets
// the flag to "on for these cohorts, plus this share of everyone else"; a breach turns it off for all.
// Pure types: the drivers themselves (file and HTTP I/O) live in src/flags/.

/** How one cohort is recognised: one context attribute compared one way (config `rollout.cohorts`). */
export type CohortMatch =
  | { kind: "equals"; value: string }
  | { kind: "in"; values: readonly string[] }
  | { kind: "ends-with"; suffix: string };

export interface Cohort {
  /** The cohort's name in config (`internal`, `beta`), safe alphabet: `[a-z0-9][a-z0-9-]*`. */
  readonly name: string;
  /** The evaluation-context attribute it is judged on (`email`, `plan`, `tenantId`). */
  readonly attribute: string;
  readonly match: CohortMatch;
}

/**
 * What a stage asks of the flag. Cohorts accumulate across stages (every cohort of this and earlier
 * stages is fully on); `percent` is the share of everyone outside those cohorts, bucketed sticky by
 * the context attribute `stickiness` (e.g. `userId`), so a user in the 10 % stays in at 50 %.
 */
export interface FlagTarget {
  readonly cohorts: readonly Cohort[];
  /** 0–100, the share of contexts outside the cohorts that get the flag. */
  readonly percent: number;
  readonly stickiness: string;
}

/** The flag as the provider holds it now, read back after every change. */
export interface FlagState {
  /** False when the flag is off for everyone (the kill switch is pulled). */
  readonly on: boolean;
  /** The share of everyone outside the cohorts, when the provider's rule says one. */
  readonly percent?: number;
  /** Names of the cohorts the flag's rules serve fully. */
  readonly cohorts?: readonly string[];
}

/** One change, for the audit record (a deployment status: who, what, from → to). */
export interface FlagChange {
  readonly provider: FlagProvider;
  readonly key: string;
  readonly from: FlagState;
  readonly to: FlagState;
}

export type FlagProvider = "flagd" | "unleash" | "launchdarkly";

export interface FlagDriver {
  readonly provider: FlagProvider;
  readonly key: string;
  /** Current state; never changes anything. */
  read(): Promise<FlagState>;
  /** Serve the target (turning the flag on if it was off); every other flag and rule is kept. */
  setRollout(target: FlagTarget): Promise<FlagChange>;
  /** The kill switch: off for everyone, cohorts included, in one provider call where it has one. */
  turnOff(): Promise<FlagChange>;
}

/** A provider call that failed, said so a person can act on it (which flag, what the provider said). */
export class FlagDriverError extends Error {
  constructor(
    readonly provider: FlagProvider,
    readonly key: string,
    message: string,
  ) {
    super(`${provider} flag "${key}": ${message}`);
    this.name = "FlagDriverError";
  }
}
