// Flag debt, read and escalated: one list call finds the open removal issues (the app's own records of
// when each flag reached 100 %); each flag past `flags.max-lifetime` gets, once, a comment and the
// overdue label. Shared by the readiness check (every PR names the overdue flags) and the scheduled
// run of no-server mode (its job summary lists them all).
//
// Cost: 1 read per review. Per flag, once in its life: a claim ref, the comment and the label
// (3 writes); at most `maxEscalations` flags per run, so a repo that turns this on with fifty old
// flags spends its writes over several runs instead of in one PR event.
import { formatProblem, type ConfigProblem } from "../../core/config/parse-config.js";
import type { FlagsConfig } from "../../core/config/schema.js";
import { assessFlagDebt, toEscalate, type FlagDebt } from "../../core/flags/flag-lifetime.js";
import type { Identity } from "../../core/identity.js";
import { renderFlagDebtSummary, renderOverdueComment } from "../../core/render/flag-debt.js";
import { claimTransition, issueClaimRefName } from "../../github/claims.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { addIssueLabels, commentOnIssue, listOpenIssuesWithLabel } from "../../github/issues.js";
import { loadConfig, type ConfigPluginClient } from "../load-config.js";
import type { Logger } from "../logger.js";

/** Escalations per readiness verdict: at most 9 writes on top of the verdict's one. */
export const ESCALATIONS_PER_VERDICT = 3;
/** Escalations per scheduled run (60 writes, about a minute of the installation's budget). */
export const ESCALATIONS_PER_SCHEDULED_RUN = 20;

export interface FlagDebtTarget extends RepoRef {
  /** Whose removal issues count: the identity that opens them (the app; in no-server mode the workflow's). */
  gate: readonly Identity[];
}

/** One list call, then arithmetic. */
export async function readFlagDebt(octokit: GitHubClient, target: FlagDebtTarget, config: FlagsConfig, now: number): Promise<FlagDebt> {
  const listed = await listOpenIssuesWithLabel(octokit, { owner: target.owner, repo: target.repo, label: config["removal-label"] });
  return assessFlagDebt(listed.issues, {
    now,
    maxLifetime: config["max-lifetime"],
    overdueLabel: config["overdue-label"],
    gate: target.gate,
    truncated: listed.truncated,
  });
}

export interface Escalation {
  /** Issues commented on and labelled by this run. */
  escalated: number[];
  /** Issues whose claim was already taken (escalated before) but had lost the label: labelled again, no comment. */
  relabelled: number[];
  failed: { issue: number; error: string }[];
  writes: number;
}

/**
 * Comments on and labels the overdue flags' issues that do not carry the overdue label yet. The claim
 * ref `refs/release-gate/issue-<n>/flag-overdue` makes the comment once-only across replicas, redeliveries
 * and scheduled runs; the label is a fact (the flag is overdue), so one removed by hand comes back.
 * `claimSha`: a commit of the repository for the ref to point at (GitHub refuses unknown objects).
 */
export async function escalateOverdueFlags(
  octokit: GitHubClient,
  target: RepoRef & { claimSha: string },
  debt: FlagDebt,
  config: FlagsConfig,
  options: { max: number; log: Logger },
): Promise<Escalation> {
  const result: Escalation = { escalated: [], relabelled: [], failed: [], writes: 0 };
  for (const flag of toEscalate(debt, options.max)) {
    try {
      const claim = await claimTransition(octokit, { owner: target.owner, repo: target.repo, name: issueClaimRefName(flag.issue, "flag-overdue"), sha: target.claimSha });
      result.writes++;
      if (claim.kind === "claimed") {
        await commentOnIssue(octokit, { ...target, issueNumber: flag.issue, body: renderOverdueComment(flag, { maxLifetime: config["max-lifetime"], overdueLabel: config["overdue-label"] }) });
        result.writes++;
      }
      await addIssueLabels(octokit, { ...target, issueNumber: flag.issue, labels: [config["overdue-label"]] });
      result.writes++;
      (claim.kind === "claimed" ? result.escalated : result.relabelled).push(flag.issue);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.failed.push({ issue: flag.issue, error: message });
      options.log.warn({ issue: flag.issue, err: error }, `flag debt: could not escalate the overdue flag of issue #${flag.issue} (${message}); the next run tries again`);
    }
  }
  if (result.escalated.length + result.relabelled.length > 0) {
    options.log.info({ escalated: result.escalated, relabelled: result.relabelled, writes: result.writes }, "flag debt: overdue flags escalated");
  }
  return result;
}

export type FlagDebtSweep =
  | { kind: "config-invalid"; problems: ConfigProblem[]; message: string }
  | { kind: "swept"; debt: FlagDebt; escalation: Escalation; summary: string };

/**
 * The scheduled run (no-server mode, `schedule` or `workflow_dispatch`): reads the config from the
 * default branch, lists the open removal issues (1 read), escalates the overdue ones not escalated yet
 * (3 writes each, at most 20) and renders the job summary of every flag that owes a removal.
 */
export async function sweepFlagDebt(
  octokit: GitHubClient & ConfigPluginClient,
  target: FlagDebtTarget & { sha: string },
  log: Logger,
  now: number = Date.now(),
): Promise<FlagDebtSweep> {
  const loaded = await loadConfig(octokit, target);
  if (!loaded.ok) {
    return { kind: "config-invalid", problems: loaded.problems, message: `the Release Gate config is invalid, so flag lifetimes were not checked: ${loaded.problems.map(formatProblem).join("; ")}` };
  }
  const flags = loaded.config.flags;
  const debt = await readFlagDebt(octokit, target, flags, now);
  const escalation = await escalateOverdueFlags(octokit, { owner: target.owner, repo: target.repo, claimSha: target.sha }, debt, flags, { max: ESCALATIONS_PER_SCHEDULED_RUN, log });
  const summary = renderFlagDebtSummary(debt, { repo: `${target.owner}/${target.repo}`, maxLifetime: flags["max-lifetime"], now, escalated: escalation.escalated });
  return { kind: "swept", debt, escalation, summary };
}
