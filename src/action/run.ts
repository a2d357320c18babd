// The Action's main and post steps: read the runner's protocol, wire the stage flow to GitHub, the
// gate providers, the shell and the clock, and catch once: any error fails the step with its message.
import { readFile } from "node:fs/promises";
import { describeGateSource } from "../core/gates/gate-source.js";
import { urlSecrets } from "../core/gates/redact-secrets.js";
import { lastGoodSha } from "../core/rollout/derive-rollout.js";
import { renderStageSummary } from "../core/render/stage-summary.js";
import type { TrustPolicy } from "../core/rollout/trust.js";
import type { GitHubClient } from "../github/client.js";
import { loadConfig, type ConfigPluginClient, type LoadedConfig } from "../workflows/load-config.js";
import { readRunContext, type RunContext } from "./event.js";
import { resolveGates } from "./gate-source.js";
import { readInputs } from "./inputs.js";
import { runReportMode } from "./report-mode.js";
import { coreIo, redactingIo, type ActionIo } from "./io.js";
import { actionOctokit } from "./octokit.js";
import { readState, saveState, setOutputs } from "./outputs.js";
import { runStage } from "./run-stage.js";
import type { RunOutcome, StageDeps } from "./stage/deps.js";
import { resumeStages } from "./stage/resume.js";
import { sampleCounters, sampleGate } from "./sample-gate.js";
import { bindGitHub, type StageGitHub } from "./stage-github.js";
import { runShell } from "./shell.js";
import { createFlagDriver } from "../flags/index.js";
import { resolveFlag } from "./flag-source.js";
import { actionTrustPolicy, statusWritersOf, withTrustedHistory } from "./trusted-history.js";

/** Shift and rollback commands get this long before they are killed. */
const COMMAND_TIMEOUT_MS = 15 * 60_000;

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  io?: ActionIo;
  octokit?: GitHubClient & ConfigPluginClient;
  /** Tests replace the clock, providers or shell; the runner uses the real ones. */
  deps?: Partial<Omit<StageDeps, "io" | "github">>;
}

/** The runner runs the same file as main and post step; main leaves a mark in the state. */
export function isPostStep(io: Pick<ActionIo, "getState"> = coreIo): boolean {
  return readState(io, "is-post") === "true";
}

