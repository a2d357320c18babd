// GitHub lists an installation's repositories 100 a page. Start-up reconciliation must follow the
// `Link` pages: an installation with 105 repositories has a missed PR in the 105th, and only a pass
// that reads page 2 gives it a verdict.
import { FAKE_APP, startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { eventually, startApp } from "../support/start-app.js";
import { expectConformingRequests } from "../support/rest-conformance.js";

const OWNER = "acme";
const REPOSITORIES = 105;
const BODY = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";
const repoName = (n: number) => `svc-${String(n).padStart(3, "0")}`;
const headOf = (n: number) => n.toString(16).padStart(40, "c");

let github: FakeGitHub;
const repos = new FakeRepos();

beforeAll(async () => {
  repos.addInstallation(OWNER, 7);
  for (let n = 1; n <= REPOSITORIES; n++) {
    repos.addPull({ owner: OWNER, repo: repoName(n), number: 1, title: "fix", body: BODY, headSha: headOf(n), labels: [], files: ["a.ts"] });
    // Every PR but the last repository's already has its verdict: the pass must find that one.
    if (n < REPOSITORIES) {
      repos.checkRuns.push({
        id: 50_000 + n,
        owner: OWNER,
        repo: repoName(n),
        name: "Release readiness",
        head_sha: headOf(n),
        status: "completed",
        conclusion: "success",
        external_id: "release-gate:pr-1@2026-11-23T00:00:00Z",
        output: { title: "Ready to release", summary: "" },
        writes: 1,
        app: { ...FAKE_APP },
      });
    }
  }
  github = await startFakeGitHub(repos.routes());
});

afterAll(async () => {
  await github?.close();
});

it("reads every page of the installation's repositories: the missed PR in repository 105 gets its verdict", async () => {
  const app = await startApp({ githubPort: github.port });
  try {
    await eventually("the reconciliation report", () => app.logs.some((l) => l.includes("startup reconciliation:")), 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}; ${github.requests.length} requests, last: ${github.requests.slice(-3).map((r) => r.method + " " + r.path).join(", ")}\n${app.logs.slice(-10).join("")}`);
    });
    const report = app.logs.find((l) => l.includes("startup reconciliation:"))!;
    expect(report).toContain(`startup reconciliation: 1 missed PR(s) evaluated of ${REPOSITORIES} open`);
    const runs = repos.runsFor(OWNER, repoName(REPOSITORIES), headOf(REPOSITORIES));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "success", app: { id: FAKE_APP.id } });
    // The pass asked for page 2, as GitHub's Link header told it to.
    const listings = github.requests.filter((r) => r.path === "/installation/repositories");
    expect(listings.map((r) => r.query.get("page") ?? "1")).toEqual(["1", "2"]);
    expectConformingRequests(github.requests);
  } finally {
    await app.stop();
  }
}, 120_000);
