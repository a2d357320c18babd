// Runs the bundled Action (`node action/dist/index.js`) the way the Actions runner does: inputs as
// INPUT_*, file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), the event file, and the
// post step as a second process that gets the main step's saved state as STATE_*.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ACTION_ENTRY = "action/dist/index.js";

export interface ActionStep {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  dir: string;
}

export interface RunnerSetup {
  apiUrl: string;
  repository: string;
  sha: string;
  eventName: string;
  event: unknown;
  inputs: Record<string, string>;
  runId?: string;
  extraEnv?: Record<string, string>;
}

export interface StartedStep {
  child: ChildProcess;
  /** Lines of stdout so far. */
  lines: string[];
  done: Promise<ActionStep>;
}

// Tests read a step's files (`step.dir`) after it ends, so the folders made here go when the test file ends.
const madeDirs: string[] = [];
if (typeof afterAll === "function") afterAll(() => Promise.all(madeDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** Starts the main step; `done` resolves when the process exits. */
export async function startActionStep(setup: RunnerSetup, options: { node?: string; dir?: string; state?: Record<string, string> } = {}): Promise<StartedStep> {
  let dir = options.dir;
  if (dir === undefined) {
    dir = await mkdtemp(join(tmpdir(), "rg-action-"));
    madeDirs.push(dir);
  }
  const files = { event: join(dir, "event.json"), output: join(dir, "output"), state: join(dir, "state"), summary: join(dir, "summary") };
  await writeFile(files.event, JSON.stringify(setup.event));
  for (const f of [files.output, files.state, files.summary]) await writeFile(f, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_EVENT_NAME: setup.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_API_URL: setup.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: setup.repository,
    GITHUB_SHA: setup.sha,
    GITHUB_RUN_ID: setup.runId ?? "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    ...setup.extraEnv,
  };
  for (const [name, value] of Object.entries(setup.inputs)) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  const child = spawn(options.node ?? process.execPath, [ACTION_ENTRY], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
    lines.push(...c.toString("utf8").split("\n").filter(Boolean));
  });
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const done = new Promise<ActionStep>((resolve) => {
    child.on("close", async (code, signal) => {
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(await readFile(files.output, "utf8")),
        state: parseFileCommands(await readFile(files.state, "utf8")),
        summary: await readFile(files.summary, "utf8"),
        dir,
      });
    });
  });
  return { child, lines, done };
}

export async function runActionStep(setup: RunnerSetup, options: { node?: string; state?: Record<string, string> } = {}): Promise<ActionStep> {
  return (await startActionStep(setup, options)).done;
}

/** The post step: same entry, the main step's state as STATE_* (as the runner passes it). */
export async function runPostStep(setup: RunnerSetup, main: ActionStep): Promise<ActionStep> {
  return runActionStep(setup, { state: main.state });
}

/** Reads `name<<delimiter\nvalue\ndelimiter` records, the format @actions/core writes. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const match of text.matchAll(pattern)) values[match[1]!] = match[3]!;
  return values;
}
