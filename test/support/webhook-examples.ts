// Real webhook payloads from @octokit/webhooks-examples (GitHub's documented examples), deep-copied
// so tests can adjust the few fields they are about.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];

/** The first example of `name`.`action`, preferring one that carries an installation (app deliveries do). */
export function webhookExample<T = any>(name: string, action: string): T {
  const group = examples.find((e) => e.name === name);
  const candidates = (group?.examples ?? []).filter((x) => x.action === action);
  const chosen = candidates.find((x) => x.installation) ?? candidates[0];
  if (!chosen) throw new Error(`@octokit/webhooks-examples has no ${name}.${action} example`);
  const copy = structuredClone(chosen) as Record<string, any>;
  copy.installation ??= { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return copy as T;
}

export interface PullRequestEventSpec {
  owner: string;
  repo: string;
  number: number;
  /** Default `opened`. */
  action?: string;
  /** The app's installation id; `null` for a workflow's event, which carries none. */
  installation?: number | null;
  headSha?: string;
  title?: string;
  body?: string | null;
  updatedAt?: string | undefined;
}

/** A `pull_request` delivery built on GitHub's example, pointed at one PR. */
export function pullRequestEvent(spec: PullRequestEventSpec): any {
  const payload = webhookExample("pull_request", "opened");
  payload.action = spec.action ?? "opened";
  if (spec.installation === null) delete payload.installation;
  else if (spec.installation !== undefined) payload.installation = { id: spec.installation, node_id: "I" };
  payload.repository.owner.login = spec.owner;
  payload.repository.name = spec.repo;
  payload.repository.full_name = `${spec.owner}/${spec.repo}`;
  payload.number = spec.number;
  payload.pull_request.number = spec.number;
  if (spec.headSha !== undefined) payload.pull_request.head.sha = spec.headSha;
  if (spec.title !== undefined) payload.pull_request.title = spec.title;
  if (spec.body !== undefined) payload.pull_request.body = spec.body;
  if (spec.updatedAt !== undefined) payload.pull_request.updated_at = spec.updatedAt;
  return payload;
}
