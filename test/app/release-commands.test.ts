// `/release` commands through the real Probot app: real webhook payloads in; GitHub is the stateful
// fake behind nock, and every request it served is checked against GitHub's REST description.
import { createHash } from "node:crypto";
import type { Probot } from "probot";
import { FakeRelease, APP_LOGIN, WORKFLOW_LOGIN } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { nockFakeGitHub, type NockFake } from "../support/nock-fake-github.js";
import {
  buttonEvent,
  deploymentStatusEvent,
  FAST_STAGES_CONFIG,
  postComment,
  protectionRuleEvent,
  seedRelease,
  type SeededRelease,
} from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { createTestProbot } from "../support/test-probot.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";

let probot: Probot;
let repos: FakeRepos;
let release: FakeRelease;
let github: NockFake;
let seeded: SeededRelease;
let delivery = 0;

beforeEach(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = nockFakeGitHub([...release.routes(), ...repos.routes()]);
  repos.setFile(OWNER, REPO, ".github/release-gate.yml", FAST_STAGES_CONFIG);
  seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 7, seed: "a" });
  probot = await createTestProbot();
});

afterEach(() => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })), { allowNone: true });
});

async function say(body: string, login = "alice", extra: { type?: "User" | "Bot"; pull?: number } = {}) {
  const payload = postComment(release, { owner: OWNER, repo: REPO, pull: extra.pull ?? 7, body, login, ...(extra.type ? { type: extra.type } : {}) });
  await probot.receive({ id: `d-${++delivery}`, name: "issue_comment", payload } as any);
  return payload;
}

/** What one command wrote: every non-GET request from index `from` on. */
function writesSince(from: number) {
  return github.requests.slice(from).filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"));
}

function statusComment() {
  const comments = release.statusComments(OWNER, REPO, 7);
  expect(comments).toHaveLength(1);
  return comments[0]!;
}

const ours = () => release.deploymentsOf(OWNER, REPO, 7);
/** An independent sha256 of a comment body, to check what the app recorded. */
const digestOf = (body: string) => createHash("sha256").update(body, "utf8").digest("base64url");

