// No-server mode: the readiness check (and, with the commands, `/release`) run from a workflow with
// the workflow's token, through the same core and handlers as the app. What it gives up is in docs/no-server.md.
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { z } from "zod";
import type { Logger } from "../workflows/logger.js";
import { runReadiness } from "../workflows/readiness/run-readiness.js";
import { commentCommand } from "../core/commands/comment-command.js";
import { GITHUB_ACTIONS, type GateIdentity } from "../core/identity.js";
import { commentDigest } from "../github/issue-comment.js";
import { runReleaseCommand } from "../workflows/release/run-release-command.js";
import { runMergeGroup } from "../workflows/readiness/merge-group.js";
import { sweepFlagDebt } from "../workflows/flags/flag-debt.js";
import { parseWorkflowEvent, SUPPORTED_EVENTS, type WorkflowEvent } from "./event.js";
import { workflowOctokit, type WorkflowOctokit } from "./octokit.js";

export interface NoServerIo {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  setSecret(secret: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY). */
  summary(markdown: string): Promise<void>;
}

const inputsSchema = z.object({
  token: z.string().min(1, { message: "input `token` is empty: pass `${{ github.token }}` (the default) or a token with checks: write" }),
  // Who the step writes as: the workflow token's GitHub Actions app unless another app's token is given.
  "app-id": z
    .string()
    .transform((v) => (v.trim() === "" ? GITHUB_ACTIONS.appId : Number(v)))
    .pipe(z.number().int({ message: "input `app-id` must be the numeric id of the app whose token the step uses" }).positive()),
  "app-login": z
    .string()
    .transform((v) => v.trim() || GITHUB_ACTIONS.login)
    .pipe(z.string().regex(/^[A-Za-z0-9-]+\[bot\]$/, { message: "input `app-login` must be an app's bot login, such as `my-app[bot]`" })),
});

const coreIo: NoServerIo = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setFailed: (message) => core.setFailed(message),
  setSecret: (secret) => core.setSecret(secret),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  summary: async (markdown) => {
    await core.summary.addRaw(markdown, true).write();
  },
};

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  io?: NoServerIo;
  /** Tests inject a client; the runner builds one from the token. */
  octokit?: WorkflowOctokit;
}

