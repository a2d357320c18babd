import { assessFlagDebt, removalMarker, type RemovalIssue } from "../../../src/core/flags/flag-lifetime.js";
import { renderFlagDebtSummary, renderOverdueComment, withFlagDebtNotice } from "../../../src/core/render/flag-debt.js";
import type { CheckReport } from "../../../src/core/render/readiness-report.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");

function issue(number: number, flag: string, createdAt: string, labels = ["flag-removal"]): RemovalIssue {
  return {
    number,
    url: `https://github.com/acme/shop/issues/${number}`,
    title: `Remove release flag ${flag} (released in #${number - 100})`,
    body: removalMarker({ flag, type: number % 2 ? "release" : "experiment", release: number - 100 }),
    createdAt,
    labels,
    author: { creator: "release-gate[bot]", viaApp: 123 },
    isPull: false,
  };
}

const debtOf = (issues: RemovalIssue[]) => assessFlagDebt(issues, { now: NOW, maxLifetime: "4w", overdueLabel: "flag-overdue", gate: [{ appId: 123 }] });
const REPORT: CheckReport = { conclusion: "success", title: "Ready to release", summary: "Every required item of the release plan holds.", annotations: [] };

describe("the readiness notice", () => {
  it("names each overdue flag with its issue, keeps the conclusion, and notes it in the title", () => {
    const debt = debtOf([issue(201, "new-checkout", "2026-10-01T09:00:00Z"), issue(203, "fresh", "2026-11-25T09:00:00Z")]);
    const report = withFlagDebtNotice(REPORT, debt, "4w");
    expect(report.conclusion).toBe("success");
    expect(report.title).toBe("Ready to release — 1 overdue flag: new-checkout");
    expect(report.summary.split("\n").slice(0, 2)).toEqual([
      "> ⚠️ **Flag debt:** 1 flag is past `flags.max-lifetime` (`4w` after 100%) in this repository. This PR's verdict does not depend on it; removing them is due work:",
      "> - `new-checkout` (release): at 100% since 2026-10-01 09:00 UTC, overdue by 4 weeks; [#201](https://github.com/acme/shop/issues/201)",
    ]);
    expect(report.summary).not.toContain("fresh");
    expect(report.summary).toContain("Every required item of the release plan holds.");
  });

  it("leaves the report alone when nothing is overdue", () => {
    expect(withFlagDebtNotice(REPORT, debtOf([issue(203, "fresh", "2026-11-25T09:00:00Z")]), "4w")).toBe(REPORT);
  });

  it("names ten and counts the rest", () => {
    const many = Array.from({ length: 13 }, (_, i) => issue(300 + i, `old-${i}`, `2026-0${1 + (i % 9)}-01T00:00:00Z`));
    const report = withFlagDebtNotice(REPORT, debtOf(many), "4w");
    expect(report.title).toBe("Ready to release — 13 overdue flags");
    expect(report.summary.match(/^> - `old-/gm)).toHaveLength(10);
    expect(report.summary).toContain("> - …and 3 more");
  });
});

describe("the overdue comment", () => {
  it("says when the flag reached 100%, the lifetime, the due date, and what to do", () => {
    const [flag] = debtOf([issue(201, "new-checkout", "2026-10-01T09:00:00Z")]).overdue;
    const text = renderOverdueComment(flag!, { maxLifetime: "4w", overdueLabel: "flag-overdue" });
    expect(text).toContain("The release flag `new-checkout` is overdue: its rollout reached 100% at 2026-10-01 09:00 UTC");
    expect(text).toContain("so it was due by 2026-10-29 09:00 UTC");
    expect(text).toContain("labelled `flag-overdue`");
  });
});

describe("the scheduled run's job summary", () => {
  it("lists every flag that owes a removal, overdue first, and what this run escalated", () => {
    const debt = debtOf([
      issue(203, "fresh", "2026-11-25T09:00:00Z"),
      issue(201, "new-checkout", "2026-10-01T09:00:00Z"),
      issue(202, "ab-copy", "2026-09-01T09:00:00Z", ["flag-removal", "flag-overdue"]),
    ]);
    const text = renderFlagDebtSummary(debt, { repo: "acme/shop", maxLifetime: "4w", now: NOW, escalated: [201] });
    expect(text).toContain("**2 overdue** of 3 flags that owe a removal (checked 2026-11-30 12:00 UTC).");
    const rows = text.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toEqual([
      "| `ab-copy` | experiment | [#202](https://github.com/acme/shop/issues/202) | #102 | 2026-09-01 09:00 UTC | 2026-09-29 09:00 UTC | ❌ overdue by 8 weeks |",
      "| `new-checkout` | release | [#201](https://github.com/acme/shop/issues/201) | #101 | 2026-10-01 09:00 UTC | 2026-10-29 09:00 UTC | ❌ overdue by 4 weeks (escalated now) |",
      "| `fresh` | release | [#203](https://github.com/acme/shop/issues/203) | #103 | 2026-11-25 09:00 UTC | 2026-12-23 09:00 UTC | ✅ 3 weeks 1 day left |",
    ]);
  });

  it("says so when no flag owes a removal", () => {
    expect(renderFlagDebtSummary(debtOf([]), { repo: "acme/shop", maxLifetime: "4w", now: NOW, escalated: [] })).toContain("No open flag-removal issue");
  });
});
