// What a workflow run was started by, parsed from GITHUB_EVENT_NAME and the file at GITHUB_EVENT_PATH.
import { z } from "zod";

const repository = z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) });
const actor = z.object({ login: z.string().min(1), type: z.string().default("User"), id: z.number().int().positive().optional() });

const pullRequestEvent = z.object({
  repository,
  pull_request: z.object({ number: z.number().int().positive() }),
});

const issueCommentEvent = z.object({
  action: z.string(),
  repository,
  issue: z.object({ number: z.number().int().positive(), pull_request: z.unknown().optional() }),
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().nullable(),
    html_url: z.string(),
    user: actor.nullable(),
    performed_via_github_app: z.unknown().optional(),
  }),
});

const sha = z.string().regex(/^[0-9a-f]{40}$/, { message: "expected a 40-character commit SHA" });
const mergeGroupEvent = z.object({
  action: z.string(),
  repository: repository.extend({ html_url: z.string().optional() }),
  merge_group: z.object({ base_sha: sha, head_sha: sha, head_ref: z.string().min(1), base_ref: z.string().min(1) }),
});

export const READINESS_EVENTS = ["pull_request", "pull_request_target", "pull_request_review"] as const;
/** A run no PR started: the flag-debt sweep (docs/flag-lifetime.md). */
export const SCHEDULED_EVENTS = ["schedule", "workflow_dispatch"] as const;
export const SUPPORTED_EVENTS = [...READINESS_EVENTS, "issue_comment", "merge_group", ...SCHEDULED_EVENTS] as const;

export interface PullTarget {
  owner: string;
  repo: string;
  pullNumber: number;
}

export type WorkflowEvent =
  | ({ kind: "readiness" } & PullTarget)
  | ({
      kind: "comment";
      comment: { id: number; body: string | null; url: string; author: { login: string; type: string; id?: number | undefined } | null; viaApp: boolean };
    } & PullTarget)
  | { kind: "merge-group"; owner: string; repo: string; baseSha: string; headSha: string; headRef: string; baseRef: string; repoUrl?: string | undefined }
  /** `schedule` / `workflow_dispatch`: the repository and the commit the run is on, from the runner. */
  | { kind: "scheduled"; name: string; owner: string; repo: string; sha: string }
  /** An event this step has nothing to do for (an edited comment, a comment on a plain issue). */
  | { kind: "ignored"; why: string }
  | { kind: "unsupported"; name: string };

export type EventResult = { ok: true; event: WorkflowEvent } | { ok: false; error: string };

/** What the runner says besides the event (GITHUB_REPOSITORY, GITHUB_SHA); a `schedule` payload names no repository. */
export interface RunnerFacts {
  repository?: string | undefined;
  sha?: string | undefined;
}

export function parseWorkflowEvent(name: string | undefined, payloadText: string | undefined, runner: RunnerFacts = {}): EventResult {
  if (!name) return { ok: false, error: "GITHUB_EVENT_NAME is not set; is this running inside a GitHub Actions job?" };
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(name)) return { ok: true, event: { kind: "unsupported", name } };
  if ((SCHEDULED_EVENTS as readonly string[]).includes(name)) return scheduled(name, runner);
  if (payloadText === undefined) return { ok: false, error: "GITHUB_EVENT_PATH is not set or unreadable" };
  let json: unknown;
  try {
    json = JSON.parse(payloadText);
  } catch {
    return { ok: false, error: "the event file at GITHUB_EVENT_PATH is not JSON" };
  }
  if (name === "issue_comment") return commentEvent(json);
  if (name === "merge_group") return mergeGroup(json);
  const parsed = pullRequestEvent.safeParse(json);
  if (!parsed.success) return { ok: false, error: `the ${name} event has no pull request: ${z.prettifyError(parsed.error)}` };
  const { repository: repo, pull_request } = parsed.data;
  return { ok: true, event: { kind: "readiness", owner: repo.owner.login, repo: repo.name, pullNumber: pull_request.number } };
}

function scheduled(name: string, runner: RunnerFacts): EventResult {
  const repo = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(runner.repository ?? "");
  if (!repo) return { ok: false, error: `GITHUB_REPOSITORY is ${JSON.stringify(runner.repository ?? "")}, not owner/name; is this running inside a GitHub Actions job?` };
  const commit = sha.safeParse(runner.sha);
  if (!commit.success) return { ok: false, error: `GITHUB_SHA is ${JSON.stringify(runner.sha ?? "")}, not a commit SHA` };
  return { ok: true, event: { kind: "scheduled", name, owner: repo[1]!, repo: repo[2]!, sha: commit.data } };
}

function mergeGroup(json: unknown): EventResult {
  const parsed = mergeGroupEvent.safeParse(json);
  if (!parsed.success) return { ok: false, error: `the merge_group event has no merge group: ${z.prettifyError(parsed.error)}` };
  const { action, repository: repo, merge_group: group } = parsed.data;
  // `destroyed` needs no verdict: the group will never merge.
  if (action !== "checks_requested") return { ok: true, event: { kind: "ignored", why: `merge group ${action}; only checks_requested asks for a verdict` } };
  return {
    ok: true,
    event: {
      kind: "merge-group",
      owner: repo.owner.login,
      repo: repo.name,
      baseSha: group.base_sha,
      headSha: group.head_sha,
      headRef: group.head_ref,
      baseRef: group.base_ref,
      repoUrl: repo.html_url,
    },
  };
}

function commentEvent(json: unknown): EventResult {
  const parsed = issueCommentEvent.safeParse(json);
  if (!parsed.success) return { ok: false, error: `the issue_comment event is not a comment event: ${z.prettifyError(parsed.error)}` };
  const { action, repository: repo, issue, comment } = parsed.data;
  // An edited comment never re-runs a command, exactly as in the app.
  if (action !== "created") return { ok: true, event: { kind: "ignored", why: `comment ${action}; only new comments run commands` } };
  if (issue.pull_request === undefined || issue.pull_request === null) {
    return { ok: true, event: { kind: "ignored", why: "comment on an issue, not a pull request" } };
  }
  return {
    ok: true,
    event: {
      kind: "comment",
      owner: repo.owner.login,
      repo: repo.name,
      pullNumber: issue.number,
      comment: {
        id: comment.id,
        body: comment.body,
        url: comment.html_url,
        author: comment.user,
        viaApp: comment.performed_via_github_app !== undefined && comment.performed_via_github_app !== null,
      },
    },
  };
}
