// The Octokit a handler uses. Probot's `context.octokit` is built without the installation's throttle
// id, so every installation would share one write queue (keyed "no-id"); `app.auth(id)` keys the
// throttle per installation, which is GitHub's budget unit, and keeps REDIS_URL clustering.
import type { Probot, ProbotOctokit } from "probot";
import type { SelfIdentity } from "../core/rollout/trust.js";

export async function installationOctokit(app: Pick<Probot, "auth">, installationId: number | undefined): Promise<ProbotOctokit> {
  if (installationId === undefined) throw new Error("webhook payload has no installation id; is this delivery for a GitHub App?");
  return app.auth(installationId);
}

/**
 * Who the app is, for telling its own records from anyone else's: the app id from the client's own
 * credentials (`APP_ID`), read without a request. Deployments and statuses the app creates carry it
 * as `performed_via_github_app.id`, check runs as `app.id`.
 */
export async function appIdentity(octokit: { auth(options: { type: "app" }): Promise<unknown> }): Promise<SelfIdentity> {
  const auth = (await octokit.auth({ type: "app" })) as { appId?: unknown } | undefined;
  const appId = Number(auth?.appId);
  if (!Number.isSafeInteger(appId) || appId <= 0) throw new Error("cannot tell the app's own id from its credentials; is APP_ID set?");
  return { appId };
}
