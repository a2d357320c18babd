// The Octokit a handler uses. Probot's `context.octokit` is built without the installation's throttle
// id, so every installation would share one write queue (keyed "no-id"); `app.auth(id)` keys the
// throttle per installation, which is GitHub's budget unit, and keeps REDIS_URL clustering.
import type { Probot, ProbotOctokit } from "probot";
import type { GateIdentity } from "../core/identity.js";

export async function installationOctokit(app: Pick<Probot, "auth">, installationId: number | undefined): Promise<ProbotOctokit> {
  if (installationId === undefined) throw new Error("webhook payload has no installation id; is this delivery for a GitHub App?");
  return app.auth(installationId);
}

const identities = new WeakMap<object, Promise<GateIdentity>>();

/**
 * Who the app is, for telling its own records from anyone else's: the app id from its own credentials
 * (`APP_ID`; signing the app JWT happens locally, no request), cached per app. GitHub stamps it on what
 * the app writes: comments, deployments and statuses as `performed_via_github_app.id`, check runs as
 * `app.id`. The bot login is left out: the app stamp names the slug, and the id is what GitHub guarantees.
 */
export function appIdentity(app: Pick<Probot, "auth">): Promise<GateIdentity> {
  let identity = identities.get(app);
  if (!identity) {
    identity = (async () => {
      const octokit = await app.auth();
      const auth = (await octokit.auth({ type: "app" })) as { appId?: unknown } | undefined;
      const appId = Number(auth?.appId);
      if (!Number.isSafeInteger(appId) || appId <= 0) throw new Error("cannot tell the app's own id from its credentials; is APP_ID set?");
      return { appId };
    })();
    // A failure is not cached: the next delivery tries again.
    identity.catch(() => identities.delete(app));
    identities.set(app, identity);
  }
  return identity;
}
