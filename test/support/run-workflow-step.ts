// Runs a bundled workflow step (`node action/**/dist/index.js`) the way the Actions runner does:
// inputs as INPUT_*, the event in a file at GITHUB_EVENT_PATH, GitHub at GITHUB_API_URL, and
// outputs read back from the file at GITHUB_OUTPUT.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StepRun {
  entry: string;
  apiUrl: string;
  repository: string;
  eventName: string;
  event: unknown;
  inputs: Record<string, string>;
  /** GITHUB_SHA: the commit the run is on (a scheduled run's default-branch head). */
  sha?: string;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** What the step appended to GITHUB_STEP_SUMMARY ("" when nothing). */
  summary: string;
}

export async function runWorkflowStep(run: StepRun): Promise<StepResult> {
  const dir = await mkdtemp(join(tmpdir(), "rg-step-"));
  try {
    return await runInDir(run, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runInDir(run: StepRun, dir: string): Promise<StepResult> {
  const eventPath = join(dir, "event.json");
  const outputPath = join(dir, "output");
  await writeFile(eventPath, JSON.stringify(run.event));
  await writeFile(outputPath, "");
  // The runner creates the summary file before the step; @actions/core refuses to write to a missing one.
  await writeFile(join(dir, "summary"), "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: run.apiUrl,
    GITHUB_REPOSITORY: run.repository,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    RUNNER_TEMP: dir,
    ...(run.sha ? { GITHUB_SHA: run.sha } : {}),
  };
  for (const [name, value] of Object.entries(run.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [run.entry], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr });
    });
  });
  const summary = await readFile(join(dir, "summary"), "utf8").catch(() => "");
  return { code, stdout, stderr, outputs: parseOutputs(await readFile(outputPath, "utf8")), summary };
}

/** GITHUB_OUTPUT holds `name<<delimiter\nvalue\ndelimiter` blocks (what @actions/core writes). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}