export async function run(options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const io = redactingIo(options.io ?? coreIo);
  let github: StageGitHub | undefined;
  let context: RunContext | undefined;
  try {
    saveState(io, "is-post", "true");
    // The report reads records and writes files: none of the stage inputs apply to it.
    if (io.getInput("mode").trim() === "report") {
      await runReportMode(io, env);
      return;
    }
    const read = readInputs(io);
    if (!read.ok) throw new Error(read.error);
    io.setSecret(read.inputs.token);
    saveState(io, "dry-run", read.inputs["dry-run"] ? "true" : "false");

    const eventText = env.GITHUB_EVENT_PATH ? await readFile(env.GITHUB_EVENT_PATH, "utf8").catch(() => undefined) : undefined;
    context = readRunContext(env, eventText);
    if (context.logUrl) saveState(io, "log-url", context.logUrl);
    const octokit = options.octokit ?? actionOctokit(read.inputs.token, env.GITHUB_API_URL ?? "https://api.github.com");
    // Read at most once, and only when the gates, the flag or the trust policy need it.
    const repo = { owner: context.owner, repo: context.repo };
    let configRead: Promise<LoadedConfig> | undefined;
    const repoConfig = () => (configRead ??= loadConfig(octokit, repo));
    const sourced = await resolveGates(read.inputs, repoConfig);
    // Every mode resolves it: a stage run serves it, and observe and resume runs turn it off on a breach.
    const { flag } = await resolveFlag(read.inputs.flag, repoConfig, io);
    const inputs = { ...read.inputs, gates: sourced.gates, compare: sourced.compare, flag };
    const gateSource = describeGateSource(sourced.source, sourced.gates.length + sourced.compare.length);
    io.info(`gates: ${gateSource}`);
    for (const gate of inputs.gates) {
      const url = "prometheus" in gate ? gate.prometheus.url : "http" in gate ? gate.http.url : undefined;
      for (const secret of url ? urlSecrets(url) : []) io.setSecret(secret);
    }
    for (const gate of inputs.compare) for (const secret of urlSecrets(gate.compare.prometheus.url)) io.setSecret(secret);
    let policy: Promise<TrustPolicy> | undefined;
    const trust = () => (policy ??= statusWritersOf(repoConfig, io).then((writers) => actionTrustPolicy(inputs["deployment-creators"], writers)));
    const trusted = withTrustedHistory(bindGitHub(octokit, context), trust, io);
    github = trusted;

    const stageDeps: StageDeps = {
      io,
      github,
      sample: (gate, extraEnv, timeoutMs) => sampleGate(gate, { env: extraEnv, timeoutMs }),
      sampleCounters: (gate, timeoutMs) => sampleCounters(gate, { timeoutMs }),
      shell: (command, extraEnv, onLine) => runShell(command, { env: extraEnv, timeoutMs: COMMAND_TIMEOUT_MS, onLine }),
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      lastGoodSha: (records, sha, release) => lastGoodSha(records, { sha, ...(release !== undefined ? { release } : {}) }) ?? undefined,
      // Built (and its token masked) before anything moves, so a missing token fails the step early.
      flag: inputs.flag ? createFlagDriver(inputs.flag, { env, setSecret: (s) => io.setSecret(s) }) : undefined,
      actor: env.GITHUB_ACTOR,
      ...(context.logUrl ? { runUrl: context.logUrl } : {}),
      ...options.deps,
    };
    const outcome: RunOutcome =
      inputs.mode === "resume"
        ? await resumeStages(inputs, context, stageDeps)
        : await runStage(inputs, context, stageDeps).then((o) => ({
            verdict: o.verdict,
            reason: o.reason,
            outputs: o.outputs,
            summary: renderStageSummary({ ...o.report, gateSource, ignored: trusted.ignored }),
          }));
    setOutputs(io, outcome.outputs);
    const summary = inputs.mode === "resume" ? `${outcome.summary}\nGates: ${gateSource}.\n` : outcome.summary;
    await io.writeSummary(summary).catch((error: Error) => io.warning(`could not write the job summary: ${error.message}`));
    if (outcome.verdict === "failure" || outcome.verdict === "inconclusive") io.setFailed(outcome.reason);
    else io.info(outcome.reason);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A stage already marked in progress must not stay so: record the error on it.
    const id = Number(readState(io, "deployment-id"));
    if (github && id > 0 && readState(io, "finished") === "") {
      await github
        .setStatus(id, "error", `Release Gate stopped: ${message}`)
        .then(() => saveState(io, "finished", "verdict"))
        .catch(() => undefined);
    }
    io.setFailed(message);
  }
}

/**
 * Post step: runs after the main step however it ended (success, failure, cancellation, crash).
 * A stage the main step left `in_progress` without a verdict gets `error`, so nothing waits on it.
 */
export async function post(options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const io = redactingIo(options.io ?? coreIo);
  try {
    const id = Number(readState(io, "deployment-id"));
    const finished = readState(io, "finished");
    if (!(id > 0) || finished !== "" || readState(io, "dry-run") === "true") {
      io.info(
        finished === "handoff"
          ? `deployment ${id} is left in progress for the mode: observe step`
          : finished === "observing"
            ? `deployment ${id} is left in progress: its window outlives this run, a mode: resume run ends it`
            : "nothing to clean up",
      );
      return;
    }
    const token = io.getInput("token");
    if (token) io.setSecret(token);
    // The post step needs the repository and the run's link only, not the event.
    const context = readRunContext({ ...env, GITHUB_EVENT_NAME: "" }, undefined);
    const octokit = options.octokit ?? actionOctokit(token, env.GITHUB_API_URL ?? "https://api.github.com");
    await bindGitHub(octokit, context).setStatus(id, "error", "Release Gate stopped before a verdict (cancelled or crashed); no rollback was run");
    io.warning(`deployment ${id} was still in progress; marked error (the run was cancelled or crashed before a verdict)`);
  } catch (error) {
    io.warning(`post step could not clean up: ${error instanceof Error ? error.message : String(error)}`);
  }
}
