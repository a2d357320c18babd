// What a workflow run was started by, parsed from GITHUB_EVENT_NAME and the file at GITHUB_EVENT_PATH.
import { z } from "zod";

const repository = z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) });

const pullRequestEvent = z.object({
  repository,
  pull_request: z.object({ number: z.number().int().positive() }),
});

export const READINESS_EVENTS = ["pull_request", "pull_request_target", "pull_request_review"] as const;

export type WorkflowEvent =
  | { kind: "readiness"; owner: string; repo: string; pullNumber: number }
  | { kind: "unsupported"; name: string };

export type EventResult = { ok: true; event: WorkflowEvent } | { ok: false; error: string };

export function parseWorkflowEvent(name: string | undefined, payloadText: string | undefined): EventResult {
  if (!name) return { ok: false, error: "GITHUB_EVENT_NAME is not set; is this running inside a GitHub Actions job?" };
  if (!(READINESS_EVENTS as readonly string[]).includes(name)) return { ok: true, event: { kind: "unsupported", name } };
  if (payloadText === undefined) return { ok: false, error: "GITHUB_EVENT_PATH is not set or unreadable" };
  let json: unknown;
  try {
    json = JSON.parse(payloadText);
  } catch {
    return { ok: false, error: "the event file at GITHUB_EVENT_PATH is not JSON" };
  }
  const parsed = pullRequestEvent.safeParse(json);
  if (!parsed.success) return { ok: false, error: `the ${name} event has no pull request: ${z.prettifyError(parsed.error)}` };
  const { repository: repo, pull_request } = parsed.data;
  return { ok: true, event: { kind: "readiness", owner: repo.owner.login, repo: repo.name, pullNumber: pull_request.number } };
}
