// Whether a comment GitHub returns was written by the gate. GitHub stamps the writer itself (`user`,
// `performed_via_github_app`), so a repo writer, another app or a workflow can copy a record's text
// but not its writer: look-alikes (a comment with our marker) are not ours.
import type { GateIdentity } from "../core/identity.js";

export interface WrittenRecord {
  user?: { login?: string | null; type?: string | null } | null;
  performed_via_github_app?: { id?: number | null; slug?: string | null } | null;
}

/**
 * A record stamped with an app is ours only when that app is ours and the author is its bot user
 * `<slug>[bot]` (a person acting through our app is not the gate). Without a stamp (a workflow's
 * GITHUB_TOKEN comments) only the identity's bot login can tell, so the app mode, which knows no
 * login, takes none.
 */
export function writtenByGate(record: WrittenRecord, identity: GateIdentity): boolean {
  const user = record.user;
  if (!user?.login || user.type !== "Bot") return false;
  const sameLogin = (login: string) => login.toLowerCase() === user.login!.toLowerCase();
  const app = record.performed_via_github_app;
  if (app?.id != null) {
    const stamped = app.id === identity.appId && typeof app.slug === "string" && app.slug !== "" && sameLogin(`${app.slug}[bot]`);
    return stamped && (identity.login === undefined || sameLogin(identity.login));
  }
  return identity.login !== undefined && sameLogin(identity.login);
}
