// At 100% after the verify window the release gets its record: a GitHub Release when the repository
// publishes releases, else a release-note comment on the PR; once, whatever the redeliveries. Real
// Probot, real webhook payloads, the stateful fake GitHub behind nock, REST conformance checked.
import type { Probot } from "probot";
import { FakeRelease, APP_LOGIN } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { nockFakeGitHub, type NockFake } from "../support/nock-fake-github.js";
import { deploymentStatusEvent, FAST_STAGES_CONFIG, postComment, seedRelease, type SeededRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { createTestProbot } from "../support/test-probot.js";
import { APP_IDENTITY } from "../support/fake-deployment-routes.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";

let probot: Probot;
let repos: FakeRepos;
let release: FakeRelease;
let github: NockFake;
let seeded: SeededRelease;
let delivery = 0;

beforeEach(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = nockFakeGitHub([...release.routes(), ...repos.routes()]);
  repos.setFile(OWNER, REPO, ".github/release-gate.yml", FAST_STAGES_CONFIG);
  seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 7, seed: "a" });
  probot = await createTestProbot();
});

afterEach(() => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })), { allowNone: true });
});

const ours = () => release.deploymentsOf(OWNER, REPO, 7);

async function rollOutToFull() {
  for (const login of ["alice", "alice", "mia"]) {
    const payload = postComment(release, { owner: OWNER, repo: REPO, pull: 7, body: "/release advance", login });
    await probot.receive({ id: `c-${++delivery}`, name: "issue_comment", payload } as any);
    release.addStatus(ours().at(-1)!.id, "success");
  }
  const full = ours().at(-1)!;
  expect((full.payload as any).percent).toBe(100);
  return full;
}

async function statusEvent(deployment: ReturnType<typeof ours>[number], state: string) {
  const before = github.requests.length;
  await probot.receive({ id: `ds-${++delivery}`, name: "deployment_status", payload: deploymentStatusEvent(OWNER, REPO, deployment, state) } as any);
  return github.requests.slice(before).filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"));
}

describe("the release record at 100%", () => {
  it("posts the rollout log as a release-note comment when the repository has no releases: 2 writes, once", async () => {
    const full = await rollOutToFull();
    const writes = await statusEvent(full, "success");
    // The seeded plan names a release flag: its removal issue (claim + issue) comes first, then the
    // record (claim + comment), then the status comment's edit.
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/issues",
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/issues/7/comments",
      expect.stringMatching(/^PATCH \/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+$/),
    ]);
    expect(writes[2]!.body).toEqual({ ref: "refs/release-gate/pr-7/release-record", sha: seeded.mergeSha });
    const note = release.comments.find((c) => c.issueNumber === 7 && c.body.startsWith("<!-- release-gate:release-record pr-7 -->"))!;
    expect(note.user.login).toBe(APP_LOGIN);
    expect(note.body).toContain("| canary | 1% |");
    expect(note.body).toContain("| full | 100% |");
    expect(note.body).toMatch(/\| full \| 100% \| success \|/);
    expect(release.githubReleases).toEqual([]);
    // A redelivery (and a second replica) records nothing more: the claim is taken.
    const again = await statusEvent(full, "success");
    expect(again.filter((w) => w.path.endsWith("/issues/7/comments") || w.path.endsWith("/releases"))).toHaveLength(0);
    expect(release.comments.filter((c) => c.body.startsWith("<!-- release-gate:release-record"))).toHaveLength(1);
  });

  it("creates a GitHub Release at the deployed commit when the repository publishes releases", async () => {
    release.githubReleases.push({ id: 1, owner: OWNER, repo: REPO, tag_name: "v1.0.0", target_commitish: "main", name: "v1.0.0", body: "", draft: false, prerelease: false, created_at: "2026-11-01T00:00:00Z", by: { login: "octocat", type: "User", app: null } });
    const full = await rollOutToFull();
    const writes = await statusEvent(full, "success");
    expect(writes.map((w) => `${w.method} ${w.path}`).slice(2)).toEqual([
      "POST /repos/Codertocat/Hello-World/git/refs",
      "POST /repos/Codertocat/Hello-World/releases",
      expect.stringMatching(/^PATCH \/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+$/),
    ]);
    const created = release.githubReleases.at(-1)!;
    expect(created).toMatchObject({ tag_name: "release-gate/pr-7", target_commitish: seeded.mergeSha, name: "#7 fix: saved cards", draft: false, by: APP_IDENTITY });
    expect(created.body).toContain("### Rollout log");
    expect(created.body).toMatch(/\| full \| 100% \| success \|/);
    expect(release.statusComments(OWNER, REPO, 7)[0]!.body).toContain("release-gate/pr-7");
  });

  it("records nothing for an earlier stage, a failed last stage, or a last-stage success nobody trusted wrote", async () => {
    for (const login of ["alice", "alice", "mia"]) {
      const payload = postComment(release, { owner: OWNER, repo: REPO, pull: 7, body: "/release advance", login });
      await probot.receive({ id: `c-${++delivery}`, name: "issue_comment", payload } as any);
      const started = ours().at(-1)!;
      if ((started.payload as any).percent < 100) {
        release.addStatus(started.id, "success");
        await statusEvent(started, "success");
      }
    }
    const full = ours().at(-1)!;
    expect((full.payload as any).percent).toBe(100);
    // A success on the last stage written by a person's token is not the runner's verdict.
    release.addStatus(full.id, "success", "forged", "mallory");
    await statusEvent(full, "success");
    release.addStatus(full.id, "failure");
    await statusEvent(full, "failure");
    expect(release.refs.has(`${OWNER}/${REPO}:refs/release-gate/pr-7/release-record`)).toBe(false);
    expect(release.comments.filter((c) => c.body.startsWith("<!-- release-gate:release-record"))).toHaveLength(0);
    expect(release.githubReleases).toEqual([]);
  });
});
