// One stage, start to end, in three steps: start (create or adopt the stage's Deployment and mark it
// in progress), observe (the traffic shift, then every gate each interval through the window) and
// finish (success, an inconclusive error since no data never passes, or failure plus a rollback).
// `mode: start` stops after the first step; `mode: observe` adopts that deployment. Everything
// outside (GitHub, clock, providers, shell) comes in through `StageDeps`.
import type { RunContext } from "./event.js";
import type { Inputs } from "./inputs.js";
import { saveState } from "./outputs.js";
import type { StageDeps, StageOutcome } from "./stage/deps.js";
import { finishStage, stageReport } from "./stage/finish.js";
import { initialCompares, initialWatches, observeStage } from "./stage/observe.js";
import { runRollbackDeployment } from "./stage/rollback-deployment.js";
import { startStage } from "./stage/start.js";
import { adopt } from "../github/stage-deployments.js";

export async function runStage(inputs: Inputs, context: RunContext, deps: StageDeps): Promise<StageOutcome> {
  // A rollback deployment is run, not observed: flag off, rollback command, verdict.
  const event = context.deployment ? adopt(context.deployment) : undefined;
  if (event?.payload?.rollback) return runRollbackDeployment(inputs, event, deps);
  const started = await startStage(inputs, context, deps);
  if (inputs.mode === "start") {
    if (!inputs["dry-run"]) saveState(deps.io, "finished", "handoff");
    const reason = `${started.label} started; run the traffic shift, then this Action with mode: observe and deployment-id ${started.deploymentId ?? "(dry run)"}`;
    return {
      verdict: "started",
      reason,
      outputs: { ...started.outputs, verdict: "started", reason },
      report: stageReport(started, inputs["dry-run"], initialWatches(started), "started", reason, {}, initialCompares(started)),
    };
  }
  const observation = await observeStage(inputs, started, deps);
  return finishStage(inputs, started, observation, deps);
}
