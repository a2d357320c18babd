// A rollback deployment (the app's `/release rollback`, or one an earlier breach left for the
// deployment workflow) run by the Action: the flag off first, then the rollback command, then the
// deployment's verdict. Nothing is observed: a rollback is not a stage.
import { fmt } from "../../core/gates/watch-gates.js";
import type { StageReport } from "../../core/render/stage-summary.js";
import type { AdoptedDeployment } from "../../github/stage-deployments.js";
import type { Inputs } from "../inputs.js";
import { saveState } from "../outputs.js";
import type { StageDeps, StageOutcome } from "./deps.js";
import { turnStageFlagOff } from "./flag.js";

export async function runRollbackDeployment(inputs: Inputs, deployment: AdoptedDeployment, deps: StageDeps): Promise<StageOutcome> {
  const { io, github } = deps;
  const payload = deployment.payload!;
  const rollback = payload.rollback!;
  const dryRun = inputs["dry-run"];
  const startedMs = deps.now();
  const startedAt = new Date(startedMs).toISOString();
  const label = `${payload.stage} ${fmt(payload.percent)}%`;
  const who = payload.requestedBy ?? deps.actor;
  const base = { stage: payload.stage, percent: String(payload.percent), environment: deployment.environment, "deployment-id": String(deployment.id) };
  const command = inputs.rollback ?? inputs.shift;
  const report = (verdict: StageReport["verdict"], reason: string, extra: Partial<StageReport> = {}): StageReport => ({
    stage: payload.stage,
    percent: payload.percent,
    environment: deployment.environment,
    release: payload.release,
    sha: deployment.sha,
    deploymentId: deployment.id,
    dryRun,
    startedAt,
    endedAt: new Date(deps.now()).toISOString(),
    verdict,
    reason,
    watches: [],
    compares: [],
    applied: [],
    unapplied: [],
    earlier: [],
    ...extra,
  });

  if (dryRun) {
    const reason = `dry run: would roll back ${label} of #${payload.release} to ${deployment.sha.slice(0, 7)}${deps.flag ? `, turning flag ${deps.flag.key} off first` : ""}`;
    io.info(reason);
    return { verdict: "dry-run", reason, outputs: { ...base, verdict: "dry-run", reason, "rolled-back": "false" }, report: report("dry-run", reason) };
  }
  saveState(io, "deployment-id", String(deployment.id));
  saveState(io, "finished", "");
  await github.setStatus(deployment.id, "in_progress", `rolling back ${label} of #${payload.release}: ${rollback.reason}`);

  const flagOff = await turnStageFlagOff(deps, deployment.id, startedMs, `${who ? `by @${who} ` : ""}(rollback of deployment ${rollback.of})`);
  let commandDetail: string | undefined;
  let commandOk = true;
  if (command) {
    io.info(`rollback: running ${inputs.rollback ? "the rollback command" : "the shift command with RELEASE_PERCENT=0"}`);
    const env = {
      RELEASE_STAGE: payload.stage,
      RELEASE_PERCENT: "0",
      RELEASE_ENVIRONMENT: deployment.environment,
      RELEASE_DEPLOYMENT_ID: String(deployment.id),
      RELEASE_SHA: deployment.sha,
      RELEASE_ROLLBACK: "true",
    };
    const result = await deps.shell(command, env, (line) => io.info(`rollback | ${line}`));
    commandOk = result.exitCode === 0;
    commandDetail = commandOk ? `${inputs.rollback ? "rollback" : "shift"} command succeeded` : `the rollback command exited with ${result.exitCode ?? "a signal"}`;
  }
  const parts = [
    flagOff === undefined ? undefined : flagOff.ok ? `flag ${flagOff.change.key} off in ${(flagOff.ms / 1000).toFixed(3)}s` : `the flag could not be turned off (${flagOff.error})`,
    commandDetail,
  ].filter((p): p is string => p !== undefined);
  const ok = (flagOff === undefined || flagOff.ok) && commandOk;
  const detail = parts.length > 0 ? parts.join("; ") : "nothing to run here: no flag and no `rollback` or `shift` command (the deployment workflow deploys this commit)";
  const reason = `${ok ? "rolled back" : "rollback failed:"} ${label} of #${payload.release} to ${deployment.sha.slice(0, 7)}: ${detail}`;
  await github.setStatus(deployment.id, ok ? "success" : "failure", reason);
  saveState(io, "finished", "verdict");
  const seconds = flagOff?.ok ? flagOff.ms / 1000 : ok ? (deps.now() - startedMs) / 1000 : undefined;
  if (!ok) io.error(reason);
  const verdict = ok ? "success" : "failure";
  return {
    verdict,
    reason,
    outputs: { ...base, verdict, reason, "rolled-back": ok ? "true" : "false", "rollback-seconds": seconds !== undefined ? seconds.toFixed(3) : "", "rollback-deployment-id": String(deployment.id) },
    report: report(verdict, reason, { rollback: { ok, ref: deployment.sha, deploymentId: deployment.id, ...(seconds !== undefined ? { seconds, span: `from step start to ${flagOff?.ok ? "flag off" : "rollback success"}` } : {}), detail, at: new Date(deps.now()).toISOString() } }),
  };
}
