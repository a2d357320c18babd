// End to end: reasons a writer types into `/release rollback` and `/release override` reach the
// status comment, the readiness check and the post-mortem issue through the real `npm start` process.
// What GitHub receives is judged by a real CommonMark + GFM renderer (markdown-it) plus GitHub's own
// linking of mentions and bare URLs: nothing may be live, and the reason must show in full.
import type { FakeGitHub } from "../support/fake-github.js";
import type { FakeRelease } from "../support/fake-release-routes.js";
import type { FakeRepos } from "../support/fake-readiness-routes.js";
import { liveMarkdown, normalise, STATUS_COMMENT_HTML, visibleText } from "../support/markdown-oracle.js";
import { FAST_STAGES_CONFIG, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, type RunningApp } from "../support/start-app.js";
import { startAppInWorld, stopAppInWorld } from "../support/fake-world.js";

const OWNER = "acme";
const REPO = "shop";
/** The two known bypasses (an unpaired fence, a backslash before escaped brackets) and friends. */
const HOSTILE = "``` \\[x\\](//evil.example) \\`[y](//evil.example)` @acme/admins <img src=x> www.evil.example";
/** Code spans may be live (the app's own: SHAs, commands); nothing else. */
const NOTHING_LIVE_EXCEPT_CODE = { links: [], images: [], html: [], blocks: [], autolinks: [] };

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let app: RunningApp;

beforeAll(async () => {
  ({ repos, release, github, app } = await startAppInWorld({ config: { owner: OWNER, repo: REPO, text: FAST_STAGES_CONFIG } }));
}, 120_000);

afterAll(() => stopAppInWorld({ app, github }));

function statusBody(pull: number): string {
  const comments = release.statusComments(OWNER, REPO, pull);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

/** Posts a comment as `login` and waits until the status comment changed. */
async function command(pull: number, body: string, login: string) {
  const before = release.statusComments(OWNER, REPO, pull)[0]?.body;
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => {
    const now = release.statusComments(OWNER, REPO, pull)[0]?.body;
    return now !== undefined && now !== before;
  }, 60_000);
}

it("a rollback reason with an unpaired fence and escaped brackets lands in the status comment inert", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 61, seed: "a" });
  await command(61, "/release advance", "alice");
  const canary = release.deploymentsOf(OWNER, REPO, 61)[0]!;
  release.addStatus(canary.id, "in_progress");
  await command(61, `/release rollback ${HOSTILE}`, "bob");
  expect(release.deploymentsOf(OWNER, REPO, 61)[1]!.payload).toMatchObject({ rollback: { reason: HOSTILE } });
  const body = statusBody(61);
  expect(body).toMatch(/Rolling back to/);
  expect(liveMarkdown(body, STATUS_COMMENT_HTML)).toMatchObject(NOTHING_LIVE_EXCEPT_CODE);
  // The reason shows in full in the rollback line (the answer quotes it in an app message, where
  // paired backticks are code spans).
  expect(normalise(visibleText(body))).toContain(normalise(`(pending): ${HOSTILE}`));
}, 120_000);

it("an override reason lands in the status comment, the check and the post-mortem issue inert", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 62, seed: "b", merged: false, readiness: "failure" });
  await command(62, `/release override ${HOSTILE}`, "alice");
  const requested = statusBody(62);
  expect(liveMarkdown(requested, STATUS_COMMENT_HTML)).toMatchObject(NOTHING_LIVE_EXCEPT_CODE);
  expect(normalise(visibleText(requested))).toContain(normalise(`: ${HOSTILE}. A second person`));

  await command(62, "/release approve-override", "bob");
  const issue = await eventually("the post-mortem issue", () => release.issues.find((i) => i.title.includes("#62")));
  // The app's own reference to the PR is the one thing GitHub links.
  expect(liveMarkdown(issue.body)).toMatchObject({ ...NOTHING_LIVE_EXCEPT_CODE, autolinks: ["The readiness check of #62 was overridden for "] });
  expect(normalise(visibleText(issue.body))).toContain(normalise(`Reason: ${HOSTILE}`));
  const run = repos.checkRuns.find((r) => r.owner === OWNER && r.head_sha === "b".repeat(40) && r.conclusion === "success")!;
  expect(run).toBeDefined();
  expect(liveMarkdown(run.output.summary ?? "", ["<sub>", "</sub>"])).toMatchObject(NOTHING_LIVE_EXCEPT_CODE);
  expect(normalise(visibleText(run.output.summary ?? ""))).toContain(normalise(`Reason: ${HOSTILE}`));
}, 120_000);

it("sends GitHub only requests that exist in its REST API, with valid fields", () => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
