import { defaultConfig, parseConfigText } from "../../../src/core/config/parse-config.js";
import type { ReleaseGateConfig } from "../../../src/core/config/schema.js";
import { PR_TEMPLATE } from "../../../src/core/plan/template.js";
import { evaluateReadiness } from "../../../src/core/rules/evaluate-readiness.js";
import type { PullFacts } from "../../../src/core/rules/types.js";

const GOOD_ROLLBACK = "## Rollback contract\nProcedure: turn off the `checkout-v2` flag.\nTriggers: error rate > 1% for 5m; p99 latency > 2x baseline\n";

function facts(overrides: Partial<PullFacts> = {}): PullFacts {
  return {
    number: 7,
    title: "fix: handle empty carts",
    body: GOOD_ROLLBACK,
    author: "octocat",
    headSha: "a".repeat(40),
    labels: [],
    changedFiles: ["src/cart.ts"],
    changedFilesTruncated: false,
    ...overrides,
  };
}

function config(yaml = ""): ReleaseGateConfig {
  const result = parseConfigText({ file: ".github/release-gate.yml", text: yaml });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const item = (f: PullFacts, id: string, c = defaultConfig()) => evaluateReadiness(f, c).items.find((i) => i.id === id);

describe("rollback contract", () => {
  it("passes with a procedure and numeric triggers, and returns the triggers as gates", () => {
    const verdict = evaluateReadiness(facts(), defaultConfig());
    expect(verdict.conclusion).toBe("success");
    expect(verdict.items.find((i) => i.id === "rollback-contract")).toMatchObject({ status: "pass" });
    expect(verdict.triggers.map((t) => t.metric)).toEqual(["error-rate", "p99-latency"]);
  });

  it.each([
    ["no section", "## Summary\nstuff", /No rollback contract section/],
    ["the template", PR_TEMPLATE, /empty or still the template/],
    ["vague text", "## Rollback contract\nRevert if it breaks.", /vague: no trigger with a number/],
    ["no procedure", "## Rollback contract\nerror rate > 1%", /no procedure/],
    ["neither", "## Rollback contract\nWe will be careful.", /neither a rollback procedure nor a numeric trigger/],
  ])("fails on %s with an explanation and a fix", (_name, body, reason) => {
    const result = item(facts({ body }), "rollback-contract");
    expect(result).toMatchObject({ status: "fail", required: true });
    expect(result?.reason).toMatch(reason);
    expect(result?.fix).toBeTruthy();
  });

  it("fails for a null body (GitHub sends null for an empty description)", () => {
    expect(evaluateReadiness(facts({ body: null }), defaultConfig()).conclusion).toBe("failure");
  });

  it("can be made optional", () => {
    const verdict = evaluateReadiness(facts({ body: "" }), config("rollback:\n  required: false\n"));
    expect(verdict.conclusion).toBe("success");
    expect(verdict.items.find((i) => i.id === "rollback-contract")).toMatchObject({ status: "fail", required: false });
  });

  it("honours renamed headings", () => {
    const body = "## Undo plan\nredeploy the previous release if 5xx > 0.5%";
    expect(item(facts({ body }), "rollback-contract", config("headings:\n  rollback: [Undo plan]\n"))?.status).toBe("pass");
  });
});

describe("schema migration", () => {
  const migration = ["db/migrations/20261123_add_col.sql"];
  it("does not apply without migration files", () => {
    expect(item(facts(), "schema-migration")).toMatchObject({ status: "not-applicable", required: false });
  });

  it.each(["db/migrations/1.sql", "prisma/migrations/2026/migration.sql", "app/migrate/x.rb", "schema.sql"])("applies to %s", (path) => {
    expect(item(facts({ changedFiles: [path] }), "schema-migration")?.status).toBe("fail");
  });

  it("passes with a checked backward-compatibility box", () => {
    const body = `${GOOD_ROLLBACK}## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)\n`;
    expect(item(facts({ body, changedFiles: migration }), "schema-migration")?.status).toBe("pass");
  });

  it("fails with the box unchecked, or when the plan denies a migration", () => {
    const unchecked = `## Schema migration\n- [ ] This migration is backward compatible with the running version (expand/contract)\n`;
    expect(item(facts({ body: unchecked, changedFiles: migration }), "schema-migration")?.reason).toMatch(/without a checked/);
    const denied = `## Schema migration\n- [ ] backward compatible\n- [x] This PR has no schema migration\n`;
    expect(item(facts({ body: denied, changedFiles: migration }), "schema-migration")?.reason).toMatch(/says there is no schema migration/);
  });

  it("uses configured globs", () => {
    const c = config("migrations:\n  paths: ['schema/**']\n");
    expect(item(facts({ changedFiles: ["db/migrations/1.sql"] }), "schema-migration", c)?.status).toBe("not-applicable");
    expect(item(facts({ changedFiles: ["schema/a.sql"] }), "schema-migration", c)?.status).toBe("fail");
  });
});

describe("communication", () => {
  const note = "## Communication\nAudience: customers and support.\nWhat changes: checkout shows saved cards first.\n";
  it("applies to a user-facing label, a feat title, or configured paths", () => {
    expect(item(facts({ labels: ["User-Facing"] }), "communication")?.status).toBe("fail");
    expect(item(facts({ title: "feat(checkout): saved cards" }), "communication")?.status).toBe("fail");
    expect(item(facts({ title: "feat!: breaking" }), "communication")?.status).toBe("fail");
    expect(item(facts({ title: "fix: feat flag" }), "communication")?.status).toBe("not-applicable");
    const c = config("communication:\n  paths: ['src/ui/**']\n");
    expect(item(facts({ changedFiles: ["src/ui/button.tsx"] }), "communication", c)?.status).toBe("fail");
  });

  it("passes with an audience and what changes", () => {
    expect(item(facts({ title: "feat: x", body: GOOD_ROLLBACK + note }), "communication")).toMatchObject({ status: "pass" });
  });

  it("fails with no audience, the template, or too little text", () => {
    const noAudience = "## Communication\nWhat changes: checkout shows saved cards first.\n";
    expect(item(facts({ title: "feat: x", body: noAudience }), "communication")?.reason).toMatch(/names no audience/);
    expect(item(facts({ title: "feat: x", body: PR_TEMPLATE }), "communication")?.reason).toMatch(/still the template/);
    expect(item(facts({ title: "feat: x", body: "## Communication\nsupport" }), "communication")?.reason).toMatch(/too short/);
  });

  it("matches audience words whole, not inside other words", () => {
    const body = "## Communication\nWhat changes: the supportive banner is gone from checkout.\n";
    expect(item(facts({ title: "feat: x", body }), "communication")?.status).toBe("fail");
  });
});

describe("high-risk paths", () => {
  const c = config(
    "high-risk:\n  - name: payments\n    paths: ['src/payments/**']\n    approvals: 2\n    label: risk-accepted\n    stages:\n      - { name: canary, percent: 1, observe: 2h }\n      - { name: full, percent: 100, observe: 48h }\n",
  );
  const risky = facts({ changedFiles: ["src/payments/charge.ts"] });

  it("lists every missing requirement", () => {
    const result = item({ ...risky, approvers: ["alice"] }, "high-risk:payments", c);
    expect(result?.status).toBe("fail");
    expect(result?.reason).toMatch(/1 of 2 approvals; label `risk-accepted` missing/);
  });

  it("does not count the author's own approval", () => {
    const result = item({ ...risky, approvers: ["octocat", "alice"], labels: ["risk-accepted"] }, "high-risk:payments", c);
    expect(result?.status).toBe("fail");
  });

  it("passes when met, and switches to the slower rollout plan", () => {
    const verdict = evaluateReadiness({ ...risky, approvers: ["alice", "bob"], labels: ["risk-accepted"] }, c);
    expect(verdict.items.find((i) => i.id === "high-risk:payments")?.status).toBe("pass");
    expect(verdict.stages.map((s) => s.name)).toEqual(["canary", "full"]);
  });

  it("adds nothing for PRs outside the paths", () => {
    expect(evaluateReadiness(facts(), c).items.some((i) => i.id.startsWith("high-risk"))).toBe(false);
    expect(evaluateReadiness(facts(), c).stages).toHaveLength(4);
  });
});

describe("config change", () => {
  it("validates the proposed config file and annotates its lines", () => {
    const f = facts({
      changedFiles: [".github/release-gate.yml"],
      proposedConfigProblems: [{ file: ".github/release-gate.yml", line: 3, column: 5, key: "rollout", message: "bad" }],
    });
    const verdict = evaluateReadiness(f, defaultConfig());
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.annotations).toEqual([expect.objectContaining({ path: ".github/release-gate.yml", startLine: 3, level: "failure" })]);
    expect(evaluateReadiness({ ...f, proposedConfigProblems: [] }, defaultConfig()).conclusion).toBe("success");
  });
});

it("warns when GitHub truncated the changed-file list", () => {
  expect(evaluateReadiness(facts({ changedFilesTruncated: true }), defaultConfig()).warnings[0]).toMatch(/only the first 1 changed files/);
});
