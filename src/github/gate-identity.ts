// Who the gate writes as, and whether a record GitHub returns was written by it. GitHub stamps the
// writer itself (`user`, `performed_via_github_app`), so a repo writer, another app or a workflow can
// copy a record's text but not its writer: look-alikes (a comment with our marker) are not ours.
export type GateIdentity =
  /** The app: GitHub sets `performed_via_github_app` to it, and the author is its bot user `<slug>[bot]`. */
  | { kind: "app"; appId: number }
  /** No-server mode: the workflow token's bot account. */
  | { kind: "workflow"; login: string };

/** The account a workflow's GITHUB_TOKEN writes as. */
export const WORKFLOW_IDENTITY: GateIdentity = { kind: "workflow", login: "github-actions[bot]" };

export interface WrittenRecord {
  user?: { login?: string | null; type?: string | null } | null;
  performed_via_github_app?: { id?: number | null; slug?: string | null } | null;
}

export function writtenByGate(record: WrittenRecord, identity: GateIdentity): boolean {
  const user = record.user;
  if (!user?.login || user.type !== "Bot") return false;
  if (identity.kind === "workflow") return user.login === identity.login;
  const app = record.performed_via_github_app;
  return app?.id === identity.appId && typeof app.slug === "string" && app.slug !== "" && user.login === `${app.slug}[bot]`;
}
