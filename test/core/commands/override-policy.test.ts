import { defaultConfig } from "../../../src/core/config/parse-config.js";
import {
  approveOverride,
  confirmOverride,
  overrideHolds,
  requestOverride,
  type OverrideRequest,
  type PendingOverride,
  type RequestCommentNow,
} from "../../../src/core/commands/override-policy.js";

const commands = defaultConfig().commands;
const HEAD = "1234567" + "0".repeat(33);
const NEW_HEAD = "abcdef0" + "0".repeat(33);
const now = new Date("2026-01-01T12:00:00Z");
// Digests are opaque to the core (the adapter hashes); any two different strings stand for two texts.
const DIGEST = "d".repeat(43);
const EDITED = "e".repeat(43);

const pending: PendingOverride = { commentId: 101, authorId: 3, login: "carol", digest: DIGEST, pullNumber: 7, sha: HEAD };
const requestComment: RequestCommentNow = {
  id: 101,
  authorId: 3,
  login: "carol",
  issueNumber: 7,
  digest: DIGEST,
  body: "flaky\n/release override flaky   e2e",
  createdAt: "2026-01-01T11:00:00Z",
};
const approve = (login: string, over: Partial<Parameters<typeof approveOverride>[0]> = {}) =>
  approveOverride({
    actor: { login, role: "write", key: "202" },
    pending,
    pullNumber: 7,
    headSha: HEAD,
    prAuthor: "alice",
    commands,
    now,
    requestComment,
    requesterRole: "write",
    ...over,
  });

describe("requestOverride", () => {
  const comment = { id: 101, authorId: 1, digest: DIGEST };

  it("records who asked, why, for which head SHA, and binds it to the comment as first read", () => {
    const result = requestOverride({ actor: { login: "alice", role: "write", key: "101" }, args: ["flaky", "  e2e\tsuite"], headSha: HEAD, commands, now, comment });
    const request: OverrideRequest = { requestedBy: "alice", reason: "flaky e2e suite", sha: HEAD, at: "2026-01-01T12:00:00.000Z", key: "101" };
    expect(result).toEqual({ ok: true, value: { request, record: { commentId: 101, authorId: 1, login: "alice", digest: DIGEST } } });
  });

  it("requires a reason", () => {
    const result = requestOverride({ actor: { login: "alice", role: "write", key: "1" }, args: ["  "], headSha: HEAD, commands, now, comment });
    expect(result).toMatchObject({ ok: false, refusal: { code: "no-reason" } });
  });

  it("refuses someone below the command permission", () => {
    const result = requestOverride({ actor: { login: "eve", role: "triage", key: "1" }, args: ["x"], headSha: HEAD, commands, now, comment });
    expect(result).toMatchObject({ ok: false, refusal: { code: "not-permitted" } });
  });

  it("refuses a request with no comment to bind it to", () => {
    const result = requestOverride({ actor: { login: "alice", role: "write", key: "check_run:1" }, args: ["x"], headSha: HEAD, commands, now });
    expect(result).toMatchObject({ ok: false, refusal: { code: "no-pending-override" } });
  });
});

