import { applyOverride } from "../../../src/core/render/readiness-override.js";

const override = { approver: "alice", requester: "bob", issue: 77 };
const SHA = "abcdef1234567890abcdef1234567890abcdef12";

it("passes the check and names the override, approver, requester, SHA and follow-up issue", () => {
  const report = applyOverride({ conclusion: "failure", title: "Not ready: rollback contract", summary: "| table |", annotations: [] }, override, SHA);
  expect(report.conclusion).toBe("success");
  expect(report.title).toBe("Override approved by alice: Not ready: rollback contract");
  expect(report.summary).toContain("@alice");
  expect(report.summary).toContain("@bob");
  expect(report.summary).toContain("abcdef1");
  expect(report.summary).toContain("#77");
  expect(report.summary.endsWith("| table |")).toBe(true);
});

it("is idempotent: applying it to an overridden report does not stack notes", () => {
  const once = applyOverride({ title: "Not ready: communication note", summary: "body" }, override, SHA);
  const twice = applyOverride(once, { ...override, approver: "carol" }, SHA);
  expect(twice.title).toBe("Override approved by carol: Not ready: communication note");
  expect(twice.summary.match(/Override approved/g)).toHaveLength(1);
  expect(twice.summary.endsWith("body")).toBe(true);
});