export async function run(options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const io = options.io ?? coreIo;
  try {
    const inputs = inputsSchema.safeParse({ token: io.getInput("token"), "app-id": io.getInput("app-id"), "app-login": io.getInput("app-login") });
    if (!inputs.success) throw new Error(inputs.error.issues.map((i) => i.message).join("; "));
    io.setSecret(inputs.data.token);

    const payloadText = env.GITHUB_EVENT_PATH ? await readFile(env.GITHUB_EVENT_PATH, "utf8").catch(() => undefined) : undefined;
    const parsed = parseWorkflowEvent(env.GITHUB_EVENT_NAME, payloadText, { repository: env.GITHUB_REPOSITORY, sha: env.GITHUB_SHA });
    if (!parsed.ok) throw new Error(parsed.error);
    const event = parsed.event;
    if (event.kind === "unsupported") {
      throw new Error(`event \`${event.name}\` is not handled in no-server mode; run this step on: ${SUPPORTED_EVENTS.join(", ")}`);
    }
    if (event.kind === "ignored") {
      io.info(`Nothing to do: ${event.why}`);
      io.setOutput("result", "ignored");
      return;
    }

    const octokit = options.octokit ?? workflowOctokit(inputs.data.token, env.GITHUB_API_URL ?? "https://api.github.com", io.warning);
    const log: Logger = {
      info: (obj: object, msg?: string) => io.info(`${msg ?? ""} ${JSON.stringify(obj)}`.trim()),
      warn: (obj: object, msg?: string) => io.warning(`${msg ?? ""} ${JSON.stringify(obj)}`.trim()),
    };
    // Only records this identity wrote count: its status comment, check runs, deployments, statuses.
    const identity: GateIdentity = { appId: inputs.data["app-id"], login: inputs.data["app-login"] };
    if (event.kind === "comment") {
      await runComment(octokit, event, io, log, identity);
      return;
    }
    if (event.kind === "scheduled") {
      await runScheduled(octokit, event, io, log, identity);
      return;
    }
    if (event.kind === "merge-group") {
      const { kind: _kind, ...target } = event;
      const outcome = await runMergeGroup(octokit, { ...target, appId: identity.appId }, log);
      io.setOutput("conclusion", outcome.conclusion);
      io.setOutput("check-run-id", String(outcome.checkRunId));
      io.info(`Release readiness (merge group): ${outcome.conclusion} on ${event.headSha} (check run ${outcome.checkRunId}; PRs ${outcome.pulls.map((n) => `#${n}`).join(", ")})`);
      return;
    }
    // A workflow never receives check_run.requested_action, so the check offers no buttons.
    const target = { owner: event.owner, repo: event.repo, pullNumber: event.pullNumber, buttons: false, appId: identity.appId, login: identity.login };
    const outcome = await runReadiness(octokit, target, log);
    if (outcome.kind === "skipped") {
      io.info(`Release readiness: skipped (${outcome.reason})`);
      io.setOutput("conclusion", "skipped");
      return;
    }
    io.setOutput("conclusion", outcome.conclusion);
    io.setOutput("check-run-id", String(outcome.checkRunId));
    io.info(`Release readiness: ${outcome.conclusion} on ${outcome.headSha} (check run ${outcome.checkRunId})`);
  } catch (error) {
    io.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A scheduled run: the flag-debt sweep, listed in the job summary. Overdue flags do not fail the step
 * (a red scheduled run mails whoever last touched the workflow, not the flag's owners); output
 * `overdue` lets a later step decide.
 */
async function runScheduled(octokit: WorkflowOctokit, event: Extract<WorkflowEvent, { kind: "scheduled" }>, io: NoServerIo, log: Logger, identity: GateIdentity): Promise<void> {
  const sweep = await sweepFlagDebt(octokit, { owner: event.owner, repo: event.repo, sha: event.sha, gate: [identity] }, log);
  if (sweep.kind === "config-invalid") throw new Error(sweep.message);
  await io.summary(sweep.summary);
  io.setOutput("overdue", String(sweep.debt.overdue.length));
  io.setOutput("flags", String(sweep.debt.flags.length));
  io.setOutput("escalated", String(sweep.escalation.escalated.length));
  const names = sweep.debt.overdue.map((f) => f.flag ?? `#${f.issue}`);
  io.info(
    `Flag debt (${event.name}): ${sweep.debt.overdue.length} overdue of ${sweep.debt.flags.length} flag(s) owing a removal${names.length > 0 ? `: ${names.join(", ")}` : ""}; escalated now: ${sweep.escalation.escalated.length}, ${sweep.escalation.writes} write(s)`,
  );
  for (const failed of sweep.escalation.failed) io.warning(`could not escalate issue #${failed.issue}: ${failed.error}`);
}

/** A `/release` command from a PR comment, through the app's own command path. */
async function runComment(octokit: WorkflowOctokit, event: Extract<WorkflowEvent, { kind: "comment" }>, io: NoServerIo, log: Logger, identity: GateIdentity): Promise<void> {
  const { comment } = event;
  // The workflow's own comments are written as github-actions[bot]: a bot, so never read as commands.
  const read = commentCommand({
    target: { owner: event.owner, repo: event.repo, pullNumber: event.pullNumber },
    source: "workflow",
    id: comment.id,
    body: comment.body,
    url: comment.url,
    author: comment.author,
    viaApp: comment.viaApp,
    digest: commentDigest(comment.body),
  });
  if (read.kind === "ignored") {
    io.info(read.why === "no-command" ? "Nothing to do: the comment has no /release command" : `Nothing to do: comment by ${comment.author?.login ?? "a deleted account"} (${read.why})`);
    io.setOutput("result", "ignored");
    return;
  }
  const outcome = await runReleaseCommand(octokit, read.request, log, identity);
  if (outcome.kind === "duplicate") {
    io.info("The command was already handled (its comment carries our reaction); nothing to do");
    io.setOutput("result", "duplicate");
    return;
  }
  io.setOutput("result", outcome.result);
  io.setOutput("code", outcome.code);
  io.info(`/release ${outcome.verb}: ${outcome.result} (${outcome.code}), ${outcome.writes} write(s)`);
}