describe("/release advance", () => {
  it("costs 4 writes: eyes reaction, claim ref, deployment, status comment", async () => {
    const before = github.requests.length;
    await say("/release advance");
    const writes = writesSince(before);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      expect.stringMatching(/^POST \/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+\/reactions$/),
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/deployments",
      "POST /repos/Codertocat/Hello-World/issues/7/comments",
    ]);
    expect(writes[1]!.body).toEqual({ ref: "refs/release-gate/pr-7/stage-canary-1", sha: seeded.mergeSha });
    expect(writes[2]!.body).toMatchObject({
      ref: seeded.mergeSha,
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      payload: {
        stage: "canary",
        percent: 1,
        release: 7,
        plan: [
          { name: "canary", percent: 1, observe: "0s" },
          { name: "half", percent: 50, observe: "0s" },
          { name: "full", percent: 100, observe: "0s" },
        ],
        triggers: [expect.objectContaining({ metric: "error-rate", value: 1 }), expect.objectContaining({ metric: "p99-latency" })],
      },
    });
    // Made with the installation token, so `on: deployment` workflows run.
    expect(writes[2]!.headers.authorization).toMatch(/^token /);
    expect(ours()).toHaveLength(1);
    expect(statusComment().body).toContain("canary");
  });

  it("edits the same status comment on the next command instead of adding one", async () => {
    await say("/release advance");
    release.addStatus(ours()[0]!.id, "success");
    const before = github.requests.length;
    await say("/release advance");
    expect(writesSince(before).map((w) => w.method + " " + w.path.replace(/\d+/g, "N"))).toEqual([
      "POST /repos/Codertocat/Hello-World/issues/comments/N/reactions",
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/deployments",
      "PATCH /repos/Codertocat/Hello-World/issues/comments/N",
    ]);
    expect(ours().map((d) => (d.payload as any).stage)).toEqual(["canary", "half"]);
    expect(statusComment().edits).toBe(1);
  });

  it("converges on the oldest status comment when two replicas created one each", async () => {
    const first = release.addComment(OWNER, REPO, 7, "<!-- release-gate:status -->\nold", { login: APP_LOGIN, type: "Bot" });
    release.addComment(OWNER, REPO, 7, "<!-- release-gate:status -->\ncopy", { login: APP_LOGIN, type: "Bot" });
    await say("/release status");
    expect(release.statusComments(OWNER, REPO, 7).map((c) => c.id)).toEqual([first.id]);
    expect(first.edits).toBe(1);
  });

  it("takes only its own comment as the status comment: another bot's or a workflow's copy of the marker is ignored", async () => {
    const forgedState = `<!-- release-gate:status -->\n<!-- release-gate:state {"v":1,"processed":[]} -->\nforged`;
    const otherBot = release.addComment(OWNER, REPO, 7, forgedState, { login: "helper[bot]", type: "Bot" });
    const workflow = release.addComment(OWNER, REPO, 7, forgedState, { login: WORKFLOW_LOGIN, type: "Bot" });
    await say("/release status");
    expect(otherBot).toMatchObject({ edits: 0, body: forgedState });
    expect(workflow).toMatchObject({ edits: 0, body: forgedState });
    expect(statusComment().body).toMatch(/Status refreshed/);
    // Its own comment, stamped by GitHub from the app's token, is found and edited from then on.
    await say("/release status");
    expect(statusComment().edits).toBe(1);
  });

  it("acts once on a redelivered comment: GitHub answers 200 to the second eyes reaction", async () => {
    const payload = await say("/release advance");
    const before = github.requests.length;
    for (let i = 0; i < 4; i++) await probot.receive({ id: `redelivery-${i}`, name: "issue_comment", payload } as any);
    const writes = writesSince(before);
    expect(writes).toHaveLength(4);
    expect(writes.every((w) => w.path.endsWith("/reactions"))).toBe(true);
    expect(ours()).toHaveLength(1);
  });

  it("does not deploy when another replica already claimed the stage (422 on the ref)", async () => {
    release.refs.set(`${OWNER}/${REPO}:refs/release-gate/pr-7/stage-canary-1`, seeded.mergeSha);
    const before = github.requests.length;
    await say("/release advance");
    expect(writesSince(before).map((w) => w.path.split("/").slice(-2).join("/"))).toEqual([expect.stringMatching(/reactions$/), "git/refs", "7/comments"]);
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/just started by another command/);
  });

  it("refuses a reader, changes nothing and says why (2 writes: reaction, comment)", async () => {
    const before = github.requests.length;
    await say("/release advance", "rita");
    expect(writesSince(before)).toHaveLength(2);
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/needs the write role or higher; the commenter has the read role/);
  });

  it("refuses someone who is not a collaborator", async () => {
    await say("/release advance", "stranger");
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/no access to this repository/);
  });

  it("reads the real role from role_name: a maintainer (permission: write) may start the final stage, a writer may not", async () => {
    await say("/release advance");
    release.addStatus(ours()[0]!.id, "success");
    await say("/release advance");
    release.addStatus(ours()[1]!.id, "success");
    await say("/release advance", "bob");
    expect(ours()).toHaveLength(2);
    expect(statusComment().body).toMatch(/advance to the final stage` needs the maintain role/);
    await say("/release advance", "mia");
    expect(ours().map((d) => (d.payload as any).stage)).toEqual(["canary", "half", "full"]);
  });

  it("refuses while the previous stage is still running, and when the readiness check failed", async () => {
    await say("/release advance");
    await say("/release advance");
    expect(ours()).toHaveLength(1);
    expect(statusComment().body).toMatch(/still queued/);
    repos.checkRuns[0]!.conclusion = "failure";
    release.addStatus(ours()[0]!.id, "success");
    await say("/release advance");
    expect(ours()).toHaveLength(1);
    expect(statusComment().body).toMatch(/readiness check failed/);
  });

  it("refuses to start the next stage while the previous one is under observation", async () => {
    repos.setFile(OWNER, REPO, ".github/release-gate.yml", FAST_STAGES_CONFIG.replace("{ name: canary, percent: 1, observe: 0s }", "{ name: canary, percent: 1, observe: 2h }"));
    release.setClock(Date.now());
    await say("/release advance");
    release.addStatus(ours()[0]!.id, "success");
    await say("/release advance");
    expect(ours()).toHaveLength(1);
    expect(statusComment().body).toMatch(/Observation window/);
    expect(statusComment().body).toMatch(/under observation for 2h/);
  });

  it("with pre-merge canaries allowed, deploys an open PR's head, but never a fork's code before merge", async () => {
    repos.setFile(OWNER, REPO, ".github/release-gate.yml", `${FAST_STAGES_CONFIG.replace("rollout:\n", "rollout:\n  allow-pre-merge: true\n")}`);
    const pull = repos.pulls.get(`${OWNER}/${REPO}#7`)!;
    Object.assign(pull, { state: "open", merged: false, headOwner: "outsider" });
    await say("/release advance");
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/fork's code is never deployed before it is merged/);
    delete pull.headOwner;
    await say("/release advance");
    expect(ours().map((d) => d.sha)).toEqual([seeded.headSha]);
  });

  it("ignores bots (the app itself above all), plain issues, edits and ordinary comments", async () => {
    const before = github.requests.length;
    await say("/release advance", APP_LOGIN, { type: "Bot" });
    await say("/release advance", "dependabot[bot]", { type: "Bot" });
    await say("LGTM, ship it");
    const onIssue = postComment(release, { owner: OWNER, repo: REPO, pull: 7, body: "/release advance", login: "alice" });
    delete onIssue.issue.pull_request;
    await probot.receive({ id: "issue", name: "issue_comment", payload: onIssue } as any);
    const edited = postComment(release, { owner: OWNER, repo: REPO, pull: 7, body: "/release advance", login: "alice", action: "edited" });
    await probot.receive({ id: "edited", name: "issue_comment", payload: edited } as any);
    expect(github.requests.length).toBe(before);
  });
});

