// Runner minutes per release, today's single-job design against long windows in runs (issue 12).
// Plays the default plan (canary 1% 30m, 10% 2h, 50% 4h, full 24h; a sample every minute) through
// the Action's own stage code (runStage, resumeStages), time-compressed: every job gets a virtual
// clock, so a 30.5 h release plays in seconds with the real durations. GitHub bills each job rounded
// up to the whole minute, so every job is rounded on its own; each job also pays the runner's setup
// (checkout, starting the Action: SETUP_SECONDS, default 20).
//   single job: one job per stage that watches the whole window (the 24 h one cannot even finish
//     on a hosted runner, which cancels it at 6 h; billed here as if it could);
//   in runs: one job per stage for the active phase (15m), then a `mode: resume` run on a schedule
//     (every 30 min) takes one sample round of each open stage and ends it after its window; the
//     run that ends a stage starts the next one.
// Then each design is played again with a regression injected in the active phase and in the soak,
// to measure the time from the regression to the failure status (detection latency).
// Run: npm run bench:runner-minutes
import type { RunContext } from "../src/action/event.js";
import { readInputs, type Inputs } from "../src/action/inputs.js";
import type { ActionIo } from "../src/action/io.js";
import { runStage } from "../src/action/run-stage.js";
import type { StageDeps } from "../src/action/stage/deps.js";
import { resumeStages } from "../src/action/stage/resume.js";
import type { StageGitHub } from "../src/action/stage-github.js";
import { valueReading } from "../src/core/gates/sample.js";
import type { DeploymentPayload } from "../src/core/rollout/deployment-payload.js";
import type { DeploymentRecord, DeploymentState } from "../src/core/rollout/types.js";

const M = 60_000;
const H = 60 * M;
const PLAN = [
  { name: "canary", percent: 1, observe: "30m", ms: 30 * M },
  { name: "10-percent", percent: 10, observe: "2h", ms: 2 * H },
  { name: "50-percent", percent: 50, observe: "4h", ms: 4 * H },
  { name: "full", percent: 100, observe: "24h", ms: 24 * H },
];
const SETUP_MS = Number(process.env.SETUP_SECONDS ?? 20) * 1000;
const SCHEDULE_MS = Number(process.env.SCHEDULE_MINUTES ?? 30) * M;
const ACTIVE = process.env.ACTIVE ?? "15m";
const INTERVAL = "1m";
const GATES = "- { name: error-rate, command: errors, max: 0.01, unit: ratio, min-samples: 3 }";
const CONTEXT: RunContext = { owner: "acme", repo: "shop", sha: "c".repeat(40), eventName: "workflow_dispatch", logUrl: "https://github.com/acme/shop/actions/runs/1" };

interface Job {
  kind: string;
  start: number;
  end: number;
}

/** Deployments as GitHub keeps them; a reader sees only what was written by its own `now`. */
class World {
  deployments: Array<{ id: number; sha: string; environment: string; payload: DeploymentPayload; createdAt: number; statuses: Array<{ state: DeploymentState; description: string; at: number; logUrl?: string }> }> = [];
  github(clock: { now: number }): StageGitHub {
    return {
      createDeployment: async (args) => {
        const d = { id: 100 + this.deployments.length, sha: args.sha, environment: args.environment, payload: args.payload, createdAt: clock.now, statuses: [] };
        this.deployments.push(d);
        return { id: d.id, sha: d.sha };
      },
      getDeployment: async () => {
        throw new Error("not used");
      },
      setStatus: async (id, state, description, logUrl) => void this.deployments.find((d) => d.id === id)!.statuses.unshift({ state, description, at: clock.now, logUrl: logUrl ?? CONTEXT.logUrl! }),
      listRecent: async (environment) => this.records(environment, clock.now),
      findPull: async () => ({ number: 7, body: null }),
      listStages: async (environment, keep) => this.records(environment, clock.now).filter((r) => r.payload && !r.payload.rollback && keep({ createdAt: r.createdAt, payload: r.payload })),
    };
  }
  private records(environment: string, now: number): DeploymentRecord[] {
    return [...this.deployments]
      .reverse()
      .filter((d) => d.environment === environment && d.createdAt <= now)
      .map((d) => ({
        id: d.id,
        sha: d.sha,
        environment,
        createdAt: new Date(d.createdAt).toISOString(),
        creator: "github-actions[bot]",
        viaApp: 15368,
        payload: d.payload,
        statuses: d.statuses.filter((s) => s.at <= now).map((s) => ({ state: s.state, createdAt: new Date(s.at).toISOString(), description: s.description, ...(s.logUrl ? { logUrl: s.logUrl } : {}), creator: "github-actions[bot]", viaApp: 15368 })),
      }));
  }
}

