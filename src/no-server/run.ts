// No-server mode: the readiness check (and, with the commands, `/release`) run from a workflow with
// the workflow's token, through the same core and handlers as the app. What it gives up is in the README.
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { z } from "zod";
import { runReadiness } from "../app/readiness.js";
import { parseWorkflowEvent, READINESS_EVENTS } from "./event.js";
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
      throw new Error(`event \`${event.name}\` is not handled in no-server mode; run this step on: ${READINESS_EVENTS.join(", ")}`);
    }

    const octokit = options.octokit ?? workflowOctokit(inputs.data.token, env.GITHUB_API_URL ?? "https://api.github.com", io.warning);
    const log = {
      info: (obj: object, msg?: string) => io.info(`${msg ?? ""} ${JSON.stringify(obj)}`.trim()),
      warn: (obj: object, msg?: string) => io.warning(`${msg ?? ""} ${JSON.stringify(obj)}`.trim()),
    };
    const outcome = await runReadiness(octokit, { owner: event.owner, repo: event.repo, pullNumber: event.pullNumber }, log);
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
