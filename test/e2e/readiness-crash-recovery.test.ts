// A process killed mid-burst loses the verdicts it had not written (GitHub does not redeliver by
// itself); after a restart the reconciliation pass gives every open PR its verdict, exactly once.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { eventually, startApp } from "../support/start-app.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const PULLS = 8;
const BODY = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";

let github: FakeGitHub;
const repos = new FakeRepos();

beforeAll(async () => {
  repos.addInstallation(OWNER, 7);
  for (let n = 1; n <= PULLS; n++) {
    repos.addPull({ owner: OWNER, repo: REPO, number: n, title: "fix", body: BODY, headSha: n.toString(16).padStart(40, "a"), labels: [], files: ["a.ts"] });
  }
  github = await startFakeGitHub(repos.routes());
});

afterAll(async () => {
  await github?.close();
});

it("kill -9 mid-burst, restart: every open PR ends with one verdict", async () => {
  const first = await startApp({ githubPort: github.port });
  // One installation writes one check run per second, so most of the burst is still queued...
  const sends = Array.from({ length: PULLS }, (_, i) => {
    const payload = pullRequestEvent({ owner: OWNER, repo: REPO, number: i + 1, installation: 7 });
    return first.send("pull_request", payload).catch(() => 0);
  });
  await eventually("the first verdict", () => repos.checkRuns.length >= 1);
  // ...when the process dies.
  await first.kill9();
  await Promise.all(sends);
  const lost = PULLS - repos.checkRuns.length;
  expect(lost).toBeGreaterThan(0);

  const second = await startApp({ githubPort: github.port });
  try {
    await eventually("a verdict on every open PR", () => repos.checkRuns.length >= PULLS, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    for (let n = 1; n <= PULLS; n++) {
      const runs = repos.runsFor(OWNER, REPO, n.toString(16).padStart(40, "a"));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: "completed", conclusion: "success" });
    }
    expect(second.logs.some((l) => l.includes(`startup reconciliation: ${lost} missed PR(s) evaluated of ${PULLS} open`))).toBe(true);
  } finally {
    await second.stop();
  }
}, 90_000);
