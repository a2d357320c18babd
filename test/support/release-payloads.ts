// Webhook payloads for the release commands, built on the real examples of @octokit/webhooks-examples
// (the deployment_protection_rule event has no published example; it is assembled from real parts).
import { accountId, ACTIONS_IDENTITY, APP_IDENTITY, APP_LOGIN, appOf, WORKFLOW_LOGIN, type FakeDeployment, type FakeRelease } from "./fake-release-routes.js";
import type { FakeRepos } from "./fake-readiness-routes.js";
import { ACTIONS_APP, FAKE_APP, viaAppJson } from "./fake-github.js";
import { webhookExample } from "./webhook-examples.js";

export const GOOD_BODY = [
  "## Rollback contract",
  "Procedure: turn off the `saved-cards` flag, then redeploy the previous release.",
  "Triggers: error rate > 1% for 5m; p99 latency > 2x baseline",
  "",
  "## Release flag",
  "`saved-cards`",
].join("\n");

export const FAST_STAGES_CONFIG = [
  "rollout:",
  "  stages:",
  "    - { name: canary, percent: 1, observe: 0s }",
  "    - { name: half, percent: 50, observe: 0s }",
  "    - { name: full, percent: 100, observe: 0s }",
  "",
].join("\n");

function withRepo(payload: any, owner: string, repo: string, installationId: number): any {
  payload.installation = { id: installationId, node_id: "I" };
  payload.repository.owner.login = owner;
  payload.repository.name = repo;
  payload.repository.full_name = `${owner}/${repo}`;
  return payload;
}

export interface CommentSpec {
  owner: string;
  repo: string;
  pull: number;
  commentId: number;
  body: string;
  login: string;
  type?: "User" | "Bot";
  /** The author's account id (default: the fake's stable id for the login). */
  userId?: number;
  installationId?: number;
  action?: "created" | "edited";
}

/** `issue_comment.created` on a pull request (GitHub marks PR comments with `issue.pull_request`). */
export function commentEvent(spec: CommentSpec) {
  const payload = withRepo(webhookExample("issue_comment", spec.action ?? "created"), spec.owner, spec.repo, spec.installationId ?? 42);
  payload.issue.number = spec.pull;
  payload.issue.pull_request = { url: `https://api.github.com/repos/${spec.owner}/${spec.repo}/pulls/${spec.pull}`, html_url: "", diff_url: "", patch_url: "", merged_at: null };
  payload.comment.id = spec.commentId;
  payload.comment.body = spec.body;
  payload.comment.user.login = spec.login;
  payload.comment.user.type = spec.type ?? "User";
  payload.comment.user.id = spec.userId ?? accountId(spec.login);
  const app = appOf(spec.login);
  payload.comment.performed_via_github_app = app ? { id: app.id, slug: app.slug, name: app.slug } : null;
  payload.comment.html_url = `https://github.com/${spec.owner}/${spec.repo}/pull/${spec.pull}#issuecomment-${spec.commentId}`;
  payload.sender.login = spec.login;
  payload.sender.type = spec.type ?? "User";
  return payload;
}

/** A person posts a comment: stored in the fake (so reactions and listings see it) and returned as a webhook. */
export function postComment(release: FakeRelease, spec: Omit<CommentSpec, "commentId">) {
  const comment = release.addComment(spec.owner, spec.repo, spec.pull, spec.body, { login: spec.login, type: spec.type ?? "User" });
  return commentEvent({ ...spec, commentId: comment.id });
}

export function buttonEvent(spec: { owner: string; repo: string; pull: number; runId: number; headSha: string; identifier: string; login: string }) {
  const payload = withRepo(webhookExample("check_run", "requested_action"), spec.owner, spec.repo, 42);
  payload.check_run.id = spec.runId;
  payload.check_run.name = "Release readiness";
  payload.check_run.head_sha = spec.headSha;
  payload.check_run.external_id = `release-gate:pr-${spec.pull}@2026-11-23T00:00:00Z`;
  // GitHub sends requested_action only to the app that made the run: the test app (APP_ID 123).
  payload.check_run.app = { ...payload.check_run.app, id: FAKE_APP.id, slug: FAKE_APP.slug };
  payload.requested_action = { identifier: spec.identifier };
  payload.sender.login = spec.login;
  payload.sender.type = "User";
  return payload;
}

