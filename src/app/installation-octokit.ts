// The Octokit a handler uses. Probot's `context.octokit` is built without the installation's throttle
// id, so every installation would share one write queue (keyed "no-id"); `app.auth(id)` keys the
// throttle per installation, which is GitHub's budget unit, and keeps REDIS_URL clustering.
import type { Probot, ProbotOctokit } from "probot";
import type { GateIdentity } from "../github/gate-identity.js";

export async function installationOctokit(app: Pick<Probot, "auth">, installationId: number | undefined): Promise<ProbotOctokit> {
  if (installationId === undefined) throw new Error("webhook payload has no installation id; is this delivery for a GitHub App?");
  return app.auth(installationId);
}

const identities = new WeakMap<object, Promise<GateIdentity>>();

/**
 * This app's identity (its app id), from its own credentials: signing the app JWT happens locally, no
 * request. Records are told apart from look-alikes by it (GitHub stamps the writing app on them).
 */
export function appIdentity(app: Pick<Probot, "auth">): Promise<GateIdentity> {
  let identity = identities.get(app);
  if (!identity) {
    identity = (async () => {
      const octokit = await app.auth();
      const auth = (await octokit.auth({ type: "app" })) as { appId?: unknown };
      const appId = Number(auth.appId);
      if (!Number.isSafeInteger(appId) || appId <= 0) throw new Error("the app's credentials carry no app id (APP_ID)");
      return { kind: "app" as const, appId };
    })();
    identities.set(app, identity);
  }
  return identity;
}
