import type { OverrideApproval } from "../../../src/core/commands/override-policy.js";
import { readRemovalMarker } from "../../../src/core/flags/flag-lifetime.js";
import { applyOverride, renderFlagRemovalIssue, renderPostMortemIssue, type FlagLifetimeTerms } from "../../../src/core/render/override-report.js";
import type { CheckReport } from "../../../src/core/render/readiness-report.js";

const HEAD = "abcdef1" + "0".repeat(33);
const approval: OverrideApproval = {
  requestedBy: "carol",
  reason: "flaky e2e <b>@ops</b>",
  sha: HEAD,
  at: "2026-01-01T09:00:00.000Z",
  key: "101",
  approvedBy: "erin",
  approvedAt: "2026-01-01T09:30:00.000Z",
  approvalKey: "103",
};
const failing: CheckReport = { conclusion: "failure", title: "Not ready: rollback contract", summary: "| Item | ... |", annotations: [] };

describe("applyOverride", () => {
  it("passes a failing check and shows the override in title and summary", () => {
    const report = applyOverride(failing, approval, HEAD, "https://github.com/o/r/issues/7");
    expect(report.conclusion).toBe("success");
    expect(report.title).toBe("Overridden by erin: Not ready: rollback contract");
    expect(report.summary).toContain("> **Override** for `abcdef1`: requested by carol, approved by erin.");
    expect(report.summary).toContain("> Reason: flaky e2e \\<b\\>@\u200bops\\</b\\>");
    expect(report.summary).toContain("the check passes by this override only");
    expect(report.summary).toContain("[Post-mortem issue](https://github.com/o/r/issues/7)");
    expect(report.summary.endsWith(failing.summary)).toBe(true);
  });

  it("changes nothing once a new push made the approval lapse, or without one", () => {
    expect(applyOverride(failing, approval, "f".repeat(40))).toBe(failing);
    expect(applyOverride(failing, null, HEAD)).toBe(failing);
  });

  it("keeps the title of a passing check and notes the override", () => {
    const passing: CheckReport = { ...failing, conclusion: "success", title: "Ready to release" };
    const report = applyOverride(passing, approval, HEAD);
    expect(report.title).toBe("Ready to release");
    expect(report.summary).not.toContain("still fail");
  });

  it("keeps the title within 255 characters", () => {
    expect(applyOverride({ ...failing, title: "x".repeat(255) }, approval, HEAD).title).toHaveLength(255);
  });
});

describe("follow-up issues", () => {
  it("drafts the post-mortem issue with the configured labels", () => {
    const issue = renderPostMortemIssue(approval, { number: 42, title: "Faster checkout" }, ["post-mortem"]);
    expect(issue.title).toBe("Post-mortem: readiness override on #42 (Faster checkout)");
    expect(issue.labels).toEqual(["post-mortem"]);
    expect(issue.body).toContain("- Approved by erin at 2026-01-01T09:30:00.000Z");
    expect(issue.body).toContain("- Reason: flaky e2e \\<b\\>@\u200bops\\</b\\>");
  });

  const terms = (type: FlagLifetimeTerms["type"]): FlagLifetimeTerms => ({
    type,
    maxLifetime: "4w",
    dueAt: "2026-12-28T10:00:00.000Z",
    label: "flag-removal",
    overdueLabel: "flag-overdue",
  });

  it("drafts the flag-removal issue", () => {
    const issue = renderFlagRemovalIssue({ name: "new-checkout", line: 12 }, { number: 42, title: "x" }, { name: "full", percent: 100 }, terms({ type: "release", source: "default" }));
    expect(issue.title).toBe("Remove release flag new-checkout (released in #42)");
    expect(issue.body).toContain("flag `new-checkout` named in its plan (line 12)");
  });

  it("labels the issue, states the type, its source and the due date, and records the flag in a marker the lifetime check reads", () => {
    const issue = renderFlagRemovalIssue({ name: "ab.button", line: 3 }, { number: 9, title: "x" }, { name: "full", percent: 100 }, terms({ type: "experiment", source: "plan", line: 4 }));
    expect(issue.title).toBe("Remove experiment flag ab.button (released in #9)");
    expect(issue.labels).toEqual(["flag-removal"]);
    expect(issue.body).toContain("It is an **experiment flag** (from the plan, line 4)");
    expect(issue.body).toContain("remove it by **2026-12-28 10:00 UTC** (`flags.max-lifetime`: `4w` after 100%)");
    expect(readRemovalMarker(issue.body)).toEqual({ flag: "ab.button", type: "experiment", release: 9 });
  });
});