export function deploymentStatusEvent(owner: string, repo: string, deployment: FakeDeployment, state: string) {
  const payload = withRepo(webhookExample("deployment_status", "created"), owner, repo, 42);
  payload.deployment = { ...payload.deployment, id: deployment.id, sha: deployment.sha, ref: deployment.ref, environment: deployment.environment, payload: deployment.payload };
  payload.deployment_status = { ...payload.deployment_status, state, environment: deployment.environment };
  return payload;
}

/** `deployment_protection_rule.requested`, as GitHub sends it before a job bound to the Environment runs. */
export function protectionRuleEvent(owner: string, repo: string, spec: { runId: number; environment: string; event: string; deployment: FakeDeployment; pulls?: number[] }) {
  const base = withRepo(webhookExample("deployment_status", "created"), owner, repo, 42);
  return {
    action: "requested",
    environment: spec.environment,
    event: spec.event,
    deployment_callback_url: `https://api.github.com/repos/${owner}/${repo}/actions/runs/${spec.runId}/deployment_protection_rule`,
    deployment: {
      ...base.deployment,
      id: spec.deployment.id,
      sha: spec.deployment.sha,
      ref: spec.deployment.ref,
      environment: spec.environment,
      payload: spec.deployment.payload,
      creator: { ...base.deployment.creator, login: spec.deployment.by.login, type: spec.deployment.by.type },
      performed_via_github_app: viaAppJson(spec.deployment.by),
    },
    pull_requests: (spec.pulls ?? []).map((number) => ({ number, url: "", id: number })),
    repository: base.repository,
    sender: base.sender,
    installation: base.installation,
  };
}

export interface SeededRelease {
  number: number;
  headSha: string;
  mergeSha: string;
  lastGoodSha: string;
}

/**
 * A merged PR with a passing readiness run, and an earlier release that succeeded in production (the
 * last good SHA a rollback returns to). Roles: author octocat; writers alice, bob; maintainer mia; reader rita.
 */
export function seedRelease(
  repos: FakeRepos,
  release: FakeRelease,
  spec: {
    owner: string;
    repo: string;
    number: number;
    seed: string;
    merged?: boolean;
    readiness?: "success" | "failure";
    /** Who Release Gate writes as: the app (default) or, in no-server mode, the workflow's token. */
    writer?: "app" | "workflow";
  },
): SeededRelease {
  const workflow = spec.writer === "workflow";
  const headSha = spec.seed.repeat(40).slice(0, 40);
  const mergeSha = `${spec.seed}m`.repeat(20).slice(0, 40).replace(/m/g, "e");
  const lastGoodSha = `${spec.seed}0`.repeat(20).slice(0, 40);
  repos.addPull({
    owner: spec.owner,
    repo: spec.repo,
    number: spec.number,
    title: "fix: saved cards",
    body: GOOD_BODY,
    headSha,
    labels: [],
    files: ["src/cards.ts"],
    state: spec.merged === false ? "open" : "closed",
    merged: spec.merged !== false,
    mergeCommitSha: mergeSha,
    author: "octocat",
  });
  repos.checkRuns.push({
    id: 900000 + spec.number,
    owner: spec.owner,
    repo: spec.repo,
    name: "Release readiness",
    head_sha: headSha,
    status: "completed",
    conclusion: spec.readiness ?? "success",
    external_id: `release-gate:pr-${spec.number}@2026-11-23T00:00:00Z`,
    output: { title: spec.readiness === "failure" ? "Not ready: communication note" : "Ready to release", summary: "| table |" },
    writes: 1,
    app: workflow ? { ...ACTIONS_APP } : { ...FAKE_APP },
  });
  for (const [login, role] of [["octocat", "write"], ["alice", "write"], ["bob", "write"], ["mia", "maintain"], ["rita", "read"]] as const) {
    release.setRole(spec.owner, spec.repo, login, role);
  }
  release.store.add({
    id: 100 + spec.number,
    owner: spec.owner,
    repo: spec.repo,
    sha: lastGoodSha,
    environment: "production",
    payload: { stage: "full", percent: 100, release: spec.number - 1, plan: [{ name: "full", percent: 100, observe: "0s" }], triggers: [] },
    by: workflow ? ACTIONS_IDENTITY : APP_IDENTITY,
    createdAt: "2026-11-22T09:00:00Z",
  });
  release.addStatus(100 + spec.number, "success");
  return { number: spec.number, headSha, mergeSha, lastGoodSha };
}
