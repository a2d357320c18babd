// End to end (issue 10, items 7, 9 and 11c): what a PR author controls (a migration, an exception
// comment, the PR body after approval) no longer decides the gate unseen. The real `npm start` process
// reads PR files, reviews and roles from the GitHub stand-in.
import type { FakeGitHub } from "../support/fake-github.js";
import type { FakeRelease } from "../support/fake-release-routes.js";
import type { FakeCheckRun, FakeRepos } from "../support/fake-readiness-routes.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, type RunningApp } from "../support/start-app.js";
import { startAppInWorld, stopAppInWorld } from "../support/fake-world.js";
import { pullRequestEvent, webhookExample } from "../support/webhook-examples.js";

const REPO = "shop";
const BODY = [
  "## Rollback contract",
  "Procedure: turn off the `saved-cards` flag.",
  "Triggers: error rate > 1% for 5m",
  "",
  "## Schema migration",
  "- [x] This migration is backward compatible with the running version (expand/contract)",
  "",
].join("\n");

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let app: RunningApp;

beforeAll(async () => {
  ({ repos, release, github, app } = await startAppInWorld());
}, 90_000);

afterAll(() => stopAppInWorld({ app, github }));

/** Waits for a verdict on `sha` written after `writes` earlier writes of its run. */
async function verdict(owner: string, sha: string, writes = 0): Promise<FakeCheckRun & { annotations: Array<Record<string, any>> }> {
  const run = await eventually(`verdict on ${sha.slice(0, 7)}`, () => repos.runsFor(owner, REPO, sha).find((r) => r.writes > writes));
  return { ...run, annotations: (run.output.annotations ?? []) as Array<Record<string, any>> };
}

describe("item 7: migration blind spots", () => {
  it("a diff that only deletes the /* */ around an existing DROP TABLE fails, annotated on the DROP line", async () => {
    const owner = "acme-7a";
    const sha = "7a".repeat(20);
    const path = "db/migrations/001_legacy.sql";
    repos.setFile(owner, REPO, path, "SET lock_timeout = '2s';\nDROP TABLE legacy_carts;\n", sha);
    repos.addPull({
      owner,
      repo: REPO,
      number: 71,
      title: "chore: tidy migration",
      body: BODY,
      headSha: sha,
      labels: [],
      files: [path],
      fileDetails: { [path]: { status: "modified", additions: 0, deletions: 2, patch: "@@ -1,4 +1,2 @@\n SET lock_timeout = '2s';\n-/*\n DROP TABLE legacy_carts;\n-*/" } },
    });
    expect(await app.send("pull_request", pullRequestEvent({ owner, repo: REPO, number: 71, headSha: sha, action: "synchronize", installation: 42 }))).toBe(200);
    const run = await verdict(owner, sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Not ready: schema migration");
    // The whole head file is analysed although the diff adds no line; the edit of an applied migration is flagged too.
    expect(run.output.summary).toContain("`edited-applied-migration` at `db/migrations/001_legacy.sql:2`, `drop-table` at `db/migrations/001_legacy.sql:2`");
    expect(run.annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level, a.title])).toEqual([
      [path, 2, 2, "failure", "edited-applied-migration: Edits a migration that already exists on the base branch"],
      [path, 2, 2, "failure", "drop-table: Drops a table"],
    ]);
  });

  it("editing or renaming a migration that exists on the base branch is a finding of its own", async () => {
    const owner = "acme-7b";
    const sha = "7b".repeat(20);
    const edited = "db/migrations/002_users.sql";
    const renamed = "db/migrations/004_orders.sql";
    repos.setFile(owner, REPO, edited, "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users ADD COLUMN bio text;\n", sha);
    repos.setFile(owner, REPO, renamed, "SELECT 1;\n", sha);
    repos.addPull({
      owner,
      repo: REPO,
      number: 72,
      title: "chore: users bio",
      body: BODY,
      headSha: sha,
      labels: [],
      files: [edited, renamed],
      fileDetails: {
        [edited]: { status: "modified", additions: 1, deletions: 0, patch: "@@ -1,2 +1,3 @@\n SET lock_timeout = '2s';\n ALTER TABLE users ADD COLUMN nickname text;\n+ALTER TABLE users ADD COLUMN bio text;" },
        [renamed]: { status: "renamed", additions: 0, deletions: 0, previousFilename: "db/migrations/003_orders.sql" },
      },
    });
    await app.send("pull_request", pullRequestEvent({ owner, repo: REPO, number: 72, headSha: sha, action: "opened", installation: 42 }));
    const run = await verdict(owner, sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("`edited-applied-migration` at `db/migrations/002_users.sql:3`, `edited-applied-migration` at `db/migrations/004_orders.sql:1`");
    expect(run.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title])).toEqual([
      [edited, 3, "failure", "edited-applied-migration: Edits a migration that already exists on the base branch"],
      [renamed, 1, "failure", "edited-applied-migration: Edits a migration that already exists on the base branch"],
    ]);
    expect(run.annotations[0]?.message).toMatch(/add a new migration with the change/);
    expect(run.annotations[1]?.message).toMatch(/renames "db\/migrations\/003_orders.sql"/);
  });
});

