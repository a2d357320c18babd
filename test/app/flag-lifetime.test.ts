// Flag lifetime through the real Probot app (issue 15, item 4): the removal issue opened at 100% is
// labelled and typed; once past `flags.max-lifetime` it is escalated once (claim, comment, label) and
// named in every PR's readiness check. GitHub is the stateful fake behind nock; every request it
// served is checked against GitHub's REST description.
import type { Probot } from "probot";
import { APP_LOGIN, FakeRelease, type FakeIssue } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { nockFakeGitHub, type NockFake } from "../support/nock-fake-github.js";
import { deploymentStatusEvent, FAST_STAGES_CONFIG, GOOD_BODY, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { createTestProbot } from "../support/test-probot.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const DAY = 86_400_000;
const READY_BODY = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";

let probot: Probot;
let repos: FakeRepos;
let release: FakeRelease;
let github: NockFake;
let delivery = 0;

async function start(config = FAST_STAGES_CONFIG) {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = nockFakeGitHub([...release.routes(), ...repos.routes()]);
  repos.setFile(OWNER, REPO, ".github/release-gate.yml", config);
  probot = await createTestProbot();
}

afterEach(() => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })), { allowNone: true });
});

/** Runs the release of PR 7 through its three stages and tells the app the last one succeeded. */
async function releaseToFull(body: string) {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 7, seed: "a" });
  repos.pulls.get(`${OWNER}/${REPO}#7`)!.body = body;
  for (const login of ["alice", "alice", "mia"]) {
    const payload = postComment(release, { owner: OWNER, repo: REPO, pull: 7, body: "/release advance", login });
    await probot.receive({ id: `c-${++delivery}`, name: "issue_comment", payload } as any);
    release.addStatus(release.deploymentsOf(OWNER, REPO, 7).at(-1)!.id, "success");
  }
  const full = release.deploymentsOf(OWNER, REPO, 7).at(-1)!;
  await probot.receive({ id: `ds-${++delivery}`, name: "deployment_status", payload: deploymentStatusEvent(OWNER, REPO, full, "success") } as any);
}

/** A removal issue the app opened `daysAgo` days ago, as GitHub would list it. */
function removalIssue(flag: string, daysAgo: number, by = APP_LOGIN): FakeIssue {
  return release.seedIssue({
    owner: OWNER,
    repo: REPO,
    title: `Remove release flag ${flag} (released in #3)`,
    body: `…\n<!-- release-gate:flag-removal {"flag":"${flag}","type":"release","release":3} -->`,
    createdAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
    labels: ["flag-removal"],
    by,
  });
}

/** Opens PR `number` and lets the app evaluate it; returns its check run and the writes it cost. */
async function openPull(number: number) {
  const sha = String(number).padStart(2, "0").repeat(20).slice(0, 40);
  repos.addPull({ owner: OWNER, repo: REPO, number, title: "fix: carts", body: READY_BODY, headSha: sha, labels: [], files: ["src/cart.ts"] });
  const before = github.requests.length;
  await probot.receive({ id: `pr-${++delivery}`, name: "pull_request", payload: pullRequestEvent({ owner: OWNER, repo: REPO, number, headSha: sha, installation: 42 }) } as any);
  const since = github.requests.slice(before).filter((r) => !r.path.endsWith("/access_tokens"));
  return {
    run: repos.runsFor(OWNER, REPO, sha)[0]!,
    writes: since.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
    reads: since.filter((r) => r.method === "GET").map((r) => r.path),
  };
}

const commentsOn = (issue: FakeIssue) => release.comments.filter((c) => c.issueNumber === issue.number);

describe("the removal issue at 100%", () => {
  beforeEach(() => start());

  it("is labelled flag-removal, says the type, the due date (4 weeks) and carries the marker", async () => {
    await releaseToFull(GOOD_BODY);
    expect(release.issues).toHaveLength(1);
    const [issue] = release.issues;
    expect(issue).toMatchObject({ title: "Remove release flag saved-cards (released in #7)", labels: ["flag-removal"], user: { login: APP_LOGIN } });
    expect(issue!.body).toContain("It is a **release flag** (from config `flags.default-type`)");
    // Due 4 weeks after the app opened it (its own clock; on GitHub the issue's created_at agrees within the request).
    const stated = /remove it by \*\*(\d{4}-\d\d-\d\d \d\d:\d\d) UTC\*\*/.exec(issue!.body)?.[1];
    expect(Math.abs(Date.parse(`${stated!.replace(" ", "T")}:00Z`) - (Date.now() + 28 * DAY))).toBeLessThan(2 * 60_000);
    expect(issue!.body).toContain('<!-- release-gate:flag-removal {"flag":"saved-cards","type":"release","release":7} -->');
  });

  it("opens none for an ops flag the plan declares, and says why in the status comment", async () => {
    await releaseToFull(`${GOOD_BODY}\nType: ops\n`);
    expect(release.issues).toEqual([]);
    expect(release.refs.has(`${OWNER}/${REPO}:refs/release-gate/pr-7/flag-removal`)).toBe(false);
    expect(release.statusComments(OWNER, REPO, 7)[0]!.body).toContain("The flag `saved-cards` is kept: an ops flag is kept as a kill switch, so it gets no removal issue.");
  });
});

