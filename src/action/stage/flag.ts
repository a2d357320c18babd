// The stage's feature flag: served before the window opens (the stage's cohorts, then its percent of
// everyone else) and turned off first on a breach or a rollback deployment. Every change is written
// as a deployment status on the stage's deployment: who, what, from → to.
import type { FlagChange } from "../../core/flags/driver.js";
import { describeFlagChange, stageFlagTarget, type StageFlagFacts } from "../../core/flags/stage-target.js";
import { flagStickiness } from "../../flags/index.js";
import type { Inputs } from "../inputs.js";
import type { StageDeps } from "./deps.js";

export type FlagOff = { ok: true; change: FlagChange; ms: number } | { ok: false; error: string };

/** Serve the stage's target; throws (failing the stage before its window) when the provider refuses. */
export async function serveStageFlag(
  inputs: Inputs,
  stage: StageFlagFacts & { label: string; requestedBy?: string | undefined },
  deploymentId: number | undefined,
  deps: StageDeps,
): Promise<FlagChange | undefined> {
  const { flag, io } = deps;
  if (!flag || !inputs.flag) return undefined;
  const target = stageFlagTarget(stage, flagStickiness(inputs.flag));
  if (!target.ok) throw new Error(`flag ${flag.key}: ${target.message}`);
  if (target.note) io.warning(target.note);
  const what = `${target.target.cohorts.map((c) => c.name).join("+") || "no cohorts"} + ${target.target.percent}% of the rest, sticky by ${target.target.stickiness}`;
  if (inputs["dry-run"] || deploymentId === undefined) {
    io.info(`dry run: would set flag ${flag.key} (${flag.provider}) to ${what}`);
    return undefined;
  }
  const change = await flag.setRollout(target.target);
  const who = stage.requestedBy ?? deps.actor;
  const description = describeFlagChange(change, who ? { login: who } : undefined);
  io.info(description);
  await deps.github.setStatus(deploymentId, "in_progress", description);
  return change;
}

/**
 * The kill switch, timed from `since`. Never throws: a flag that will not turn off is reported and the
 * rest of the rollback still runs. The audit status is written after the flag is off, not before.
 */
export async function turnStageFlagOff(deps: StageDeps, deploymentId: number | undefined, since: number, reason: string): Promise<FlagOff | undefined> {
  const { flag, io } = deps;
  if (!flag) return undefined;
  let result: FlagOff;
  try {
    const change = await flag.turnOff();
    result = { ok: true, change, ms: deps.now() - since };
    io.info(`flag ${flag.key} (${flag.provider}) off in ${(result.ms / 1000).toFixed(3)}s`);
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    io.error(`could not turn the flag off: ${result.error}`);
    return result;
  }
  if (deploymentId !== undefined) {
    await deps.github
      .setStatus(deploymentId, "in_progress", describeFlagChange(result.change, { reason }))
      .catch((error: Error) => io.warning(`flag is off, but its audit status was not written: ${error.message}`));
  }
  return result;
}
