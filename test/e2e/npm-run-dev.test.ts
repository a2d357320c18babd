// `npm run dev` the Probot way: webhooks reach the laptop through the smee channel in
// WEBHOOK_PROXY_URL; without it, it refuses to start and says what to do; stopping npm stops the
// compiler in watch mode and the app with it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { startFakeSmee, type FakeSmee } from "../support/fake-smee.js";
import { eventually, freePort, sign, WEBHOOK_SECRET } from "../support/start-app.js";
import { testPrivateKey } from "../support/test-probot.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

let clone: string;
let github: FakeGitHub;
let repos: FakeRepos;
let smee: FakeSmee;
const started: ChildProcess[] = [];

beforeAll(async () => {
  // A checkout without a `.env`, so only the environment below counts.
  clone = mkdtempSync(join(tmpdir(), "release-gate-dev-"));
  for (const file of ["package.json", "package-lock.json", "app.yml", "tsconfig.json", "src", "lib", "node_modules"]) symlinkSync(resolve(file), join(clone, file));
  repos = new FakeRepos();
  github = await startFakeGitHub(repos.routes());
  smee = await startFakeSmee();
});

afterAll(async () => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }
  await smee?.close();
  await github?.close();
  rmSync(clone, { recursive: true, force: true });
});

function npmRunDev(env: Record<string, string>) {
  const child = spawn("npm", ["run", "dev", "--silent"], {
    cwd: clone,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: "127.0.0.1", GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http", LOG_FORMAT: "json", RECONCILE_ON_START: "false", ...env },
  });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, output: () => output };
}

/** Live processes in the process group led by `pgid`. */
function groupMembers(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .flatMap((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[0] !== "Z" && Number(fields[3]) === pgid ? [Number(n)] : [];
      } catch {
        return [];
      }
    });
}

it("refuses to start with credentials but no WEBHOOK_PROXY_URL, and says how to get one", async () => {
  const dev = npmRunDev({ APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, PORT: String(await freePort()) });
  expect(await dev.exited).toBe(1);
  expect(dev.output()).toContain("npm run dev: WEBHOOK_PROXY_URL is not set, so no webhook from GitHub can reach this machine.");
  expect(dev.output()).toContain("https://smee.io/new");
}, 180_000);

it("receives a delivery through the smee channel, and stops with npm", async () => {
  const channel = smee.channel();
  const port = await freePort();
  const dev = npmRunDev({ APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, PORT: String(port), WEBHOOK_PROXY_URL: channel });
  await eventually("the app listening on the smee channel", () => smee.listeners(channel) > 0 || undefined, 150_000);

  const sha = "6".repeat(40);
  const body = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";
  repos.addPull({ owner: "acme", repo: "shop", number: 7, title: "fix: carts", body, headSha: sha, labels: [], files: ["src/cart.ts"] });
  const payload = JSON.stringify(pullRequestEvent({ owner: "acme", repo: "shop", number: 7, headSha: sha, installation: 42 }));
  const delivered = await fetch(channel, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "dev-1", "x-hub-signature-256": sign(payload) },
    body: payload,
  });
  expect(delivered.status).toBe(200);
  const run = await eventually("check run", () => repos.runsFor("acme", "shop", sha)[0], 30_000);
  expect(run).toMatchObject({ name: "Release readiness", conclusion: "success" });

  // The compiler in watch mode and the app run beside npm; a SIGTERM to npm alone ends them all.
  expect(groupMembers(dev.child.pid!).length).toBeGreaterThanOrEqual(3);
  process.kill(dev.child.pid!, "SIGTERM");
  await dev.exited;
  await eventually("every dev process gone", () => groupMembers(dev.child.pid!).length === 0 || undefined, 10_000);
}, 240_000);