const quietIo: ActionIo = {
  getInput: () => "",
  setOutput: () => undefined,
  saveState: () => undefined,
  getState: () => "",
  setSecret: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  setFailed: () => undefined,
  writeSummary: async () => undefined,
};

function inputs(values: Record<string, string>): Inputs {
  const all: Record<string, string> = { token: "t", gates: GATES, interval: INTERVAL, release: "7", shift: "shift", ...values };
  const read = readInputs({ getInput: (name) => all[name] ?? "" });
  if (!read.ok) throw new Error(read.error);
  return read.inputs;
}

/** One job on its own virtual clock, starting at `start` (after the runner's setup). */
function deps(world: World, start: number, regression: (at: number) => boolean): { deps: StageDeps; clock: { now: number } } {
  const clock = { now: start + SETUP_MS };
  return {
    clock,
    deps: {
      io: quietIo,
      github: world.github(clock),
      sample: async () => valueReading(regression(clock.now) ? 0.2 : 0.001),
      sampleCounters: async () => ({ kind: "missing", detail: "none" }),
      shell: async () => ({ exitCode: 0, stdout: "", stderr: "" }),
      now: () => clock.now,
      sleep: async (ms) => void (clock.now += ms),
      lastGoodSha: () => undefined,
      runUrl: CONTEXT.logUrl!,
    },
  };
}

interface Play {
  jobs: Job[];
  /** When the release ended (last stage success, or the failure). */
  end: number;
  /** The failure status's time, when a regression was injected. */
  failedAt?: number;
}

async function playSingleJob(regression: (at: number) => boolean): Promise<Play> {
  const world = new World();
  const jobs: Job[] = [];
  let t = 0;
  for (const stage of PLAN) {
    const { deps: d, clock } = deps(world, t, regression);
    const outcome = await runStage(inputs({ stage: stage.name, percent: String(stage.percent), observe: stage.observe, active: "window", watch: "1000h" }), CONTEXT, d);
    jobs.push({ kind: `stage ${stage.name}`, start: t, end: clock.now });
    t = clock.now;
    if (outcome.verdict === "failure") return { jobs, end: t, failedAt: failureTime(world) };
  }
  return { jobs, end: t };
}

async function playInRuns(regression: (at: number) => boolean): Promise<Play> {
  const world = new World();
  const jobs: Job[] = [];
  let next: { stage: number; at: number } | undefined = { stage: 0, at: 0 };
  // Ticks of the schedule, from the first one after the release starts.
  let tick = SCHEDULE_MS;
  let end = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    if (next && next.at <= tick) {
      const stage = PLAN[next.stage]!;
      const { deps: d, clock } = deps(world, next.at, regression);
      const outcome = await runStage(inputs({ stage: stage.name, percent: String(stage.percent), observe: stage.observe, active: ACTIVE }), CONTEXT, d);
      jobs.push({ kind: `stage ${stage.name}`, start: next.at, end: clock.now });
      const index: number = next.stage;
      next = undefined;
      if (outcome.verdict === "failure") return { jobs, end: clock.now, failedAt: failureTime(world) };
      if (outcome.verdict === "success") {
        if (index + 1 < PLAN.length) next = { stage: index + 1, at: clock.now };
        else return { jobs, end: clock.now };
      }
      continue;
    }
    const { deps: d, clock } = deps(world, tick, regression);
    const outcome = await resumeStages(inputs({ mode: "resume", active: ACTIVE }), CONTEXT, d);
    jobs.push({ kind: "resume", start: tick, end: clock.now });
    end = clock.now;
    if (outcome.verdict === "failure") return { jobs, end, failedAt: failureTime(world) };
    const passed = (JSON.parse(outcome.outputs.stages ?? "[]") as Array<{ stage: string; verdict: string }>).find((s) => s.verdict === "success");
    if (passed) {
      const index = PLAN.findIndex((s) => s.name === passed.stage);
      if (index + 1 >= PLAN.length) return { jobs, end };
      // The resume run starts the next stage (workflow_dispatch) as it ends.
      next = { stage: index + 1, at: clock.now };
    }
    tick += SCHEDULE_MS;
  }
  throw new Error("the release never ended");
}

function failureTime(world: World): number | undefined {
  return world.deployments.flatMap((d) => d.statuses).find((s) => s.state === "failure")?.at;
}

