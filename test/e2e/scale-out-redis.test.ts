// Scale-out: two replicas of the real `npm start` process behind a round-robin "load balancer" (this
// test), sharing one real Redis through REDIS_URL. GitHub's budget is per installation: the combined
// writes of both replicas for one installation stay about one per second (Probot's throttling plugin
// clusters its Bottleneck limiters on Redis, keyed by installation), while installations proceed in
// parallel. Skips, saying why, when redis-server is not installed.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { redisAvailable, startRedis, type RunningRedis } from "../support/redis-server.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const REPO = "shop";
const INSTALLATIONS = [
  { owner: "alpha", id: 501 },
  { owner: "beta", id: 502 },
];
const PULLS = 6;
const BODY = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";
/** Network and event-loop jitter between Bottleneck releasing a write and the write reaching GitHub. */
const JITTER_MS = 200;

const redis = redisAvailable();
const test = redis.ok ? it : it.skip;
const title = "two replicas on one Redis: ~1 write/s per installation combined, installations in parallel";

let github: FakeGitHub;
let server: RunningRedis;
let replicas: RunningApp[] = [];
const repos = new FakeRepos();

beforeAll(async () => {
  if (!redis.ok) {
    console.warn(`skipped: ${redis.reason}`);
    return;
  }
  server = await startRedis();
  github = await startFakeGitHub(repos.routes());
  const env = { REDIS_URL: server.url, RECONCILE_ON_START: "false" };
  replicas = await Promise.all([startApp({ githubPort: github.port, env }), startApp({ githubPort: github.port, env })]);
}, 90_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await github?.close();
  await server?.stop();
});

test(redis.ok ? title : `${title} (skipped: ${redis.ok ? "" : redis.reason})`, async () => {
  const deliveries: Promise<number>[] = [];
  for (let n = 1; n <= PULLS; n++) {
    for (const [i, { owner, id }] of INSTALLATIONS.entries()) {
      repos.addInstallation(owner, id);
      repos.addPull({ owner, repo: REPO, number: n, title: "fix", body: BODY, headSha: `${id}`.padEnd(39, "0") + n, labels: [], files: ["a.ts"] });
      const payload = pullRequestEvent({ owner, repo: REPO, number: n, installation: id });
      // Round robin, as a load balancer would spread deliveries: each installation's alternate replicas.
      const replica = (n + i) % replicas.length;
      deliveries.push(replicas[replica]!.send("pull_request", payload));
    }
  }
  await eventually("a verdict on every PR", () => repos.checkRuns.length >= PULLS * INSTALLATIONS.length, 90_000);
  expect(await Promise.all(deliveries)).toEqual(deliveries.map(() => 200));

  const writes = github.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
  expect(writes).toHaveLength(PULLS * INSTALLATIONS.length);
  const installationOf = (auth: unknown) => Number(/ghs_fake_installation_token_(\d+)/.exec(String(auth))?.[1]);
  const report: string[] = [];
  for (const { id } of INSTALLATIONS) {
    const times = writes.filter((w) => installationOf(w.headers.authorization) === id).map((w) => w.at);
    expect(times).toHaveLength(PULLS);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    report.push(`installation ${id}: write gaps ${gaps.join(", ")} ms`);
    // Both replicas wrote for this installation, yet never faster than one write per second.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000 - JITTER_MS);
  }
  // Both replicas wrote for every installation.
  for (const replica of replicas) {
    const handled = replica.logs.filter((l) => l.includes('"msg":"Release readiness: Ready to release"'));
    // Head SHAs start with the installation id.
    for (const { id } of INSTALLATIONS) expect(handled.filter((l) => l.includes(`"sha":"${id}`)).length).toBeGreaterThan(0);
  }
  // Installations in parallel: a single shared one-per-second queue would need at least
  // (writes - 1) s for all of them; per-installation queues finish well inside that.
  const span = writes.at(-1)!.at - writes[0]!.at;
  report.push(`all ${writes.length} writes within ${span} ms (one shared queue would need >= ${(writes.length - 1) * 1000} ms)`);
  console.log(report.join("\n"));
  expect(span).toBeLessThan((writes.length - 1) * 1000);
  // The limiters live in Redis, one per installation (Bottleneck's keys for Probot's write group).
  const keys = await server.keys("b_octokit-write-*");
  for (const { id } of INSTALLATIONS) expect(keys.some((k) => k.startsWith(`b_octokit-write-${id}_`))).toBe(true);
}, 120_000);