describe("item 9: an author's SQL exception needs someone else", () => {
  it("an allow comment on DROP TABLE fails until a non-author with write access approves the head SHA, then passes; the title shows the exception", async () => {
    const owner = "acme-9";
    const sha = "99".repeat(20);
    const path = "db/migrations/010_drop_legacy.sql";
    const sql = ["SET lock_timeout = '2s';", "-- release-gate: allow drop-table because nothing has read it since v12", "DROP TABLE legacy_carts;"];
    const pull = repos.addPull({
      owner,
      repo: REPO,
      number: 90,
      title: "chore: drop legacy carts",
      body: BODY,
      headSha: sha,
      labels: [],
      files: [path],
      author: "alice",
      fileDetails: { [path]: { status: "added", additions: 3, deletions: 0, patch: `@@ -0,0 +1,3 @@\n${sql.map((l) => `+${l}`).join("\n")}` } },
    });
    release.setRole(owner, REPO, "mallory", "read");
    release.setRole(owner, REPO, "bob", "write");
    await app.send("pull_request", pullRequestEvent({ owner, repo: REPO, number: 90, headSha: sha, action: "opened", installation: 42 }));
    const awaiting = await verdict(owner, sha);
    expect(awaiting.conclusion).toBe("failure");
    expect(awaiting.output.title).toBe("Not ready: schema migration — 1 SQL exception awaiting acceptance");
    expect(awaiting.output.summary).toMatch(/an SQL exception awaits acceptance: `drop-table` at `db\/migrations\/010_drop_legacy.sql:3` \(nothing has read it since v12\)/);
    expect(awaiting.output.summary).toMatch(/An approving review of head 9999999 from someone with write access other than the author \(@\u200b?alice\)/);
    expect(awaiting.annotations).toEqual([expect.objectContaining({ path, start_line: 3, annotation_level: "failure", title: "drop-table: Drops a table" })]);

    // Approvals that do not count: one of an older commit, one from a reader (on a public repository anyone may approve).
    pull.reviews = [
      { id: 501, login: "carol", state: "APPROVED", commitId: "0".repeat(40), submittedAt: "2026-11-23T10:00:00Z" },
      { id: 502, login: "mallory", state: "APPROVED", commitId: sha, submittedAt: "2026-11-23T10:01:00Z" },
    ];
    await app.send("pull_request_review", reviewEvent(owner, 90, sha, "mallory", 502));
    const still = await verdict(owner, sha, awaiting.writes);
    expect(still.conclusion).toBe("failure");
    expect(still.output.title).toBe("Not ready: schema migration — 1 SQL exception awaiting acceptance");

    pull.reviews.push({ id: 503, login: "bob", state: "APPROVED", commitId: sha, submittedAt: "2026-11-23T10:02:00Z" });
    await app.send("pull_request_review", reviewEvent(owner, 90, sha, "bob", 503));
    const accepted = await verdict(owner, sha, still.writes);
    expect(accepted.conclusion).toBe("success");
    expect(accepted.output.title).toBe("Ready to release — 1 SQL exception accepted by @bob");
    expect(accepted.output.summary).toMatch(/recorded exceptions, accepted by @\u200b?bob \(review 503 of 2026-11-23T10:02:00Z\): `drop-table` at `db\/migrations\/010_drop_legacy.sql:3`/);
    expect(accepted.annotations.at(-1)).toMatchObject({ start_line: 3, annotation_level: "notice" });
    expect(repos.runsFor(owner, REPO, sha)).toHaveLength(1);
  });
});