describe("approveOverride", () => {
  it("lets a second permitted person who is not the author approve; the reason and time come from the request comment", () => {
    expect(approve("bob")).toEqual({
      ok: true,
      value: {
        requestedBy: "carol",
        reason: "flaky e2e",
        sha: HEAD,
        at: "2026-01-01T11:00:00Z",
        key: "101",
        approvedBy: "bob",
        approvedAt: "2026-01-01T12:00:00.000Z",
        approvalKey: "202",
      },
    });
  });

  it.each([
    ["the PR author", "Alice", {}, "own-pull-request"],
    ["the requester", "CAROL", {}, "own-request"],
    ["someone with read access", "bob", { actor: { login: "bob", role: "read" as const, key: "2" } }, "not-permitted"],
    ["someone without access", "bob", { actor: { login: "bob", role: null, key: "2" } }, "not-permitted"],
    ["anyone when nothing is recorded", "bob", { pending: null }, "no-pending-override"],
    ["anyone after a new push", "bob", { headSha: NEW_HEAD }, "stale-override"],
    ["a request recorded for another PR", "bob", { pullNumber: 8 }, "override-void"],
    ["a request whose comment was deleted", "bob", { requestComment: null }, "override-void"],
    ["a request whose comment was edited since", "bob", { requestComment: { ...requestComment, digest: EDITED } }, "override-void"],
    ["a request whose comment now has another author", "bob", { requestComment: { ...requestComment, authorId: 4 } }, "override-void"],
    ["a request whose comment is another one", "bob", { requestComment: { ...requestComment, id: 102 } }, "override-void"],
    ["a request whose comment is on another PR", "bob", { requestComment: { ...requestComment, issueNumber: 8 } }, "override-void"],
    ["a request whose comment holds no override", "bob", { requestComment: { ...requestComment, body: "/release status" } }, "override-void"],
    ["a request whose requester lost the role", "bob", { requesterRole: "read" as const }, "requester-not-permitted"],
    ["a request whose requester left the repository", "bob", { requesterRole: null }, "requester-not-permitted"],
  ])("refuses %s", (_who, login, over, code) => {
    expect(approve(login, over)).toMatchObject({ ok: false, refusal: { code } });
  });

  it("refuses the requester under a renamed login (the recorded login or the comment's current one)", () => {
    expect(approve("carol-old", { pending: { ...pending, login: "carol-old" } })).toMatchObject({ ok: false, refusal: { code: "own-request" } });
  });

  it("refuses the author even when the author also requested it", () => {
    const own = approve("alice", { requestComment: { ...requestComment, login: "alice" } });
    expect(own).toMatchObject({ ok: false, refusal: { code: "own-pull-request" } });
  });

  it("says why a void request is void and how to start again", () => {
    const edited = approve("bob", { requestComment: { ...requestComment, digest: EDITED } });
    expect(edited.ok ? "" : edited.refusal.message).toMatch(/edited after the request.*void.*\/release override <reason>/);
  });
});

describe("overrideHolds", () => {
  it("holds for the SHA it was approved on and is void after a push", () => {
    const result = approve("bob");
    const approval = result.ok ? result.value : null;
    expect(overrideHolds(approval, HEAD)).toBe(true);
    expect(overrideHolds(approval, NEW_HEAD)).toBe(false);
    expect(overrideHolds(null, HEAD)).toBe(false);
  });
});

describe("confirmOverride", () => {
  const recorded: OverrideRequest = { requestedBy: "carol", reason: "flaky e2e", sha: HEAD, at: "2026-01-01T11:00:00Z", key: "101" };
  const approval = { ...recorded, approvedBy: "bob", approvedAt: "2026-01-01T12:00:00.000Z", approvalKey: "202" };
  const request = { id: 101, login: "carol", body: "flaky\n/release override flaky e2e" };
  const approvalComment = { id: "202", login: "Bob", body: "/release approve-override" };

  it("confirms an approval whose two comments say what the record says", () => {
    expect(confirmOverride(approval, { request, approval: approvalComment }, "alice")).toEqual({ ok: true, value: approval });
  });

  it.each([
    ["a missing request comment", { request: null, approval: approvalComment }],
    ["a request comment by someone else", { request: { ...request, login: "mallory" }, approval: approvalComment }],
    ["a request comment without the command", { request: { ...request, body: "> /release override x" }, approval: approvalComment }],
    ["an approval comment by someone else", { request, approval: { ...approvalComment, login: "carol" } }],
    ["an approval comment with another id", { request, approval: { ...approvalComment, id: 999 } }],
    ["an approval comment that was edited away", { request, approval: { ...approvalComment, body: "never mind" } }],
  ])("rejects %s", (_name, comments) => {
    expect(confirmOverride(approval, comments, "alice").ok).toBe(false);
  });

  it("rejects a record approved by the author, however it got there", () => {
    const byAuthor = { ...approval, approvedBy: "alice" };
    expect(confirmOverride(byAuthor, { request, approval: { ...approvalComment, login: "alice" } }, "alice").ok).toBe(false);
  });
});
