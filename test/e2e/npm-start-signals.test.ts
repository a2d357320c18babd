// `npm start` stops the app when it is stopped: npm passes SIGTERM on to its script, and the script
// must hand it to the app (no shell left between them) and the app must stop on it. Otherwise the app
// lingers on its port after a process manager or container runtime has "stopped" it.
import { readFileSync, readdirSync } from "node:fs";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { startApp, type RunningApp } from "../support/start-app.js";

let github: FakeGitHub;
let app: RunningApp | undefined;

beforeAll(async () => {
  github = await startFakeGitHub([]);
});

afterAll(async () => {
  // The whole group, by its leader's id: an app left behind by npm is still in it (and would keep
  // jest waiting on its output pipes).
  if (app) {
    try {
      process.kill(-app.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await github?.close();
});

/** Live (not zombie) processes below `root`, with their command lines. */
function descendants(root: number): { pid: number; cmd: string }[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") parents.set(Number(name), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; cmd: string }[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push({ pid: child, cmd: cmdline(child) });
      walk(child);
    }
  };
  walk(root);
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

it("SIGTERM to npm start's own process ends the app process and frees its port", async () => {
  app = await startApp({ githubPort: github.port, env: { RECONCILE_ON_START: "false" } });
  // The node process itself, not a shell whose command line names it.
  const appProcess = descendants(app.pid).find((p) => /^\S*node\S* .*lib\/src\/app\/main\.js/.test(p.cmd));
  expect(appProcess).toBeDefined();
  expect(await answers(app.port)).toBe(true);

  // Only npm itself, as `docker stop` or systemd would signal the main process: not the group.
  process.kill(app.pid, "SIGTERM");

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (alive(appProcess!.pid) || (await answers(app.port)))) await new Promise((r) => setTimeout(r, 100));
  expect({ appAlive: alive(appProcess!.pid), portAnswers: await answers(app.port) }).toEqual({ appAlive: false, portAnswers: false });
  expect(alive(app.pid)).toBe(false);
}, 60_000);