const billed = (job: Job) => Math.ceil((job.end - job.start) / M);
const total = (play: Play) => play.jobs.reduce((n, j) => n + billed(j), 0);
const hours = (ms: number) => `${(ms / H).toFixed(2)} h`;

async function main(): Promise<void> {
  const started = performance.now();
  const healthy = () => false;
  const old = await playSingleJob(healthy);
  const runs = await playInRuns(healthy);
  const wall = (performance.now() - started) / 1000;

  const lines: string[] = [];
  lines.push(`Runner minutes per release, default plan (${PLAN.map((s) => `${s.name} ${s.observe}`).join(", ")}), a sample every ${INTERVAL}`);
  lines.push(`each job billed rounded up to the minute, ${SETUP_MS / 1000}s runner setup per job; new design: active ${ACTIVE}, schedule every ${SCHEDULE_MS / M} min`);
  lines.push(`played time-compressed through the Action's stage code: ${hours(old.end)} + ${hours(runs.end)} of release time in ${wall.toFixed(1)} s`);
  lines.push("");
  const pad = (s: string, n: number) => s.padEnd(n);
  lines.push(`${pad("", 28)}${pad("single job (today)", 26)}in runs (issue 12)`);
  const group = (play: Play) => {
    const by = new Map<string, { jobs: number; minutes: number }>();
    for (const j of play.jobs) {
      const key = j.kind.startsWith("stage") ? j.kind : "resume (schedule)";
      const entry = by.get(key) ?? { jobs: 0, minutes: 0 };
      entry.jobs++;
      entry.minutes += billed(j);
      by.set(key, entry);
    }
    return by;
  };
  const a = group(old);
  const b = group(runs);
  for (const key of [...new Set([...a.keys(), ...b.keys()])]) {
    const cell = (e?: { jobs: number; minutes: number }) => (e ? `${e.jobs} job${e.jobs === 1 ? "" : "s"}, ${e.minutes} min` : "–");
    lines.push(`${pad(key, 28)}${pad(cell(a.get(key)), 26)}${cell(b.get(key))}`);
  }
  const oldTotal = total(old);
  const newTotal = total(runs);
  const longest = (play: Play) => Math.max(...play.jobs.map((j) => j.end - j.start));
  lines.push(`${pad("total runner minutes", 28)}${pad(String(oldTotal), 26)}${newTotal}`);
  const over = (ms: number) => (ms > 6 * H ? " (> 6 h limit)" : "");
  lines.push(`${pad("longest job", 28)}${pad(hours(longest(old)) + over(longest(old)), 26)}${hours(longest(runs))}${over(longest(runs))}`);
  lines.push(`${pad("release took", 28)}${pad(hours(old.end), 26)}${hours(runs.end)}`);
  lines.push(`new / old: ${((100 * newTotal) / oldTotal).toFixed(1)} % (goal ≤ 10 %)`);
  lines.push("");

  // Detection latency: a regression starting between two samples, 5.5 min after the 10-percent shift
  // (active phase), and 3 h 1.5 min into the full stage (soak).
  const shiftOf = async (play: (r: (at: number) => boolean) => Promise<Play>, name: string) => (await play(healthy)).jobs.find((j) => j.kind === `stage ${name}`)!.start + SETUP_MS;
  lines.push("detection latency (regression starts → failure status, rollback started):");
  for (const [label, stage, offset] of [["active: 10-percent +5.5m", "10-percent", 5.5 * M], ["soak: full +3h01.5m", "full", 3 * H + 1.5 * M]] as const) {
    const cells: string[] = [];
    for (const play of [playSingleJob, playInRuns]) {
      const at = (await shiftOf(play, stage)) + offset;
      const result = await play((now) => now >= at);
      cells.push(result.failedAt !== undefined ? `${((result.failedAt - at) / M).toFixed(1)} min` : "not detected");
    }
    lines.push(`${pad(`  ${label}`, 28)}${pad(cells[0]!, 26)}${cells[1]}`);
  }
  const ticksPerDay = (24 * H) / SCHEDULE_MS;
  lines.push("");
  lines.push(`The schedule also runs when no release is open: ${ticksPerDay} runs/day ≈ ${ticksPerDay * Math.ceil((SETUP_MS + 1000) / M)} runner-min/day, shared by every release open at the time.`);
  console.log(lines.join("\n"));
  if (newTotal > oldTotal / 10) process.exitCode = 1;
}

await main();
