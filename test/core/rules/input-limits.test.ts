// Over-cap inputs fail their own readiness item, naming the cap; the rest of the check still evaluates.
import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { checkLimit } from "../../../src/core/limits.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
import type { PullFacts } from "../../../src/core/rules/types.js";

const GOOD = "## Rollback contract\nProcedure: turn off the `checkout-v2` flag.\nTriggers: error rate > 1% for 5m\n";
const CLAIM = "## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)\n";

function facts(overrides: Partial<PullFacts> = {}): PullFacts {
  return { number: 7, title: "fix: carts", body: GOOD, author: "octocat", headSha: "a".repeat(40), labels: [], changedFiles: ["src/cart.ts"], changedFilesTruncated: false, ...overrides };
}
const items = (f: PullFacts) => evaluateReadiness(f, defaultConfig()).items;
const item = (f: PullFacts, id: string) => items(f).find((i) => i.id === id);

describe("PR description", () => {
  it("at GitHub's maximum is read as usual", () => {
    const body = GOOD + "x".repeat(65_536 - GOOD.length);
    expect(item(facts({ body }), "description-size")).toBeUndefined();
    expect(item(facts({ body }), "rollback-contract")?.status).toBe("pass");
  });

  it("over the cap is not parsed: its item fails naming the cap, and the plan counts as absent", () => {
    const body = GOOD + "x".repeat(65_537 - GOOD.length);
    const verdict = evaluateReadiness(facts({ body }), defaultConfig());
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.items.find((i) => i.id === "description-size")).toMatchObject({
      status: "fail",
      required: true,
      reason: "The PR description is 65,537 characters; the limit is 65,536 characters, so the release plan in it was not read.",
    });
    expect(verdict.items.find((i) => i.id === "rollback-contract")?.status).toBe("fail");
  });
});

it("a changed-file list over the cap fails its item; the other items still evaluate", () => {
  const over = checkLimit("changedFiles", 3412, "The PR's list of changed files")!;
  const verdict = evaluateReadiness(facts({ changedFilesTruncated: true, overLimits: [over] }), defaultConfig());
  expect(verdict.items.find((i) => i.id === "changed-files")).toMatchObject({ status: "fail", reason: expect.stringMatching(/^The PR's list of changed files is 3,412 files; the limit is 3,000 files/) });
  expect(verdict.items.find((i) => i.id === "rollback-contract")?.status).toBe("pass");
});

it("a proposed config over the cap fails the config-change item naming the cap", () => {
  const over = checkLimit("config", 31_457_280, "`.github/release-gate.yml` at the PR head")!;
  const verdict = evaluateReadiness(facts({ changedFiles: [".github/release-gate.yml"], overLimits: [over] }), defaultConfig());
  expect(verdict.items.find((i) => i.id === "config-change")).toMatchObject({
    status: "fail",
    reason: "`.github/release-gate.yml` at the PR head is 30 MiB; the limit is 64 KiB; it was not read.",
  });
  expect(verdict.items.find((i) => i.id === "rollback-contract")?.status).toBe("pass");
  expect(verdict.conclusion).toBe("failure");
});

it("a migration over the cap fails the schema-migration item even with the compatibility box checked", () => {
  const over = checkLimit("migrationFile", 2 * 1024 * 1024, "`db/migrations/1.sql`")!;
  const f = facts({ body: GOOD + CLAIM, changedFiles: ["db/migrations/1.sql"], overLimits: [over] });
  expect(item(f, "schema-migration")).toMatchObject({ status: "fail", reason: "Not analysed: `db/migrations/1.sql` is 2 MiB; the limit is 1 MiB." });
  // Without the refusal the same PR passes: the failure is the cap's.
  expect(item({ ...f, overLimits: [] }, "schema-migration")?.status).toBe("pass");
});
