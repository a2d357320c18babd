import { acceptingReviews, exceptionsToAccept, type ReviewFact } from "../../../src/core/rules/sql-exceptions.js";
import type { SqlFinding } from "../../../src/core/sql/findings.js";

const HEAD = "h".repeat(40);
const OLD = "o".repeat(40);
const pull = { author: "alice", headSha: HEAD };
let nextId = 1;
const review = (login: string, state: string, at: string, extra: Partial<ReviewFact> = {}): ReviewFact => ({
  id: nextId++,
  login,
  isBot: false,
  state,
  commitId: HEAD,
  submittedAt: `2026-11-23T${at}:00Z`,
  ...extra,
});

describe("reviews that may accept an SQL exception", () => {
  it("an approval of the head SHA by someone other than the author", () => {
    const bob = review("bob", "APPROVED", "10:00");
    expect(acceptingReviews([bob], pull)).toEqual([bob]);
  });

  it("never the author's own approval (any case), a bot's, or one of an older commit", () => {
    expect(acceptingReviews([review("Alice", "APPROVED", "10:00")], pull)).toEqual([]);
    expect(acceptingReviews([review("github-actions[bot]", "APPROVED", "10:00", { isBot: true })], pull)).toEqual([]);
    expect(acceptingReviews([review("bob", "APPROVED", "10:00", { commitId: OLD })], pull)).toEqual([]);
  });

  it("a later change request or dismissal cancels an approval; a later comment does not", () => {
    expect(acceptingReviews([review("bob", "APPROVED", "10:00"), review("bob", "CHANGES_REQUESTED", "11:00")], pull)).toEqual([]);
    expect(acceptingReviews([review("bob", "APPROVED", "10:00"), review("bob", "DISMISSED", "11:00")], pull)).toEqual([]);
    const approved = review("bob", "APPROVED", "10:00");
    expect(acceptingReviews([approved, review("bob", "COMMENTED", "11:00")], pull)).toEqual([approved]);
    // Listed out of order: the submission time decides.
    expect(acceptingReviews([review("bob", "CHANGES_REQUESTED", "12:00"), review("bob", "APPROVED", "10:00")], pull)).toEqual([]);
  });

  it("newest approval first", () => {
    const bob = review("bob", "APPROVED", "10:00");
    const carol = review("carol", "APPROVED", "11:00");
    expect(acceptingReviews([bob, carol], pull).map((r) => r.login)).toEqual(["carol", "bob"]);
  });
});

describe("exceptions that need acceptance", () => {
  const finding = (cls: "breaking" | "advisory", suppressed: boolean) =>
    ({ class: cls, ...(suppressed ? { suppressed: { reason: "r", line: 1 } } : {}) }) as SqlFinding;
  it("suppressed breaking findings, and suppressed advisories only when advisories fail the item", () => {
    const all = [finding("breaking", true), finding("breaking", false), finding("advisory", true)];
    expect(exceptionsToAccept(all, false)).toEqual([all[0]]);
    expect(exceptionsToAccept(all, true)).toEqual([all[0], all[2]]);
  });
});
