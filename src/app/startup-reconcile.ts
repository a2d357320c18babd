// Schedules one reconciliation pass after start-up (see reconcile.ts). Off under jest and with
// RECONCILE_ON_START=false; RECONCILE_MAX_PULLS bounds the pass.
import type { Probot } from "probot";
import { appIdentity } from "./installation-octokit.js";
import { DEFAULT_RECONCILE_LIMITS, reconcileOpenPulls } from "../workflows/readiness/reconcile.js";

export function scheduleStartupReconciliation(probot: Probot, env: NodeJS.ProcessEnv = process.env): void {
  if (env.RECONCILE_ON_START === "false" || env.NODE_ENV === "test") return;
  const maxPulls = Number(env.RECONCILE_MAX_PULLS ?? DEFAULT_RECONCILE_LIMITS.maxPulls);
  const limits = { ...DEFAULT_RECONCILE_LIMITS, maxPulls: Number.isFinite(maxPulls) && maxPulls >= 0 ? maxPulls : DEFAULT_RECONCILE_LIMITS.maxPulls };
  const timer = setTimeout(() => {
    const log = probot.log.child({ name: "reconcile" });
    reconcileOpenPulls(
      { app: () => probot.auth(), installation: (id) => probot.auth(id), appId: async () => (await appIdentity(probot)).appId },
      log,
      limits,
    ).then(
      (report) => log.info(report, `startup reconciliation: ${report.evaluated} missed PR(s) evaluated of ${report.pulls} open`),
      (error: unknown) => log.warn({ err: error }, "startup reconciliation failed"),
    );
  }, 1000);
  timer.unref();
}
