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
