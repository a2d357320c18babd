// What the job was started by: the repository, the commit, and for a `deployment` event the
// deployment the app created (read from the file at GITHUB_EVENT_PATH).
import { z } from "zod";

const deploymentEventSchema = z.object({
  deployment: z.object({
    id: z.number().int().positive(),
    sha: z.string().min(1),
    environment: z.string().min(1),
    payload: z.unknown(),
  }),
});

export interface RunContext {
  owner: string;
  repo: string;
  sha: string;
  eventName: string;
  /** The deployment of a `deployment` event. */
  deployment?: { id: number; sha: string; environment: string; payload: unknown };
  /** Link to this run, set on every status as `log_url`. */
  logUrl?: string;
}

export function readRunContext(env: NodeJS.ProcessEnv, eventText: string | undefined): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo) throw new Error("GITHUB_REPOSITORY is not set (owner/name); is this running inside a GitHub Actions job?");
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const logUrl = env.GITHUB_RUN_ID
    ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== "1" ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ""}`
    : undefined;
  const context: RunContext = { owner, repo, sha: env.GITHUB_SHA ?? "", eventName, ...(logUrl ? { logUrl } : {}) };
  if (eventName !== "deployment") return context;
  let json: unknown;
  try {
    json = JSON.parse(eventText ?? "");
  } catch {
    throw new Error("the deployment event file at GITHUB_EVENT_PATH is missing or not JSON");
  }
  const parsed = deploymentEventSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the deployment event has no deployment: ${z.prettifyError(parsed.error)}`);
  return { ...context, deployment: parsed.data.deployment };
}
