// The Octokit a handler uses. Probot's `context.octokit` is built without the installation's throttle
// id, so every installation would share one write queue (keyed "no-id"); `app.auth(id)` keys the
// throttle per installation, which is GitHub's budget unit, and keeps REDIS_URL clustering.
import type { Probot, ProbotOctokit } from "probot";

export async function installationOctokit(app: Pick<Probot, "auth">, installationId: number | undefined): Promise<ProbotOctokit> {
  if (installationId === undefined) throw new Error("webhook payload has no installation id; is this delivery for a GitHub App?");
  return app.auth(installationId);
}
