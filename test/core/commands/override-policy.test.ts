import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { approveOverride, confirmOverride, overrideHolds, requestOverride, type OverrideRequest } from "../../../src/core/commands/override-policy.js";

const commands = defaultConfig().commands;
const HEAD = "1234567" + "0".repeat(33);
const NEW_HEAD = "abcdef0" + "0".repeat(33);
const now = new Date("2026-01-01T12:00:00Z");

const pending: OverrideRequest = { requestedBy: "carol", reason: "flaky e2e", sha: HEAD, at: "2026-01-01T11:00:00Z", key: "101" };
const approve = (login: string, over: Partial<Parameters<typeof approveOverride>[0]> = {}) =>
  approveOverride({ actor: { login, role: "write", key: "202" }, pending, prAuthor: "alice", headSha: HEAD, commands, now, ...over });

describe("requestOverride", () => {
  it("records who asked, why, and for which head SHA", () => {
    const result = requestOverride({ actor: { login: "alice", role: "write", key: "101" }, args: ["flaky", "  e2e\tsuite"], headSha: HEAD, commands, now });
    expect(result).toEqual({ ok: true, value: { requestedBy: "alice", reason: "flaky e2e suite", sha: HEAD, at: "2026-01-01T12:00:00.000Z", key: "101" } });
  });

  it("requires a reason", () => {
    const result = requestOverride({ actor: { login: "alice", role: "write", key: "1" }, args: ["  "], headSha: HEAD, commands, now });
    expect(result).toMatchObject({ ok: false, refusal: { code: "no-reason" } });
  });

  it("refuses someone below the command permission", () => {
    const result = requestOverride({ actor: { login: "eve", role: "triage", key: "1" }, args: ["x"], headSha: HEAD, commands, now });
    expect(result).toMatchObject({ ok: false, refusal: { code: "not-permitted" } });
  });
});

describe("approveOverride", () => {
  it("lets a second permitted person who is not the author approve", () => {
    expect(approve("bob")).toEqual({
      ok: true,
      value: { ...pending, approvedBy: "bob", approvedAt: "2026-01-01T12:00:00.000Z", approvalKey: "202" },
    });
  });

  it.each([
    ["the PR author", "Alice", {}, "own-pull-request"],
    ["the requester", "CAROL", {}, "own-request"],
    ["someone with read access", "bob", { actor: { login: "bob", role: "read" as const, key: "2" } }, "not-permitted"],
    ["someone without access", "bob", { actor: { login: "bob", role: null, key: "2" } }, "not-permitted"],
    ["anyone when nothing is pending", "bob", { pending: null }, "no-pending-override"],
    ["anyone after a new push", "bob", { headSha: NEW_HEAD }, "stale-override"],
  ])("refuses %s", (_who, login, over, code) => {
    expect(approve(login, over)).toMatchObject({ ok: false, refusal: { code } });
  });

  it("checks the pending request against its comment when the adapter read it back", () => {
    const comment = { id: 101, login: "carol", body: "/release override flaky e2e" };
    expect(approve("bob", { requestComment: comment }).ok).toBe(true);
    // One writer forging a request in carol's name in the editable status comment, then approving it:
    expect(approve("bob", { requestComment: { ...comment, login: "bob" } })).toMatchObject({ ok: false, refusal: { code: "no-pending-override" } });
    expect(approve("bob", { requestComment: null })).toMatchObject({ ok: false, refusal: { code: "no-pending-override" } });
    expect(approve("bob", { requestComment: { ...comment, body: "/release status" } }).ok).toBe(false);
  });

  it("refuses the author even when the author also requested it", () => {
    const own = approve("alice", { pending: { ...pending, requestedBy: "alice" } });
    expect(own).toMatchObject({ ok: false, refusal: { code: "own-pull-request" } });
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
  const approval = { ...pending, approvedBy: "bob", approvedAt: "2026-01-01T12:00:00.000Z", approvalKey: "202" };
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
