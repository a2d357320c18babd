// End to end (issue 15, item 4): the real `npm start` process against the fake world. A release
// reaches 100% and the app opens its flag-removal issue; GitHub's clock says that was five weeks ago,
// so with the default `flags.max-lifetime` (4w) the flag is overdue: the next PR's readiness check
// names it, and its issue is labelled and commented once, however many PRs follow. A writer's
// look-alike issue is ignored.
import { actAs, type FakeGitHub } from "../support/fake-github.js";
import { APP_LOGIN, type FakeRelease } from "../support/fake-release-routes.js";
import type { FakeRepos } from "../support/fake-readiness-routes.js";
import { deploymentStatusEvent, FAST_STAGES_CONFIG, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, type RunningApp } from "../support/start-app.js";
import { startAppInWorld, stopAppInWorld } from "../support/fake-world.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const DAY = 86_400_000;
const READY_BODY = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let app: RunningApp;

beforeAll(async () => {
  ({ repos, release, github, app } = await startAppInWorld({ config: { owner: OWNER, repo: REPO, text: FAST_STAGES_CONFIG } }));
}, 90_000);

afterAll(() => stopAppInWorld({ app, github }));

async function command(pull: number, body: string, login: string) {
  const answered = release.statusComments(OWNER, REPO, pull)[0]?.edits ?? -1;
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => (release.statusComments(OWNER, REPO, pull)[0]?.edits ?? -1) > answered, 60_000);
}

async function openPull(number: number) {
  const sha = String(number).repeat(20).slice(0, 40);
  repos.addPull({ owner: OWNER, repo: REPO, number, title: "fix: carts", body: READY_BODY, headSha: sha, labels: [], files: ["src/cart.ts"] });
  expect(await app.send("pull_request", pullRequestEvent({ owner: OWNER, repo: REPO, number, headSha: sha, installation: 42 }))).toBe(200);
  return eventually(`the verdict on PR ${number}`, () => repos.runsFor(OWNER, REPO, sha)[0], 30_000);
}

it("an overdue flag is labelled and commented once, and named in every new PR's check", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 11, seed: "b" });
  for (const login of ["alice", "bob", "mia"]) {
    await command(11, "/release advance", login);
    const current = release.deploymentsOf(OWNER, REPO, 11).at(-1)!;
    release.addStatus(current.id, "in_progress");
    release.addStatus(current.id, "success");
  }
  // The last stage's success reaches the app five weeks ago by GitHub's clock.
  release.setClock(Date.now() - 35 * DAY);
  const full = release.deploymentsOf(OWNER, REPO, 11).at(-1)!;
  expect(await app.send("deployment_status", deploymentStatusEvent(OWNER, REPO, full, "success"))).toBe(200);
  const removal = await eventually("the flag-removal issue", () => release.issues.find((i) => i.title.includes("saved-cards")));
  expect(removal).toMatchObject({ title: "Remove release flag saved-cards (released in #11)", labels: ["flag-removal"], user: { login: APP_LOGIN } });
  expect(Date.now() - Date.parse(removal.createdAt)).toBeGreaterThan(34 * DAY);

  // A writer opens a look-alike with the label, as old (GitHub's clock is still five weeks back).
  const mallory = actAs(github, "ghp_mallory");
  const forged = await mallory("POST", `/repos/${OWNER}/${REPO}/issues`, {
    title: "Remove release flag rival-flag (released in #3)",
    body: '<!-- release-gate:flag-removal {"flag":"rival-flag","type":"release","release":3} -->',
    labels: ["flag-removal"],
  });
  expect(forged.status).toBe(201);

  const first = await openPull(40);
  expect(first.conclusion).toBe("success");
  expect(first.output.title).toBe("Ready to release — 1 overdue flag: saved-cards");
  expect(first.output.summary).toMatch(/^> ⚠️ \*\*Flag debt:\*\* 1 flag is past `flags.max-lifetime` \(`4w` after 100%\)/);
  expect(first.output.summary).toContain("> - `saved-cards` (release): at 100% since");
  expect(first.output.summary).not.toContain("rival-flag");
  // The escalation follows the verdict.
  await eventually("the overdue label", () => removal.labels.includes("flag-overdue"));
  const onRemoval = () => release.comments.filter((c) => c.issueNumber === removal.number);
  await eventually("the overdue comment", () => onRemoval().length === 1);
  expect(onRemoval()[0]!.user.login).toBe(APP_LOGIN);
  expect(onRemoval()[0]!.body).toContain("The release flag `saved-cards` is overdue");
  expect(release.refs.has(`${OWNER}/${REPO}:refs/release-gate/issue-${removal.number}/flag-overdue`)).toBe(true);

  // A second and a third PR (the third delivered twice): still named, never commented again.
  const second = await openPull(41);
  expect(second.output.title).toBe("Ready to release — 1 overdue flag: saved-cards");
  const third = await openPull(42);
  expect(third.output.title).toBe("Ready to release — 1 overdue flag: saved-cards");
  await app.send("pull_request", pullRequestEvent({ owner: OWNER, repo: REPO, number: 42, headSha: String(42).repeat(20), installation: 42, action: "synchronize" }));
  await eventually("the re-evaluation of PR 42", () => repos.runsFor(OWNER, REPO, String(42).repeat(20))[0]!.writes > 1);
  await new Promise((r) => setTimeout(r, 500));
  expect(onRemoval()).toHaveLength(1);
  expect(removal.labels).toEqual(["flag-removal", "flag-overdue"]);

  const forgedIssue = release.issues.find((i) => i.number === forged.data.number)!;
  expect(forgedIssue.labels).toEqual(["flag-removal"]);
  expect(release.comments.filter((c) => c.issueNumber === forgedIssue.number)).toEqual([]);
  expectConformingRequests(github.requests);
}, 240_000);