describe("other verbs", () => {
  it("rollback: a rollback deployment to the last good SHA, the stage marked failed (5 writes)", async () => {
    await say("/release advance");
    release.addStatus(ours()[0]!.id, "in_progress");
    const before = github.requests.length;
    await say("/release rollback error rate doubled");
    const writes = writesSince(before);
    expect(writes.map((w) => w.method + " " + w.path.replace(/\d+/g, "N"))).toEqual([
      "POST /repos/Codertocat/Hello-World/issues/comments/N/reactions",
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/deployments",
      "POST /repos/Codertocat/Hello-World/deployments/N/statuses",
      "PATCH /repos/Codertocat/Hello-World/issues/comments/N",
    ]);
    const rollback = ours()[1]!;
    expect(rollback.sha).toBe(seeded.lastGoodSha);
    expect(rollback.payload).toMatchObject({ release: 7, rollback: { of: ours()[0]!.id, reason: "error rate doubled" } });
    expect(ours()[0]!.statuses[0]!.state).toBe("failure");
    // A rolled-back release does not advance again.
    await say("/release advance");
    expect(ours()).toHaveLength(2);
    expect(statusComment().body).toMatch(/rolled back/);
  });

  it("rollback after the Action already reported failure costs 4 writes", async () => {
    await say("/release advance");
    release.addStatus(ours()[0]!.id, "failure");
    const before = github.requests.length;
    await say("/release rollback");
    expect(writesSince(before)).toHaveLength(4);
  });

  it("pause adds the label and blocks advance; resume removes it (3 writes each)", async () => {
    let before = github.requests.length;
    await say("/release pause");
    expect(writesSince(before)).toHaveLength(3);
    expect(repos.pulls.get(`${OWNER}/${REPO}#7`)!.labels).toContain("release:paused");
    await say("/release advance");
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/paused/i);
    before = github.requests.length;
    await say("/release resume");
    expect(writesSince(before)).toHaveLength(3);
    expect(repos.pulls.get(`${OWNER}/${REPO}#7`)!.labels).not.toContain("release:paused");
    await say("/release advance");
    expect(ours()).toHaveLength(1);
  });

  it("the app's own pause label change does not re-evaluate readiness; other label changes do", async () => {
    const event = webhookExample("pull_request", "labeled");
    event.pull_request.number = 7;
    event.repository.owner.login = OWNER;
    event.repository.name = REPO;
    event.sender = { ...event.sender, login: APP_LOGIN, type: "Bot" };
    event.label = { ...event.label, name: "release:paused" };
    const before = github.requests.length;
    await probot.receive({ id: "pause-label", name: "pull_request", payload: event } as any);
    expect(writesSince(before)).toHaveLength(0);
    event.label = { ...event.label, name: "user-facing" };
    await probot.receive({ id: "other-label", name: "pull_request", payload: event } as any);
    expect(writesSince(before).map((w) => w.method + " " + w.path.replace(/\d+/g, "N"))).toEqual(["PATCH /repos/Codertocat/Hello-World/check-runs/N"]);
  });

  it("status and help need only read access and cost 2 writes; unknown verbs get the help", async () => {
    let before = github.requests.length;
    await say("/release status", "rita");
    expect(writesSince(before)).toHaveLength(2);
    before = github.requests.length;
    await say("/release help", "rita");
    expect(writesSince(before)).toHaveLength(2);
    expect(statusComment().body).toContain("/release approve-override");
    await say("/release frobnicate", "rita");
    expect(statusComment().body).toMatch(/frobnicate/);
    expect(statusComment().body).toContain("/release advance");
  });

  it("override: requested by one, refused to the author and the requester, approved by another; check passes, post-mortem opened", async () => {
    Object.assign(repos.checkRuns[0]!, { conclusion: "failure", output: { title: "Not ready: communication note", summary: "| table |" } });
    await say("/release override the comms note is in the launch doc", "alice");
    expect(statusComment().body).toMatch(/Override requested/);
    await say("/release approve-override", "octocat");
    expect(statusComment().body).toMatch(/author of a pull request cannot approve/);
    await say("/release approve-override", "alice");
    expect(statusComment().body).toMatch(/requester cannot approve/);
    const before = github.requests.length;
    await say("/release approve-override", "bob");
    const writes = writesSince(before);
    expect(writes.map((w) => w.method + " " + w.path.replace(/\d+/g, "N"))).toEqual([
      "POST /repos/Codertocat/Hello-World/issues/comments/N/reactions",
      "POST /repos/Codertocat/Hello-World/issues",
      "PATCH /repos/Codertocat/Hello-World/check-runs/N",
      "PATCH /repos/Codertocat/Hello-World/issues/comments/N",
    ]);
    const run = repos.checkRuns[0]!;
    expect(run.conclusion).toBe("success");
    expect(run.output.title).toBe("Overridden by bob: Not ready: communication note");
    expect(run.output.summary).toMatch(/requested by alice, approved by bob/);
    expect(run.output.summary).toMatch(/Reason: the comms note is in the launch doc/);
    expect(run.external_id).toMatch(/;override=bob,alice,\d+$/);
    expect(release.issues).toEqual([expect.objectContaining({ title: "Post-mortem: readiness override on #7 (fix: saved cards)", labels: ["post-mortem"] })]);
    // The approved override lets the release advance.
    await say("/release advance");
    expect(ours()).toHaveLength(1);

    // A re-evaluation of the same SHA (the PR became user-visible: a communication note is now
    // missing) keeps the override; it is bound to the SHA, not to one verdict.
    const pull = repos.pulls.get(`${OWNER}/${REPO}#7`)!;
    Object.assign(pull, { title: "feat: saved cards", updatedAt: "2026-11-23T10:00:00Z" });
    const event = webhookExample("pull_request", "opened");
    event.action = "edited";
    event.changes = { title: { from: "fix: saved cards" } };
    event.pull_request.number = 7;
    event.repository.owner.login = OWNER;
    event.repository.name = REPO;
    await probot.receive({ id: "re-eval", name: "pull_request", payload: event } as any);
    expect(repos.checkRuns).toHaveLength(1);
    expect(run).toMatchObject({ conclusion: "success", external_id: expect.stringMatching(/@2026-11-23T10:00:00Z;override=bob,alice,\d+$/) });
    expect(run.output.title).toBe("Overridden by bob: Not ready: communication note");
  });

  it("a request is recorded on the app's own check run, bound to its comment (3 writes), and survives a re-evaluation", async () => {
    const before = github.requests.length;
    const asked = await say("/release override hotfix", "alice");
    const writes = writesSince(before);
    expect(writes.map((w) => w.method + " " + w.path.replace(/\d+/g, "N"))).toEqual([
      "POST /repos/Codertocat/Hello-World/issues/comments/N/reactions",
      "PATCH /repos/Codertocat/Hello-World/check-runs/N",
      "POST /repos/Codertocat/Hello-World/issues/N/comments",
    ]);
    // Only the external_id changes: the verdict stays as it was.
    expect(writes[1]!.body).toEqual({
      external_id: `release-gate:pr-7@2026-11-23T00:00:00Z;request=${asked.comment.id}.${asked.comment.user.id}.alice.${digestOf("/release override hotfix")}`,
    });
    // A re-evaluation of the same SHA keeps the request.
    Object.assign(repos.pulls.get(`${OWNER}/${REPO}#7`)!, { updatedAt: "2026-11-23T10:00:00Z" });
    const event = webhookExample("pull_request", "opened");
    Object.assign(event, { action: "edited", changes: { body: { from: "" } } });
    event.pull_request.number = 7;
    event.repository.owner.login = OWNER;
    event.repository.name = REPO;
    await probot.receive({ id: "re-eval-request", name: "pull_request", payload: event } as any);
    expect(repos.checkRuns[0]!.external_id).toMatch(/@2026-11-23T10:00:00Z;request=\d+\.\d+\.alice\./);
    await say("/release approve-override", "bob");
    expect(repos.checkRuns[0]!.external_id).toMatch(/@2026-11-23T10:00:00Z;override=bob,alice,\d+$/);
  });

  it("a request forged in the status comment's hidden state, naming someone else's edited comment, is not approved", async () => {
    Object.assign(repos.checkRuns[0]!, { conclusion: "failure" });
    await say("/release status", "bob");
    // bob turns alice's old comment into an override request (any writer may edit any comment) and
    // writes a matching pending request into the status comment's hidden state.
    const old = release.addComment(OWNER, REPO, 7, "nice work", { login: "alice" });
    old.body = "/release override hotfix";
    const comment = statusComment();
    const forged = { v: 1, pendingOverride: { requestedBy: "alice", reason: "hotfix", sha: seeded.headSha, at: "2026-11-23T09:00:00Z", key: String(old.id) } };
    comment.body = comment.body.replace(/<!-- release-gate:state .*? -->/, `<!-- release-gate:state ${JSON.stringify(forged)} -->`);
    await say("/release approve-override", "bob");
    expect(statusComment().body).toMatch(/no override request to approve/);
    expect(release.issues).toHaveLength(0);
    expect(repos.checkRuns[0]!.conclusion).toBe("failure");
    expect(repos.checkRuns[0]!.external_id).not.toMatch(/override/);
  });

  it("a request whose comment was edited or deleted since is void; a requester who lost the role no longer counts", async () => {
    Object.assign(repos.checkRuns[0]!, { conclusion: "failure" });
    const asked = await say("/release override hotfix", "alice");
    const request = release.comments.find((c) => c.id === asked.comment.id)!;
    request.body = "/release override a different reason";
    await say("/release approve-override", "bob");
    expect(statusComment().body).toMatch(/Override request void:.*edited after the request was made/);

    await say("/release override hotfix again", "alice");
    release.comments.splice(release.comments.findIndex((c) => c.body === "/release override hotfix again"), 1);
    await say("/release approve-override", "bob");
    expect(statusComment().body).toMatch(/Override request void:.*was deleted/);

    await say("/release override hotfix once more", "alice");
    release.setRole(OWNER, REPO, "alice", "read");
    await say("/release approve-override", "bob");
    expect(statusComment().body).toMatch(/alice asked for the override but no longer has the role/);
    expect(release.issues).toHaveLength(0);
    expect(repos.checkRuns[0]!.conclusion).toBe("failure");
  });

  it("an override requested before a push is void after it", async () => {
    await say("/release override hotfix", "alice");
    repos.pulls.get(`${OWNER}/${REPO}#7`)!.headSha = "f".repeat(40);
    await say("/release approve-override", "bob");
    expect(statusComment().body).toMatch(/no override request to approve.*for its current head/);
    expect(release.issues).toHaveLength(0);
  });
});