describe("item 11c: editing the release plan after approval", () => {
  it("says so in the check until someone approves again; records only in the app's own run", async () => {
    const owner = "acme-11";
    const sha = "11".repeat(20);
    const pull = repos.addPull({ owner, repo: REPO, number: 110, title: "fix: carts", body: BODY.split("## Schema")[0]!, headSha: sha, labels: [], files: ["src/cart.ts"], author: "alice" });
    await app.send("pull_request", pullRequestEvent({ owner, repo: REPO, number: 110, headSha: sha, action: "opened", installation: 42 }));
    const first = await verdict(owner, sha);
    expect(first.output.title).toBe("Ready to release");

    pull.reviews = [{ id: 601, login: "bob", state: "APPROVED", commitId: sha, submittedAt: "2026-11-23T10:00:00Z" }];
    pull.updatedAt = "2026-11-23T10:00:00Z";
    await app.send("pull_request_review", reviewEvent(owner, 110, sha, "bob", 601));
    const approved = await verdict(owner, sha, first.writes);
    expect(approved.output.title).toBe("Ready to release");

    // The author loosens the rollback trigger after the approval.
    pull.body = pull.body!.replace("error rate > 1% for 5m", "error rate > 20% for 1h");
    pull.updatedAt = "2026-11-23T11:00:00Z";
    await app.send("pull_request", pullRequestEvent({ owner, repo: REPO, number: 110, headSha: sha, action: "edited", installation: 42 }));
    const edited = await verdict(owner, sha, approved.writes);
    expect(edited.output.title).toBe("Ready to release — release plan changed after the last approval");
    expect(edited.output.summary).toContain("The release plan changed after the last approval (`@bob`, 2026-11-23T10:00:00Z); ask for a fresh review.");

    pull.reviews.push({ id: 602, login: "bob", state: "APPROVED", commitId: sha, submittedAt: "2026-11-23T11:30:00Z" });
    pull.updatedAt = "2026-11-23T11:30:00Z";
    await app.send("pull_request_review", reviewEvent(owner, 110, sha, "bob", 602));
    const fresh = await verdict(owner, sha, edited.writes);
    expect(fresh.output.title).toBe("Ready to release");
    expect(fresh.output.summary).not.toContain("changed after the last approval");
  });
});

function reviewEvent(owner: string, number: number, sha: string, login: string, id: number) {
  const payload = webhookExample("pull_request_review", "submitted");
  payload.installation = { id: 42, node_id: "I" };
  payload.repository.owner.login = owner;
  payload.repository.name = REPO;
  payload.repository.full_name = `${owner}/${REPO}`;
  payload.pull_request.number = number;
  payload.pull_request.head.sha = sha;
  payload.review.id = id;
  payload.review.user.login = login;
  payload.review.commit_id = sha;
  return payload;
}

it("sends GitHub only requests that exist in its REST API, with valid fields", () => {
  expect(github.requests.length).toBeGreaterThan(0);
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
