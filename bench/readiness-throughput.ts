// Benchmark: the real `npm start` process against a local GitHub stand-in, PR events spread over 30
// installations, side by side with a bare Probot app (bench/bare-app.js) in the same run.
// Prints events per second, GitHub reads and writes per event and the slowest webhook answer.
// Run: npm run bench   (options: INSTALLATIONS=30 ROUNDS=2)
import { startFakeGitHub, type FakeGitHub } from "../test/support/fake-github.js";
import { FakeRepos } from "../test/support/fake-readiness-routes.js";
import { startApp } from "../test/support/start-app.js";
import { pullRequestEvent } from "../test/support/webhook-examples.js";

const INSTALLATIONS = Number(process.env.INSTALLATIONS ?? 30);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const BODY = "## Rollback contract\nProcedure: turn off the `x` flag.\nTriggers: error rate > 1% for 5m\n";

interface RoundResult {
  events: number;
  seconds: number;
  reads: number;
  writes: number;
  tokenWrites: number;
  slowestAnswerMs: number;
}

function payloadFor(installation: number, round: number) {
  const action = round === 0 ? "opened" : "edited";
  return pullRequestEvent({ owner: `org-${installation}`, repo: "service", number: 1, headSha: shaFor(installation), action, installation });
}

function shaFor(installation: number): string {
  return installation.toString(16).padStart(40, "0");
}

async function measure(label: string, command: string[] | undefined): Promise<RoundResult[]> {
  const repos = new FakeRepos();
  for (let i = 1; i <= INSTALLATIONS; i++) {
    repos.addPull({ owner: `org-${i}`, repo: "service", number: 1, title: "fix: x", body: BODY, headSha: shaFor(i), labels: [], files: ["src/a.ts", "src/b.ts"] });
  }
  const github: FakeGitHub = await startFakeGitHub(repos.routes());
  // The one-off start-up reconciliation pass (a read of /app/installations) is not a per-event cost.
  const app = await startApp({ githubPort: github.port, command, env: { LOG_LEVEL: "warn", RECONCILE_ON_START: "false" } });
  const results: RoundResult[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const before = github.requests.length;
      const writesBefore = repos.checkRuns.reduce((n, r) => n + r.writes, 0);
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: INSTALLATIONS }, async (_, i) => {
          const t0 = performance.now();
          const status = await app.send("pull_request", payloadFor(i + 1, round));
          if (status >= 300) throw new Error(`${label}: webhook answered ${status}`);
          return performance.now() - t0;
        }),
      );
      const target = writesBefore + INSTALLATIONS;
      while (repos.checkRuns.reduce((n, r) => n + r.writes, 0) < target) {
        if (performance.now() - started > 180_000) throw new Error(`${label}: check runs did not all arrive within 180 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const seconds = (performance.now() - started) / 1000;
      const requests = github.requests.slice(before);
      const token = requests.filter((r) => r.path.endsWith("/access_tokens")).length;
      results.push({
        events: INSTALLATIONS,
        seconds,
        reads: requests.filter((r) => r.method === "GET").length,
        writes: requests.filter((r) => r.method !== "GET").length - token,
        tokenWrites: token,
        slowestAnswerMs: Math.max(...answers),
      });
    }
  } finally {
    await app.stop();
    await github.close();
  }
  return results;
}

function row(label: string, round: number, r: RoundResult) {
  return [
    label.padEnd(14),
    String(round + 1).padStart(5),
    (r.events / r.seconds).toFixed(1).padStart(10),
    (r.reads / r.events).toFixed(2).padStart(11),
    (r.writes / r.events).toFixed(2).padStart(12),
    String(r.tokenWrites).padStart(7),
    r.slowestAnswerMs.toFixed(0).padStart(14),
    r.seconds.toFixed(2).padStart(9),
  ].join(" ");
}

const ours = await measure("release-gate", undefined);
const bare = await measure("bare probot", ["node", "node_modules/probot/bin/probot.js", "run", "./bench/bare-app.js"]);

console.log(`\nReadiness throughput: ${INSTALLATIONS} installations, one PR event each per round (round 2+ has tokens cached)\n`);
console.log("app            round  events/s  reads/event writes/event tokens slowest-ack-ms  total-s");
ours.forEach((r, i) => console.log(row("release-gate", i, r)));
bare.forEach((r, i) => console.log(row("bare probot", i, r)));
const last = (xs: RoundResult[]) => xs[xs.length - 1]!;
const speedup = last(ours).events / last(ours).seconds / (last(bare).events / last(bare).seconds);
console.log(`\nspeed-up over bare Probot (last round): ${speedup.toFixed(1)}x  (target >= 10x)`);
console.log(`release-gate per event once tokens are cached: ${(last(ours).writes / last(ours).events).toFixed(2)} writes (target 1), ${(last(ours).reads / last(ours).events).toFixed(2)} reads (target <= 5)`);