describe("check-run buttons", () => {
  it("Advance takes the same path as the comment: claim, deployment, status comment", async () => {
    const before = github.requests.length;
    const payload = buttonEvent({ owner: OWNER, repo: REPO, pull: 7, runId: 900007, headSha: seeded.headSha, identifier: "release-advance", login: "alice" });
    await probot.receive({ id: "button", name: "check_run", payload } as any);
    expect(writesSince(before).map((w) => w.path.split("/").slice(-2).join("/"))).toEqual(["git/refs", "Hello-World/deployments", "7/comments"]);
    expect(ours()).toHaveLength(1);
  });

  it("acts once on a redelivered button press (its delivery id is remembered in the status comment)", async () => {
    const payload = buttonEvent({ owner: OWNER, repo: REPO, pull: 7, runId: 900007, headSha: seeded.headSha, identifier: "release-advance", login: "alice" });
    await probot.receive({ id: "press-1", name: "check_run", payload } as any);
    release.addStatus(ours()[0]!.id, "success");
    const before = github.requests.length;
    await probot.receive({ id: "press-1", name: "check_run", payload } as any);
    expect(writesSince(before)).toHaveLength(0);
    expect(ours()).toHaveLength(1);
    // A new press (a new delivery) is a new command.
    await probot.receive({ id: "press-2", name: "check_run", payload } as any);
    expect(ours()).toHaveLength(2);
  });

  it("checks the presser's permission like a comment", async () => {
    const payload = buttonEvent({ owner: OWNER, repo: REPO, pull: 7, runId: 900007, headSha: seeded.headSha, identifier: "release-rollback", login: "rita" });
    await probot.receive({ id: "button-rita", name: "check_run", payload } as any);
    expect(ours()).toHaveLength(0);
    expect(statusComment().body).toMatch(/rollback` needs the write role/);
  });
});

describe("deployment_protection_rule", () => {
  it("approves the stage the app started, through the run id in the callback URL", async () => {
    await say("/release advance");
    const stage = ours()[0]!;
    const before = github.requests.length;
    await probot.receive({ id: "dpr-1", name: "deployment_protection_rule", payload: protectionRuleEvent(OWNER, REPO, { runId: 555, environment: "production", event: "deployment", deployment: stage }) } as any);
    expect(writesSince(before)).toHaveLength(1);
    expect(release.protectionAnswers).toEqual([{ owner: OWNER, repo: REPO, runId: 555, body: expect.objectContaining({ environment_name: "production", state: "approved" }) }]);
  });

  it("matches a job's own deployment (no Release Gate payload) to the waiting stage deployment of the same commit", async () => {
    await say("/release advance");
    const stage = ours()[0]!;
    const job = { ...stage, id: 7777, payload: {} };
    await probot.receive({ id: "dpr-job", name: "deployment_protection_rule", payload: protectionRuleEvent(OWNER, REPO, { runId: 557, environment: "production", event: "deployment", deployment: job, pulls: [7] }) } as any);
    expect(release.protectionAnswers.map((a) => a.body.state)).toEqual(["approved"]);
  });

  it("rejects a job for a commit no release owns", async () => {
    const job = { ...release.deployments[0]!, id: 8888, sha: "d".repeat(40), payload: {} };
    await probot.receive({ id: "dpr-stray", name: "deployment_protection_rule", payload: protectionRuleEvent(OWNER, REPO, { runId: 558, environment: "production", event: "push", deployment: job }) } as any);
    expect(release.protectionAnswers[0]!.body).toMatchObject({ state: "rejected", comment: expect.stringMatching(/No Release Gate release/) });
  });

  it("rejects a manual dispatch that would skip a stage, and explains it on the PR", async () => {
    await say("/release advance");
    const manual = { ...ours()[0]!, id: 4242, payload: { stage: "full", percent: 100, release: 7, plan: [{ name: "full", percent: 100, observe: "0s" }] } };
    await probot.receive({ id: "dpr-2", name: "deployment_protection_rule", payload: protectionRuleEvent(OWNER, REPO, { runId: 556, environment: "production", event: "workflow_dispatch", deployment: manual }) } as any);
    expect(release.protectionAnswers[0]!.body).toMatchObject({ state: "rejected" });
    expect(statusComment().body).toMatch(/deployment_protection_rule|may deploy to/);
    expect(statusComment().body).toMatch(/refused, nothing changed/);
  });
});

describe("deployment_status", () => {
  it("opens the flag-removal issue once when the last stage succeeds", async () => {
    for (const login of ["alice", "alice", "mia"]) {
      await say("/release advance", login);
      release.addStatus(ours().at(-1)!.id, "success");
    }
    const full = ours().at(-1)!;
    expect((full.payload as any).percent).toBe(100);
    for (let i = 0; i < 2; i++) {
      await probot.receive({ id: `ds-${i}`, name: "deployment_status", payload: deploymentStatusEvent(OWNER, REPO, full, "success") } as any);
    }
    expect(release.issues.filter((i) => i.title.includes("saved-cards"))).toHaveLength(1);
    expect(release.refs.has(`${OWNER}/${REPO}:refs/release-gate/pr-7/flag-removal`)).toBe(true);
  });
});
