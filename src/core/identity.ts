// Who Release Gate writes as. GitHub stamps the writer on every record (`user`/`creator`, and the
// app behind the token as `performed_via_github_app` or a check run's `app`), so a repo writer, another
// app or a workflow can copy a record's text but not its writer. One identity decides both which
// status comment is ours (github/gate-identity.ts) and which runs, deployments and statuses count
// (rollout/trust.ts).

/** A GitHub identity as records name it: an app (by id) and/or an account login such as `my-app[bot]`. */
export interface Identity {
  appId?: number;
  login?: string;
}

/**
 * The identity Release Gate itself writes as: always an app, known by id (GitHub guarantees it, and
 * check runs are filtered by it), with its bot login when known. App mode: `APP_ID`, no login (the
 * app stamp carries the slug). No-server mode: the configured `app-id`/`app-login`, by default GitHub
 * Actions, whose GITHUB_TOKEN comments carry no app stamp, so there the login is what tells.
 */
export type GateIdentity = Identity & { appId: number };

/** GitHub Actions' app: what a workflow's `GITHUB_TOKEN` writes as. */
export const GITHUB_ACTIONS: Required<Identity> = { appId: 15368, login: "github-actions[bot]" };
