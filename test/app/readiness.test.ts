// The readiness check through the real Probot app: real webhook payloads in, GitHub mocked with nock.
import nock from "nock";
import type { Probot } from "probot";
import { visibleText } from "../support/markdown-oracle.js";
import { expectConformingRequests, recordNockRequests, type NockRecorder } from "../support/rest-conformance.js";
import { contentsReply } from "../support/fake-readiness-routes.js";
import { createTestProbot } from "../support/test-probot.js";
import { webhookExample } from "../support/webhook-examples.js";

const API = "https://api.github.com";
const OWNER = "Codertocat";
const REPO = "Hello-World";
const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const CONFIG = /\/contents\/\.github(?:%2F|\/)release-gate\.yml/;

const GOOD_BODY = [
  "## Rollback contract",
  "Procedure: turn off the `checkout-v2` flag, then redeploy the previous release.",
  "Triggers: error rate > 1% for 5m; p99 latency > 2x baseline",
].join("\n");

interface PullSpec {
  number?: number;
  body?: string | null;
  title?: string;
  labels?: string[];
  state?: "open" | "closed";
  merged?: boolean;
  headSha?: string;
  files?: Array<string | ListedFile>;
  headRepo?: { owner: string; repo: string };
}

/** A PR file as GET /pulls/{n}/files lists it. */
interface ListedFile {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  additions: number;
  deletions?: number;
  patch?: string;
}

const listed = (f: string | ListedFile) =>
  typeof f === "string" ? { filename: f, status: "modified", additions: 1, deletions: 0, changes: 1 } : { deletions: 0, changes: f.additions + (f.deletions ?? 0), ...f };

/** A live PR as GET /pulls/{n} returns it, built on the real example payload. */
function livePull(spec: PullSpec) {
  const pull = webhookExample("pull_request", "opened").pull_request;
  pull.number = spec.number ?? 2;
  pull.body = spec.body === undefined ? GOOD_BODY : spec.body;
  pull.title = spec.title ?? "fix: handle empty carts";
  pull.labels = (spec.labels ?? []).map((name, i) => ({ id: i + 1, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null }));
  pull.state = spec.state ?? "open";
  pull.merged = spec.merged ?? false;
  pull.head.sha = spec.headSha ?? SHA;
  pull.changed_files = (spec.files ?? ["src/cart.ts"]).length;
  if (spec.headRepo) {
    pull.head.repo.owner.login = spec.headRepo.owner;
    pull.head.repo.name = spec.headRepo.repo;
  }
  return pull;
}

interface Expectations {
  pull?: PullSpec;
  config?: string | "missing";
  orgConfig?: string | "missing";
  existingRunId?: number;
  existingStamp?: string;
  /** Files served by the contents API at the head SHA; other listed .sql files answer 404. */
  contents?: Record<string, string>;
}

