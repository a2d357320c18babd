// Load benchmark: the real `npm start` process (and, in the same run, a bare Probot app answering each
// PR with one check run: bench/bare-app.js) driven over loopback by a second process
// (bench/load-sender.ts) sending signed `pull_request` webhooks open-loop at rising rates. For each
// rate: events per second achieved (check runs written per second), p50/p99 latency from webhook sent
// to check run written (timestamps taken by the local GitHub stand-in), webhook answer time, and the
// app process's resident memory (peak and at the end of the step).
// Run: npm run bench:load   (options: RATES=5,10,20,40,80 SECONDS=5 INSTALLATIONS=200 DRAIN_SECONDS=20)
// Prints a table and writes it to bench/results/load-readiness.txt.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { startFakeGitHub, type FakeGitHub } from "../test/support/fake-github.js";
import { FakeRepos } from "../test/support/fake-readiness-routes.js";
import { startApp, type RunningApp } from "../test/support/start-app.js";
import { loadSha } from "./load-shared.js";

const RATES = (process.env.RATES ?? "5,10,20,40,80").split(",").map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);
const INSTALLATIONS = Number(process.env.INSTALLATIONS ?? 200);
const DRAIN_SECONDS = Number(process.env.DRAIN_SECONDS ?? 20);
const BODY = "## Rollback contract\nProcedure: turn off the `x` flag.\nTriggers: error rate > 1% for 5m\n";

interface Sent {
  sha: string;
  sentAt: number;
  status: number;
  ackMs: number;
}

interface StepResult {
  rate: number;
  sent: number;
  written: number;
  achieved: number;
  p50: number;
  p99: number;
  ackP99: number;
  rssPeakMb: number;
  rssEndMb: number;
  errors: number;
}

/** The node process serving the app: the spawned process or, under `npm start`, its descendant. */
function serverPid(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // process went away
    }
  }
  const queue = [root];
  let found = root;
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (/main\.js|probot\.js/.test(cmd)) found = pid;
    } catch {
      // gone
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runSender(port: number, rate: number, step: number): Promise<Sent[]> {
  const child = spawn(process.execPath, ["lib/bench/load-sender.js", JSON.stringify({ port, rate, seconds: SECONDS, installations: INSTALLATIONS, step })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`load sender exited with ${code}`);
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sent);
}

async function measure(label: string, command: string[] | undefined): Promise<StepResult[]> {
  const repos = new FakeRepos();
  const github: FakeGitHub = await startFakeGitHub(repos.routes());
  const results: StepResult[] = [];
  let app: RunningApp | undefined;
  try {
    for (const [step, rate] of RATES.entries()) {
      // This step's PRs (numbers reused across steps, with new head SHAs).
      for (let k = 0; k < Math.round(rate * SECONDS); k++) {
        const installation = (k % INSTALLATIONS) + 1;
        repos.addPull({ owner: `org-${installation}`, repo: "service", number: k + 1, title: "fix: x", body: BODY, headSha: loadSha(step, k), labels: [], files: ["src/a.ts"] });
      }
      app ??= await startApp({ githubPort: github.port, command, env: { LOG_LEVEL: "warn", RECONCILE_ON_START: "false" } });
      const pid = serverPid(app.pid);
      let rssPeak = rssMb(pid);
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 200);
      const sent = await runSender(app.port, rate, step);
      const shas = new Set(sent.map((s) => s.sha));
      const writeAt = () => {
        const at = new Map<string, number>();
        for (const r of github.requests) {
          const sha = (r.body as { head_sha?: string } | undefined)?.head_sha;
          if (r.method === "POST" && r.path.endsWith("/check-runs") && sha && shas.has(sha) && !at.has(sha)) at.set(sha, r.at);
        }
        return at;
      };
      const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
      while (writeAt().size < sent.length && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
      clearInterval(sampler);
      const written = writeAt();
      const latencies = sent.filter((s) => written.has(s.sha)).map((s) => written.get(s.sha)! - s.sentAt).sort((a, b) => a - b);
      const firstSent = Math.min(...sent.map((s) => s.sentAt));
      const lastWrite = Math.max(...written.values());
      const acks = sent.map((s) => s.ackMs).sort((a, b) => a - b);
      results.push({
        rate,
        sent: sent.length,
        written: written.size,
        achieved: written.size / ((lastWrite - firstSent) / 1000),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        ackP99: percentile(acks, 99),
        rssPeakMb: rssPeak,
        rssEndMb: rssMb(pid),
        errors: sent.filter((s) => s.status === 0 || s.status >= 300).length,
      });
      console.error(`${label}: ${rate} ev/s offered → ${results.at(-1)!.achieved.toFixed(1)} ev/s, ${written.size}/${sent.length} written`);
      if (written.size < sent.length) {
        // Saturated: the backlog would spill into the next step; restart for a clean one and say so.
        await app.stop();
        app = undefined;
        if (written.size < sent.length / 2) break;
      }
    }
  } finally {
    await app?.stop();
    await github.close();
  }
  return results;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
function row(label: string, r: StepResult) {
  return [
    label.padEnd(13),
    String(r.rate).padStart(8),
    fmt(r.achieved, 1).padStart(9),
    `${r.written}/${r.sent}`.padStart(9),
    fmt(r.p50).padStart(8),
    fmt(r.p99).padStart(8),
    fmt(r.ackP99).padStart(10),
    fmt(r.rssPeakMb).padStart(9),
    fmt(r.rssEndMb).padStart(8),
    String(r.errors).padStart(7),
  ].join(" ");
}

const ours = await measure("release-gate", undefined);
const bare = await measure("bare probot", ["node", "node_modules/probot/bin/probot.js", "run", "./bench/bare-app.js"]);

const lines = [
  `Load: signed pull_request webhooks from a second process, open-loop, ${SECONDS} s per rate, spread over ${INSTALLATIONS} installations`,
  `(GitHub's budget is ~1 write/s per installation, so the installations are not the limit); latency = webhook sent → check run written.`,
  `A rate whose events were not all written within ${DRAIN_SECONDS} s of the last send is saturated; below half written, higher rates are skipped.`,
  "",
  "app           offered/s achieved/s  written  p50-ms   p99-ms  ack-p99-ms  rss-peak  rss-end  failed",
  ...ours.map((r) => row("release-gate", r)),
  ...bare.map((r) => row("bare probot", r)),
  "",
  `node ${process.version}, ${new Date().toISOString().slice(0, 10)}; RSS in MB of the serving node process; failed = webhook`,
  "answers other than 2xx (Probot answers 202 when a handler runs longer than its 10 s webhook timeout).",
];
console.log(lines.join("\n"));
writeFileSync("bench/results/load-readiness.txt", `${lines.join("\n")}\n`);
