// No-server mode: the readiness check (and, with the commands, `/release`) run from a workflow with
// the workflow's token, through the same core and handlers as the app. What it gives up is in the README.
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { z } from "zod";
import { runReadiness, type Logger } from "../app/readiness.js";
import { commentCommand } from "../app/release/comment-command.js";
import { WORKFLOW_IDENTITY } from "../github/gate-identity.js";
import { runReleaseCommand } from "../app/release/run-release-command.js";
import { runMergeGroup } from "../workflows/readiness/merge-group.js";
import { parseWorkflowEvent, SUPPORTED_EVENTS, type WorkflowEvent } from "./event.js";
import { workflowOctokit, type WorkflowOctokit } from "./octokit.js";

export interface NoServerIo {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  setSecret(secret: string): void;
  info(message: string): void;
  warning(message: string): void;
}

const inputsSchema = z.object({
  token: z.string().min(1, { message: "input `token` is empty: pass `${{ github.token }}` (the default) or a token with checks: write" }),
});

const coreIo: NoServerIo = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setFailed: (message) => core.setFailed(message),
  setSecret: (secret) => core.setSecret(secret),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
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
    const inputs = inputsSchema.safeParse({ token: io.getInput("token") });
    if (!inputs.success) throw new Error(inputs.error.issues.map((i) => i.message).join("; "));
    io.setSecret(inputs.data.token);

    const payloadText = env.GITHUB_EVENT_PATH ? await readFile(env.GITHUB_EVENT_PATH, "utf8").catch(() => undefined) : undefined;
    const parsed = parseWorkflowEvent(env.GITHUB_EVENT_NAME, payloadText);
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
    if (event.kind === "comment") {
      await runComment(octokit, event, io, log);
      return;
    }
    if (event.kind === "merge-group") {
      const { kind: _kind, ...target } = event;
      const outcome = await runMergeGroup(octokit, target, log);
      io.setOutput("conclusion", outcome.conclusion);
      io.setOutput("check-run-id", String(outcome.checkRunId));
      io.info(`Release readiness (merge group): ${outcome.conclusion} on ${event.headSha} (check run ${outcome.checkRunId}; PRs ${outcome.pulls.map((n) => `#${n}`).join(", ")})`);
      return;
    }
    // A workflow never receives check_run.requested_action, so the check offers no buttons.
    const target = { owner: event.owner, repo: event.repo, pullNumber: event.pullNumber, buttons: false };
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

/** A `/release` command from a PR comment, through the app's own command path. */
async function runComment(octokit: WorkflowOctokit, event: Extract<WorkflowEvent, { kind: "comment" }>, io: NoServerIo, log: Logger): Promise<void> {
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
  });
  if (read.kind === "ignored") {
    io.info(read.why === "no-command" ? "Nothing to do: the comment has no /release command" : `Nothing to do: comment by ${comment.author?.login ?? "a deleted account"} (${read.why})`);
    io.setOutput("result", "ignored");
    return;
  }
  const outcome = await runReleaseCommand(octokit, read.request, log, WORKFLOW_IDENTITY);
  if (outcome.kind === "duplicate") {
    io.info("The command was already handled (its comment carries our reaction); nothing to do");
    io.setOutput("result", "duplicate");
    return;
  }
  io.setOutput("result", outcome.result);
  io.setOutput("code", outcome.code);
  io.info(`/release ${outcome.verb}: ${outcome.result} (${outcome.code}), ${outcome.writes} write(s)`);
}