/** Mocks the reads of one readiness evaluation and captures the check-run write. */
function mockReadiness(expect: Expectations = {}) {
  const pull = livePull(expect.pull ?? {});
  const files = expect.pull?.files ?? ["src/cart.ts"];
  const written: { method: string; body: any }[] = [];
  const scope = api()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .optionally()
    .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString() })
    .get(`/repos/${OWNER}/${REPO}/pulls/${pull.number}`)
    .reply(200, pull)
    .get(`/repos/${OWNER}/${REPO}/pulls/${pull.number}/files`)
    .query({ per_page: 100 })
    .reply(200, files.map(listed));
  for (const [path, text] of Object.entries(expect.contents ?? {})) {
    scope
      .get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent(path)}`)
      .query({ ref: pull.head.sha })
      .reply(contentsReply(path, text));
  }
  const config = expect.config ?? "missing";
  if (config === "missing") {
    scope.get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`)).reply(404, { message: "Not Found" });
    const org = expect.orgConfig ?? "missing";
    scope.get(new RegExp(`/repos/${OWNER}/\\.github${CONFIG.source}`)).reply(org === "missing" ? 404 : 200, org === "missing" ? { message: "Not Found" } : org);
  } else {
    scope.get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`)).reply(200, config, { "content-type": "text/plain; charset=utf-8" });
  }
  // The flag-debt read (one list call of the open removal issues); not made when the config fails.
  scope
    .get(`/repos/${OWNER}/${REPO}/issues`)
    .query({ state: "open", labels: "flag-removal", sort: "created", direction: "asc", per_page: 100 })
    .optionally()
    .reply(200, []);
  scope
    .get(`/repos/${OWNER}/${REPO}/commits/${pull.head.sha}/check-runs`)
    .query({ check_name: "Release readiness", app_id: 123, filter: "latest", per_page: 100 })
    .reply(200, {
      total_count: expect.existingRunId ? 1 : 0,
      check_runs: expect.existingRunId
        ? [{ id: expect.existingRunId, head_sha: pull.head.sha, external_id: `release-gate:pr-${pull.number}${expect.existingStamp ? `@${expect.existingStamp}` : ""}`, status: "completed", conclusion: "failure", name: "Release readiness", app: { id: 123, slug: "release-gate" } }]
        : [],
    });
  if (expect.existingStamp && expect.existingStamp > pull.updated_at) {
    // A newer verdict is already there: no write expected.
  } else if (expect.existingRunId) {
    scope.patch(`/repos/${OWNER}/${REPO}/check-runs/${expect.existingRunId}`).reply(200, (_uri, body) => {
      written.push({ method: "PATCH", body });
      return { id: expect.existingRunId };
    });
  } else {
    scope.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, (_uri, body) => {
      written.push({ method: "POST", body });
      return { id: 4242 };
    });
  }
  return { scope, written };
}

/** Records "METHOD path" for every request a scope intercepts. */
function recordRequests(scope: nock.Scope): string[] {
  const seen: string[] = [];
  scope.on("request", (req: { method: string; path: string }) => seen.push(`${req.method} ${req.path}`));
  return seen;
}

let probot: Probot;
let recorder: NockRecorder;

/** A nock scope for GitHub whose requests are checked against GitHub's REST API description. */
function api(): nock.Scope {
  const scope = nock(API);
  recorder.add(scope);
  return scope;
}

beforeEach(async () => {
  recorder = recordNockRequests();
  probot = await createTestProbot();
});

afterEach(() => {
  recorder.stop();
  expectConformingRequests(recorder.requests(), { allowNone: true });
});

function prEvent(action: string, overrides: (payload: any) => void = () => undefined) {
  const payload = webhookExample("pull_request", action === "edited" ? "opened" : action);
  payload.action = action;
  if (action === "edited") payload.changes = { body: { from: "old body" } };
  overrides(payload);
  return { id: `delivery-${action}-${Math.random()}`, name: "pull_request" as const, payload };
}

describe("pull_request events", () => {
  it.each(["opened", "edited", "synchronize", "reopened", "labeled", "unlabeled", "ready_for_review"])(
    "%s: creates one completed check run with one write",
    async (action) => {
      const { written, scope } = mockReadiness();
      const requests = recordRequests(scope);
      await probot.receive(prEvent(action));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({
        method: "POST",
        body: {
          name: "Release readiness",
          head_sha: SHA,
          status: "completed",
          conclusion: "success",
          external_id: `release-gate:pr-2@${livePull({}).updated_at}`,
          output: { title: "Ready to release" },
        },
      });
      const api = requests.filter((r) => !r.includes("access_tokens"));
      expect(api.filter((r) => !r.startsWith("GET"))).toHaveLength(1);
      // The PR, its files, the config (repo, then org), the open flag-removal issues, the existing run.
      expect(api.filter((r) => r.startsWith("GET")).length).toBeLessThanOrEqual(6);
      expect(api).toContain(`GET /repos/${OWNER}/${REPO}/issues?state=open&labels=flag-removal&sort=created&direction=asc&per_page=100`);
    },
  );

  it("re-reads the live PR body instead of the webhook's stale copy", async () => {
    const { written } = mockReadiness({ pull: { body: "Revert if it breaks." } });
    await probot.receive(prEvent("edited", (p) => (p.pull_request.body = GOOD_BODY)));
    expect(written[0]?.body.conclusion).toBe("failure");
    expect(written[0]?.body.output.title).toBe("Not ready: rollback contract");
  });

  it("updates the existing run for the head SHA instead of adding another", async () => {
    const { written } = mockReadiness({ existingRunId: 99, pull: { body: null } });
    await probot.receive(prEvent("edited"));
    expect(written).toEqual([expect.objectContaining({ method: "PATCH" })]);
    expect(written[0]?.body).toMatchObject({ conclusion: "failure", status: "completed", name: "Release readiness" });
    expect(written[0]?.body.head_sha).toBeUndefined();
  });

  it("never overwrites a verdict computed from a newer state of the PR", async () => {
    const { written } = mockReadiness({ existingRunId: 99, existingStamp: "2999-01-01T00:00:00Z", pull: { body: null } });
    await probot.receive(prEvent("labeled"));
    expect(written).toEqual([]);
  });

  it("updates a verdict computed from an older state of the PR", async () => {
    const { written } = mockReadiness({ existingRunId: 99, existingStamp: "2000-01-01T00:00:00Z" });
    await probot.receive(prEvent("labeled"));
    expect(written).toEqual([expect.objectContaining({ method: "PATCH" })]);
  });

  it("evaluates simultaneous events for one PR one after the other, creating one run", async () => {
    // GitHub fires `opened` and `labeled` together for a PR created with a label. The check-run list
    // answers from what was written so far, as GitHub would.
    const pull = livePull({});
    const written: string[] = [];
    const run = () => ({ id: 4242, head_sha: SHA, external_id: `release-gate:pr-2@${pull.updated_at}`, status: "completed", conclusion: "success", app: { id: 123 } });
    api()
      .post(/\/app\/installations\/\d+\/access_tokens/)
      .times(2)
      .optionally()
      .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString() })
      .get(`/repos/${OWNER}/${REPO}/pulls/2`)
      .times(2)
      .reply(200, pull)
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query(true)
      .times(2)
      .reply(200, [{ filename: "src/cart.ts", status: "modified" }])
      .get(new RegExp(`/repos/${OWNER}/\\.?(?:github|${REPO})${CONFIG.source}`))
      .times(4)
      .reply(404)
      .get(`/repos/${OWNER}/${REPO}/commits/${SHA}/check-runs`)
      .query(true)
      .times(2)
      .reply(200, () => ({ total_count: written.length > 0 ? 1 : 0, check_runs: written.length > 0 ? [run()] : [] }))
      .post(`/repos/${OWNER}/${REPO}/check-runs`)
      .times(2)
      .optionally()
      .reply(201, () => {
        written.push("POST");
        return run();
      })
      .patch(`/repos/${OWNER}/${REPO}/check-runs/4242`)
      .times(2)
      .optionally()
      .reply(200, () => {
        written.push("PATCH");
        return run();
      });
    await Promise.all([probot.receive(prEvent("opened")), probot.receive(prEvent("labeled"))]);
    expect(written).toEqual(["POST", "PATCH"]);
  });

  it("writes a table of items with why and how to fix", async () => {
    const { written } = mockReadiness({
      pull: { body: null, title: "feat: saved cards", files: ["db/migrations/001_cards.sql"] },
      contents: { "db/migrations/001_cards.sql": "CREATE TABLE cards (id bigint PRIMARY KEY);\n" },
    });
    await probot.receive(prEvent("opened"));
    const summary: string = written[0]?.body.output.summary;
    expect(written[0]?.body.output.title).toBe("Not ready: rollback contract, schema migration, communication note");
    expect(summary).toContain("| Item | Status | Why | How to fix |");
    expect(summary).toMatch(/\| Rollback contract \| ❌ fail \| No rollback contract section/);
    expect(summary).toMatch(/\| Schema migration \| ❌ fail \| Migrations changed \(`db\/migrations\/001_cards.sql`\)/);
    expect(summary).toMatch(/\| Communication note \| ❌ fail \| User-visible \(title\)/);
  });

  it("gives no verdict for a PR closed without merge, and writes nothing", async () => {
    const pull = livePull({ state: "closed" });
    api()
      .post(/\/app\/installations\/\d+\/access_tokens/)
      .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString() })
      .get(`/repos/${OWNER}/${REPO}/pulls/2`)
      .reply(200, pull)
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query(true)
      .reply(200, []);
    await probot.receive(prEvent("labeled"));
  });

  it("pages through changed files (up to GitHub's 3000)", async () => {
    const files = Array.from({ length: 230 }, (_, i) => (i === 229 ? "db/migrations/230.sql" : `src/f${i}.ts`));
    const pull = livePull({ files });
    const page = (n: number) => files.slice((n - 1) * 100, n * 100).map((filename) => ({ filename, status: "added" }));
    const link = (n: number) => `<${API}/repos/${OWNER}/${REPO}/pulls/2/files?per_page=100&page=${n}>; rel="next"`;
    const written: any[] = [];
    api()
      .post(/\/app\/installations\/\d+\/access_tokens/)
      .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3600_000).toISOString() })
      .get(`/repos/${OWNER}/${REPO}/pulls/2`)
      .reply(200, pull)
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: 100 })
      .reply(200, page(1), { link: link(2) })
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: 100, page: 2 })
      .reply(200, page(2), { link: link(3) })
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: 100, page: 3 })
      .reply(200, page(3))
      .get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent("db/migrations/230.sql")}`)
      .query({ ref: SHA })
      .reply(contentsReply("db/migrations/230.sql", "CREATE TABLE t (id int);\n"))
      .get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`))
      .reply(404)
      .get(new RegExp(`/repos/${OWNER}/\\.github${CONFIG.source}`))
      .reply(404)
      .get(`/repos/${OWNER}/${REPO}/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`/repos/${OWNER}/${REPO}/check-runs`)
      .reply(201, (_u, body) => {
        written.push(body);
        return { id: 1 };
      });
    await probot.receive(prEvent("synchronize"));
    // The only migration is on the last page.
    expect(written[0].output.summary).toMatch(/Migrations changed \(`db\/migrations\/230.sql`\)/);
  });
});

