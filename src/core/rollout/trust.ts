// Which deployment records the rollout may decide on. Any repo writer can create deployments and
// statuses by hand (or with a workflow), so only records written by the identities that run Release
// Gate count: deployments created by the app (no-server mode: the workflow identity), statuses written
// by the app or by the identities that run stages (the Action's token). The rest is reported, not used.
import type { Identity } from "../identity.js";
import type { DeploymentRecord, IgnoredRecord, TrustPolicy } from "./types.js";

export type { IgnoredRecord, TrustPolicy };

/** Who wrote a record: its `creator.login` and, when made through an app, `performed_via_github_app.id`. */
export interface RecordAuthor {
  creator: string | null;
  viaApp?: number | null;
}


/**
 * An author matches an identity by app id when both are known (an app's bot login cannot be taken by
 * a person, but the app id is what GitHub guarantees), else by login.
 */
export function isAuthoredBy(author: RecordAuthor, identities: readonly Identity[]): boolean {
  return identities.some((identity) => {
    if (identity.appId !== undefined && author.viaApp != null && author.viaApp === identity.appId) return true;
    return identity.login !== undefined && author.creator !== null && author.creator.toLowerCase() === identity.login.toLowerCase();
  });
}

export function isTrustedDeployment(d: Pick<DeploymentRecord, "creator" | "viaApp">, policy: TrustPolicy): boolean {
  return isAuthoredBy({ creator: d.creator, viaApp: d.viaApp ?? null }, policy.deploymentCreators);
}

/**
 * Splits an environment's history into what counts and what is ignored: deployments not created by a
 * trusted creator are dropped whole; from the rest, statuses by anyone but a trusted writer are dropped.
 * `ignored` keeps each dropped record so the status comment can say so.
 */
export function trustedHistory(deployments: readonly DeploymentRecord[], policy: TrustPolicy): { deployments: DeploymentRecord[]; ignored: IgnoredRecord[] } {
  const kept: DeploymentRecord[] = [];
  const ignored: IgnoredRecord[] = [];
  for (const d of deployments) {
    const stage = d.payload ? (d.payload.rollback ? "rollback" : d.payload.stage) : null;
    if (!isTrustedDeployment(d, policy)) {
      ignored.push({ kind: "deployment", deploymentId: d.id, by: d.creator, sha: d.sha, stage });
      continue;
    }
    const statuses = d.statuses.filter((s) => {
      const ok = isAuthoredBy({ creator: s.creator ?? null, viaApp: s.viaApp ?? null }, policy.statusWriters);
      if (!ok) ignored.push({ kind: "status", deploymentId: d.id, by: s.creator ?? null, state: s.state, stage });
      return ok;
    });
    kept.push(statuses.length === d.statuses.length ? d : { ...d, statuses });
  }
  return { deployments: kept, ignored };
}

/**
 * The policy for one repository: `gate` is the identity Release Gate writes as (core/identity.ts: the
 * app; in no-server mode the workflow identity), `statusWriters` the further logins whose statuses
 * count (config `rollout.status-writers`, by default the Action's `github-actions[bot]`).
 */
export function trustPolicy(gate: Identity, statusWriters: readonly string[]): TrustPolicy {
  return { deploymentCreators: [gate], statusWriters: [gate, ...statusWriters.map((login) => ({ login }))] };
}

/**
 * How a record the gate has just written itself is stamped in its own view of the history, as GitHub
 * will stamp it (the app id; the login when known), so a verb's reply never lists its own deployment
 * or status as ignored.
 */
export function ownAuthor(self: Identity): { creator: string | null; viaApp: number | null } {
  return { creator: self.login ?? null, viaApp: self.appId ?? null };
}