describe("config decides the type before the plan", () => {
  beforeEach(() => start(`${FAST_STAGES_CONFIG}flags:\n  types:\n    saved-*: permission\n`));

  it("a permission flag by config gets no removal issue although the plan says release", async () => {
    await releaseToFull(`${GOOD_BODY}\nType: release\n`);
    expect(release.issues).toEqual([]);
    expect(release.statusComments(OWNER, REPO, 7)[0]!.body).toContain("a permission flag is permanent");
  });
});

describe("an overdue flag", () => {
  beforeEach(() => start());

  it("is named in a new PR's check, and its issue gets one comment and the overdue label: 1 + 3 writes, one extra read", async () => {
    const old = removalIssue("new-checkout", 35);
    const fresh = removalIssue("dark-mode", 3);
    const first = await openPull(20);
    expect(first.run.conclusion).toBe("success");
    expect(first.run.output.title).toBe("Ready to release — 1 overdue flag: new-checkout");
    expect(first.run.output.summary).toMatch(/^> ⚠️ \*\*Flag debt:\*\* 1 flag is past `flags.max-lifetime` \(`4w` after 100%\)/);
    expect(first.run.output.summary).toContain("> - `new-checkout` (release): at 100% since");
    expect(first.run.output.summary).toContain("overdue by 1 week");
    expect(first.run.output.summary).not.toContain("dark-mode");
    expect(first.writes).toEqual([
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `POST /repos/${OWNER}/${REPO}/git/refs`,
      `POST /repos/${OWNER}/${REPO}/issues/${old.number}/comments`,
      `POST /repos/${OWNER}/${REPO}/issues/${old.number}/labels`,
    ]);
    expect(first.reads.filter((p) => p === `/repos/${OWNER}/${REPO}/issues`)).toHaveLength(1);
    expect(release.refs.has(`${OWNER}/${REPO}:refs/release-gate/issue-${old.number}/flag-overdue`)).toBe(true);
    expect(old.labels).toEqual(["flag-removal", "flag-overdue"]);
    expect(commentsOn(old)).toHaveLength(1);
    expect(commentsOn(old)[0]!.body).toContain("The release flag `new-checkout` is overdue");
    expect(fresh.labels).toEqual(["flag-removal"]);
    expect(commentsOn(fresh)).toEqual([]);

    // The next PR still names it, and costs only its verdict.
    const second = await openPull(21);
    expect(second.run.output.title).toBe("Ready to release — 1 overdue flag: new-checkout");
    expect(second.writes).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(commentsOn(old)).toHaveLength(1);
  });

  it("is commented on once when two PRs are evaluated at the same moment", async () => {
    const old = removalIssue("new-checkout", 40);
    const sha = (n: number) => String(n).repeat(40).slice(0, 40);
    for (const n of [3, 4]) repos.addPull({ owner: OWNER, repo: REPO, number: n, title: "fix", body: READY_BODY, headSha: sha(n), labels: [], files: ["a.ts"] });
    await Promise.all(
      [3, 4].map((n) => probot.receive({ id: `pr-${++delivery}`, name: "pull_request", payload: pullRequestEvent({ owner: OWNER, repo: REPO, number: n, headSha: sha(n), installation: 42 }) } as any)),
    );
    expect(commentsOn(old)).toHaveLength(1);
    expect(old.labels).toEqual(["flag-removal", "flag-overdue"]);
    for (const n of [3, 4]) expect(repos.runsFor(OWNER, REPO, sha(n))[0]!.output.title).toBe("Ready to release — 1 overdue flag: new-checkout");
  });

  it("whose label someone removed gets the label back but no second comment", async () => {
    const old = removalIssue("new-checkout", 40);
    await openPull(30);
    old.labels = ["flag-removal"];
    const again = await openPull(31);
    expect(again.writes).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`, `POST /repos/${OWNER}/${REPO}/git/refs`, `POST /repos/${OWNER}/${REPO}/issues/${old.number}/labels`]);
    expect(old.labels).toEqual(["flag-removal", "flag-overdue"]);
    expect(commentsOn(old)).toHaveLength(1);
  });
});

describe("trust", () => {
  beforeEach(() => start());

  it("an issue a writer opened with the label, however old, is neither named nor touched", async () => {
    const forged = removalIssue("rival-flag", 90, "mallory");
    const other = removalIssue("other-app-flag", 90, "other-app[bot]");
    const pr = await openPull(40);
    expect(pr.run.output.title).toBe("Ready to release");
    expect(pr.run.output.summary).not.toContain("Flag debt");
    expect(pr.writes).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(commentsOn(forged)).toEqual([]);
    expect(commentsOn(other)).toEqual([]);
    expect(forged.labels).toEqual(["flag-removal"]);
  });

  it("a closed removal issue is done: nothing named", async () => {
    const old = removalIssue("gone", 60);
    old.state = "closed";
    const pr = await openPull(41);
    expect(pr.run.output.title).toBe("Ready to release");
  });
});

describe("config", () => {
  beforeEach(() => start(`${FAST_STAGES_CONFIG}flags:\n  max-lifetime: 6w\n  overdue-label: debt\n`));

  it("a longer max-lifetime leaves a 5-week-old flag alone; past it, the configured label is used", async () => {
    const five = removalIssue("five-weeks", 35);
    const seven = removalIssue("seven-weeks", 49);
    const pr = await openPull(50);
    expect(pr.run.output.title).toBe("Ready to release — 1 overdue flag: seven-weeks");
    expect(five.labels).toEqual(["flag-removal"]);
    expect(seven.labels).toEqual(["flag-removal", "debt"]);
  });
});