describe("configuration", () => {
  it("uses the repo's config from the default branch", async () => {
    const { written } = mockReadiness({ config: "rollback:\n  required: false\n", pull: { body: null } });
    await probot.receive(prEvent("opened"));
    expect(written[0]?.body.conclusion).toBe("success");
    expect(visibleText(written[0]?.body.output.summary)).toContain("Config: .github/release-gate.yml");
  });

  it("falls back to the org's .github repository", async () => {
    const { written } = mockReadiness({ orgConfig: "rollback:\n  required: false\n", pull: { body: null } });
    await probot.receive(prEvent("opened"));
    expect(written[0]?.body.conclusion).toBe("success");
    expect(visibleText(written[0]?.body.output.summary)).toContain("Config: Codertocat/.github:.github/release-gate.yml");
  });

  it("fails the check with file, line and column for a schema violation, and annotates the line", async () => {
    const text = "rollout:\n  environment: production\n  stages:\n    - name: canary\n      percent: 1\n      observe: half an hour\n";
    const { written, scope } = mockReadiness({ config: text });
    // Locating the problem re-reads the raw text once, only on this failure path.
    scope.get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`)).reply(200, text);
    await probot.receive(prEvent("opened"));
    const body = written[0]?.body;
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).toMatch(/^Invalid config: \.github\/release-gate\.yml:6:16: `rollout\.stages\[0\]\.observe`: expected a duration/);
    expect(body.output.summary).toContain("`.github/release-gate.yml:6:16`");
    expect(body.output.annotations).toEqual([
      expect.objectContaining({ path: ".github/release-gate.yml", start_line: 6, end_line: 6, annotation_level: "failure" }),
    ]);
  });

  it("fails the check with a position for invalid YAML, never crashing", async () => {
    const { written } = mockReadiness({ config: "rollout:\n  stages: [\n" });
    await probot.receive(prEvent("opened"));
    expect(written[0]?.body.conclusion).toBe("failure");
    expect(written[0]?.body.output.title).toMatch(/^Invalid config: \.github\/release-gate\.yml:\d+:\d+: invalid YAML/);
  });

  it("validates the config a PR proposes, read at the head SHA, without applying it", async () => {
    const { written, scope } = mockReadiness({ pull: { files: [".github/release-gate.yml"] } });
    scope
      .get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`))
      .query({ ref: SHA })
      .reply(contentsReply(".github/release-gate.yml", "rollback:\n  required: nope\n"));
    await probot.receive(prEvent("synchronize"));
    const body = written[0]?.body;
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toMatch(/Release Gate config change \| ❌ fail \| The proposed `.github\/release-gate.yml` is invalid: .*:2:13/);
    expect(body.output.annotations[0]).toMatchObject({ path: ".github/release-gate.yml", start_line: 2 });
  });

  it("teaches in the summary and the annotation: a YAML 1.1 boolean and a misspelled key, each at its line", async () => {
    const { written, scope } = mockReadiness({ pull: { files: [".github/release-gate.yml"] } });
    scope
      .get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`))
      .query({ ref: SHA })
      .reply(contentsReply(".github/release-gate.yml", "rollback:\n  required: no\nrolout:\n  environment: production\n"));
    await probot.receive(prEvent("synchronize"));
    const body = written[0]?.body;
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toContain("`rollback.required`: `no` is a string in YAML 1.2; write `false`");
    expect(body.output.summary).toContain("(+1 more)");
    expect(body.output.annotations.map((a: any) => [a.start_line, a.message])).toEqual([
      [2, expect.stringContaining("is a string in YAML 1.2; write")],
      [3, expect.stringContaining("unknown key \"rolout\"; did you mean \"rollout\"?")],
    ]);
  });

  it("annotates at most 50 lines in its one write and counts the rest in the summary", async () => {
    const { written, scope } = mockReadiness({ pull: { files: [".github/release-gate.yml"] } });
    const stages = Array.from({ length: 60 }, (_, i) => `    - { name: s${i}, percent: ${i + 1}, observe: soon }`).join("\n");
    scope
      .get(new RegExp(`/repos/${OWNER}/${REPO}${CONFIG.source}`))
      .query({ ref: SHA })
      .reply(contentsReply(".github/release-gate.yml", `rollout:\n  stages:\n${stages}\n`));
    // No PATCH is mocked: a second write would fail the test (nock refuses it).
    await probot.receive(prEvent("synchronize"));
    expect(written).toHaveLength(1);
    expect(written[0]?.body.output.annotations).toHaveLength(50);
    expect(new Set(written[0]!.body.output.annotations.map((a: any) => a.start_line)).size).toBe(50);
    expect(written[0]?.body.output.summary).toMatch(/and 10 more findings in 1 file/);
  });
});

describe("re-runs", () => {
  it("check_run.rerequested on our run re-evaluates the PR named by its external id", async () => {
    const { written } = mockReadiness({ existingRunId: 7, pull: { number: 5 } });
    const payload = webhookExample("check_run", "rerequested");
    payload.repository.owner.login = OWNER;
    payload.repository.name = REPO;
    payload.check_run.name = "Release readiness";
    payload.check_run.external_id = "release-gate:pr-5";
    payload.check_run.app.id = 123;
    await probot.receive({ id: "rerun-1", name: "check_run", payload });
    expect(written).toEqual([expect.objectContaining({ method: "PATCH" })]);
  });

  it("check_run.rerequested on another app's run named Release readiness does nothing", async () => {
    const payload = webhookExample("check_run", "rerequested");
    payload.repository.owner.login = OWNER;
    payload.repository.name = REPO;
    payload.check_run.name = "Release readiness";
    payload.check_run.external_id = "release-gate:pr-5";
    payload.check_run.app.id = 999;
    api().post(/\/app\/installations\/\d+\/access_tokens/).optionally().reply(201, { token: "ghs_test", permissions: { checks: "write" } });
    await probot.receive({ id: "rerun-foreign", name: "check_run", payload });
  });

  it("ignores re-runs of other checks", async () => {
    const payload = webhookExample("check_run", "rerequested");
    await probot.receive({ id: "rerun-2", name: "check_run", payload });
  });

  it("check_suite.rerequested re-evaluates the suite's PRs", async () => {
    const payload = webhookExample("check_suite", "rerequested");
    const number = payload.check_suite.pull_requests[0].number;
    const { written } = mockReadiness({ pull: { number } });
    await probot.receive({ id: "suite-1", name: "check_suite", payload });
    expect(written).toHaveLength(1);
  });
});

describe("high-risk paths", () => {
  it("reads reviews only when a group needs approvals, and counts the latest per reviewer", async () => {
    const config = "high-risk:\n  - name: payments\n    paths: ['src/payments/**']\n    approvals: 2\n";
    const { written, scope } = mockReadiness({ config, pull: { files: ["src/payments/charge.ts"] } });
    scope.get(`/repos/${OWNER}/${REPO}/pulls/2/reviews`).query({ per_page: 100 }).reply(200, [
      { id: 1, user: { login: "alice" }, state: "APPROVED" },
      { id: 2, user: { login: "bob" }, state: "APPROVED" },
      { id: 3, user: { login: "bob" }, state: "CHANGES_REQUESTED" },
      { id: 4, user: { login: "alice" }, state: "COMMENTED" },
    ]);
    const payload = webhookExample("pull_request_review", "submitted");
    await probot.receive({ id: "review-1", name: "pull_request_review", payload });
    expect(written[0]?.body.conclusion).toBe("failure");
    expect(written[0]?.body.output.summary).toMatch(/1 of 2 approvals/);
  });
});

describe("re-runs from forks", () => {
  it("finds a fork PR by its head SHA when the suite lists no PRs", async () => {
    const payload = webhookExample("check_suite", "rerequested");
    payload.check_suite.pull_requests = [];
    payload.check_suite.head_sha = SHA;
    payload.repository.owner.login = OWNER;
    payload.repository.name = REPO;
    const { written, scope } = mockReadiness({ pull: { number: 9, headRepo: { owner: "forker", repo: "Hello-World" } } });
    scope
      .get(`/repos/${OWNER}/${REPO}/commits/${SHA}/pulls`)
      .reply(200, [])
      .get(`/repos/${OWNER}/${REPO}/pulls`)
      .query({ state: "open", sort: "updated", direction: "desc", per_page: 100 })
      .reply(200, [livePull({ number: 8, headSha: "f".repeat(40) }), livePull({ number: 9 })]);
    await probot.receive({ id: "suite-fork", name: "check_suite", payload });
    expect(written).toHaveLength(1);
    expect(written[0]?.body.external_id).toMatch(/^release-gate:pr-9@/);
  });
});

describe("migration SQL under a backward-compatibility claim", () => {
  const CLAIM = `${GOOD_BODY}\n\n## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)\n`;
  const patchOf = (lines: string[]) => `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;

  it("fails the migration item and annotates the exact line of a dropped column (new file: read from its patch)", async () => {
    const sql = ["SET lock_timeout = '2s';", "ALTER TABLE users ADD COLUMN nickname text;", "", "ALTER TABLE users", "  DROP COLUMN email;"];
    const file: ListedFile = { filename: "db/migrations/20261123_users.sql", status: "added", additions: sql.length, patch: patchOf(sql) };
    const { written, scope } = mockReadiness({ pull: { body: CLAIM, files: [file] } });
    const requests = recordRequests(scope);
    await probot.receive(prEvent("synchronize"));
    const body = written[0]?.body;
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).toBe("Not ready: schema migration");
    expect(body.output.summary).toMatch(/\| Schema migration \| ❌ fail \| Declared backward compatible \(line \d+\), but the SQL disagrees: `drop-column` at `db\/migrations\/20261123_users.sql:5`/);
    expect(body.output.annotations).toEqual([
      expect.objectContaining({ path: "db/migrations/20261123_users.sql", start_line: 5, end_line: 5, annotation_level: "failure", title: "drop-column: Drops a column" }),
    ]);
    expect(body.output.annotations[0].message).toMatch(/Safe alternative: Contract in a later release/);
    // The new file came from its patch: no contents read.
    expect(requests.filter((r) => r.includes("/contents/db"))).toEqual([]);
  });

  it("reads a modified migration at the head, analyses all of it (not only added lines) and flags the edit of a migration on the base branch", async () => {
    // Before issue 10 this passed: only statements on added lines were reported, so the DROP COLUMN
    // on an unchanged line went unseen, and editing an already-applied migration was not flagged.
    const head = [
      "SET lock_timeout = '2s';",
      "ALTER TABLE users DROP COLUMN legacy; -- shipped last release",
      "-- release-gate: allow create-index-non-concurrently because the table has 40 rows",
      "CREATE INDEX idx_users_nick ON users (nickname);",
      "ALTER TABLE users ADD COLUMN bio text;",
    ].join("\n");
    const patch = "@@ -1,2 +1,5 @@\n SET lock_timeout = '2s';\n ALTER TABLE users DROP COLUMN legacy; -- shipped last release\n+-- release-gate: allow create-index-non-concurrently because the table has 40 rows\n+CREATE INDEX idx_users_nick ON users (nickname);\n+ALTER TABLE users ADD COLUMN bio text;";
    const file: ListedFile = { filename: "db/migrations/0007_users.sql", status: "modified", additions: 3, patch };
    const { written, scope } = mockReadiness({ pull: { body: CLAIM, files: [file] }, contents: { "db/migrations/0007_users.sql": head } });
    // The allow comment proposes an exception, so the reviews are read to see whether anyone accepted it.
    scope.get(`/repos/${OWNER}/${REPO}/pulls/2/reviews`).query({ per_page: 100 }).reply(200, []);
    const requests = recordRequests(scope);
    await probot.receive(prEvent("edited"));
    const body = written[0]?.body;
    expect(body.conclusion).toBe("failure");
    expect(body.output.annotations.map((a: { start_line: number; title: string; annotation_level: string }) => [a.start_line, a.annotation_level, a.title])).toEqual([
      [3, "failure", "edited-applied-migration: Edits a migration that already exists on the base branch"],
      [2, "failure", "drop-column: Drops a column"],
      [4, "failure", "create-index-non-concurrently: Creates an index without CONCURRENTLY"],
    ]);
    expect(body.output.annotations[0].message).toMatch(/add a new migration with the change/);
    expect(body.output.summary).toMatch(/`edited-applied-migration` at `db\/migrations\/0007_users.sql:3`, `drop-column` at `db\/migrations\/0007_users.sql:2`/);
    expect(requests.filter((r) => r.includes("/contents/db"))).toEqual([`GET /repos/${OWNER}/${REPO}/contents/db%2Fmigrations%2F0007_users.sql?ref=${SHA}`]);
  });

  it("an allow comment counts once someone other than the author with write access approves the head SHA", async () => {
    const sql = ["SET lock_timeout = '2s';", "-- release-gate: allow drop-table because nothing has read it since v12", "DROP TABLE legacy_carts;"];
    const file: ListedFile = { filename: "db/migrations/9.sql", status: "added", additions: 3, patch: patchOf(sql) };
    const example = webhookExample("pull_request_review", "submitted").review;
    const reviewBy = (id: number, login: string, state: string, commit = SHA, type = "User") => ({
      ...example,
      id,
      state,
      commit_id: commit,
      submitted_at: `2026-11-23T10:0${id}:00Z`,
      user: { ...example.user, login, type },
    });
    const { written, scope } = mockReadiness({ pull: { body: CLAIM, files: [file] } });
    const author = livePull({}).user.login;
    scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/reviews`)
      .query({ per_page: 100 })
      .reply(200, [
        reviewBy(1, author, "APPROVED"),
        reviewBy(2, "carol", "APPROVED", "0".repeat(40)),
        reviewBy(3, "release-bot[bot]", "APPROVED", SHA, "Bot"),
        reviewBy(4, "mallory", "APPROVED"),
        reviewBy(5, "bob", "APPROVED"),
      ])
      // Newest first: bob, then mallory, who approved but cannot write.
      .get(`/repos/${OWNER}/${REPO}/collaborators/bob/permission`)
      .reply(404, { message: "Not Found" })
      .get(`/repos/${OWNER}/${REPO}/collaborators/mallory/permission`)
      .reply(200, { permission: "read", role_name: "read", user: { login: "mallory" } });
    await probot.receive(prEvent("synchronize"));
    expect(written[0]?.body.conclusion).toBe("failure");
    expect(written[0]?.body.output.title).toBe("Not ready: schema migration — 1 SQL exception awaiting acceptance");

    const again = mockReadiness({ pull: { body: CLAIM, files: [file] } });
    again.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/reviews`)
      .query({ per_page: 100 })
      .reply(200, [reviewBy(1, author, "APPROVED"), reviewBy(5, "bob", "APPROVED")])
      .get(`/repos/${OWNER}/${REPO}/collaborators/bob/permission`)
      .reply(200, { permission: "write", role_name: "maintain", user: { login: "bob" } });
    await probot.receive(prEvent("synchronize"));
    const body = again.written[0]?.body;
    expect(body.conclusion).toBe("success");
    expect(body.output.title).toBe("Ready to release — 1 SQL exception accepted by @bob");
    // The summary neutralises the mention (no notification), the title is plain text.
    expect(body.output.summary).toMatch(/accepted by @\u200b?bob \(review 5 of 2026-11-23T10:05:00Z\)/);
  });

  it("warns without failing when an up migration lacks its down migration; config can require it", async () => {
    const sql = ["SET lock_timeout = '2s';", "ALTER TABLE users ADD COLUMN bio text;"];
    const file: ListedFile = { filename: "migrations/000042_bio.up.sql", status: "added", additions: 2, patch: patchOf(sql) };
    const { written } = mockReadiness({ pull: { body: CLAIM, files: [file] } });
    await probot.receive(prEvent("opened"));
    expect(written[0]?.body.conclusion).toBe("success");
    expect(written[0]?.body.output.annotations).toEqual([
      expect.objectContaining({ path: "migrations/000042_bio.up.sql", start_line: 1, annotation_level: "warning", title: "missing-down-migration: No down migration" }),
    ]);

    const strict = mockReadiness({ pull: { body: CLAIM, files: [file] }, config: "migrations:\n  require-down: true\n" });
    await probot.receive(prEvent("opened"));
    expect(strict.written[0]?.body.conclusion).toBe("failure");
    expect(strict.written[0]?.body.output.annotations[0]).toMatchObject({ annotation_level: "failure" });
  });

  it("judges with the configured PostgreSQL version and framework transaction", async () => {
    const sql = [
      "SET lock_timeout = '2s';",
      "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;",
      "ALTER TABLE users VALIDATE CONSTRAINT email_nn;",
      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    ];
    const file: ListedFile = { filename: "db/migrations/0043_email.sql", status: "added", additions: sql.length, patch: patchOf(sql) };
    const defaults = mockReadiness({ pull: { body: CLAIM, files: [file] } });
    await probot.receive(prEvent("opened"));
    expect(defaults.written[0]?.body.conclusion).toBe("success");

    const context = mockReadiness({ pull: { body: CLAIM, files: [file] }, config: "migrations:\n  postgres-version: 11\n  transaction: always\n" });
    await probot.receive(prEvent("opened"));
    expect(context.written[0]?.body.conclusion).toBe("failure");
    expect(context.written[0]?.body.output.annotations.map((a: { start_line: number; title: string }) => [a.start_line, a.title.split(":")[0]])).toEqual([
      [3, "validate-in-same-transaction"],
      [4, "set-not-null"],
    ]);
  });

  it("a rule turned off in config does not fail the claim", async () => {
    const sql = ["SET lock_timeout = '2s';", "ALTER TABLE users DROP COLUMN email;"];
    const file: ListedFile = { filename: "db/migrations/9.sql", status: "added", additions: 2, patch: patchOf(sql) };
    const { written } = mockReadiness({ pull: { body: CLAIM, files: [file] }, config: "migrations:\n  rules:\n    drop-column: off\n" });
    await probot.receive(prEvent("opened"));
    expect(written[0]?.body.conclusion).toBe("success");
    expect(written[0]?.body.output.annotations).toEqual([]);
  });
});
