import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { parsePlan } from "../../../src/core/plan/parse-plan.js";
import {
  canonicalPlanText,
  nextPlanRecord,
  planChangeSinceApproval,
  planRecordMarker,
  readPlanRecord,
  withPlanRecord,
} from "../../../src/core/plan/plan-record.js";
import type { ReviewFact } from "../../../src/core/rules/sql-exceptions.js";

const headings = defaultConfig().headings;
const plan = (body: string) => canonicalPlanText(parsePlan(body, headings));
const D1 = "1".repeat(64);
const D2 = "2".repeat(64);
const review = (id: number, login: string, state: string, at: string): ReviewFact => ({ id, login, isBot: false, state, commitId: "h", submittedAt: at });

describe("the plan digest's text", () => {
  it("covers the sections' content and ignores whitespace, comments and text outside the sections", () => {
    const body = "## Rollback contract\nProcedure: flag flip.\nTriggers: error rate > 1% for 5m\n";
    expect(plan(`Intro\n${body}`)).toBe(plan(`${body.replace("flag flip.", "  flag flip.  ")}\n\n<!-- note -->`));
    expect(plan(body)).not.toBe(plan(body.replace("1%", "5%")));
    expect(plan(body)).not.toBe(plan(`${body}## Communication\nCustomers see saved cards.\n`));
  });
});

describe("the record in the app's own summary", () => {
  it("round-trips, and only a marker at the very end counts", () => {
    const record = { digest: D1, changedAt: "2026-11-23T10:00:00Z" };
    expect(readPlanRecord(`summary\n\n${planRecordMarker(record)}\n`)).toEqual(record);
    expect(readPlanRecord(`${planRecordMarker(record)}\nmore text`)).toBeUndefined();
    expect(readPlanRecord(undefined)).toBeUndefined();
  });

  it("a new head starts unchanged; a new digest is dated by the PR's updated_at; the same digest keeps its date", () => {
    expect(nextPlanRecord(undefined, D1, "t1")).toEqual({ digest: D1, changedAt: "" });
    expect(nextPlanRecord({ digest: D1, changedAt: "" }, D2, "t2")).toEqual({ digest: D2, changedAt: "t2" });
    expect(nextPlanRecord({ digest: D2, changedAt: "t2" }, D2, "t3")).toEqual({ digest: D2, changedAt: "t2" });
  });
});

describe("plan changed after the last approval", () => {
  const record = { digest: D1, changedAt: "2026-11-23T12:00:00Z" };
  it("names the latest approval when it predates the change", () => {
    const reviews = [review(1, "carol", "APPROVED", "2026-11-23T09:00:00Z"), review(2, "bob", "APPROVED", "2026-11-23T11:00:00Z")];
    expect(planChangeSinceApproval(record, reviews, "alice")).toEqual({ kind: "changed-after-approval", by: "bob", approvedAt: "2026-11-23T11:00:00Z", changedAt: record.changedAt });
  });

  it("is quiet after a fresh approval, without approvals, for the author's own or a withdrawn one, and when the plan never changed", () => {
    expect(planChangeSinceApproval(record, [review(1, "bob", "APPROVED", "2026-11-23T13:00:00Z")], "alice")).toEqual({ kind: "unchanged" });
    expect(planChangeSinceApproval(record, [], "alice")).toEqual({ kind: "unchanged" });
    expect(planChangeSinceApproval(record, [review(1, "alice", "APPROVED", "2026-11-23T11:00:00Z")], "alice")).toEqual({ kind: "unchanged" });
    expect(planChangeSinceApproval(record, [review(1, "bob", "APPROVED", "2026-11-23T10:00:00Z"), review(2, "bob", "DISMISSED", "2026-11-23T10:30:00Z")], "alice")).toEqual({ kind: "unchanged" });
    expect(planChangeSinceApproval({ digest: D1, changedAt: "" }, [review(1, "bob", "APPROVED", "2026-11-23T11:00:00Z")], "alice")).toEqual({ kind: "unchanged" });
  });

  it("says so in the title and summary, and always keeps the record last", () => {
    const report = { conclusion: "success" as const, title: "Ready to release", summary: "table", annotations: [] };
    const quiet = withPlanRecord(report, { digest: D1, changedAt: "" }, { kind: "unchanged" });
    expect(quiet.title).toBe("Ready to release");
    expect(readPlanRecord(quiet.summary)).toEqual({ digest: D1, changedAt: "" });
    const loud = withPlanRecord(report, record, { kind: "changed-after-approval", by: "bob", approvedAt: "2026-11-23T11:00:00Z", changedAt: record.changedAt });
    expect(loud.title).toBe("Ready to release — release plan changed after the last approval");
    expect(loud.summary).toContain("The release plan changed after the last approval (`@bob`, 2026-11-23T11:00:00Z); ask for a fresh review.");
    expect(readPlanRecord(loud.summary)).toEqual(record);
  });
});
