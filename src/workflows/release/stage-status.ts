// Follows a stage's deployment status: terminal states (success, failure, error) edit the status
// comment's timeline (1 write); the last stage's success with a release flag named in the plan opens
// the flag-removal issue once (claim ref first, then the issue: 2 writes, once per release), labelled
// `flags.removal-label` so the flag's lifetime can be checked later (workflows/flags/flag-debt.ts);
// an ops or permission flag owes no removal (seed 003's table), so it gets no issue. The last stage's
// success records the release (release-record.ts: 2 writes and 1 read, once per release).
import { FLAG_TYPE_INFO } from "../../core/flags/flag-type.js";
import { parseLifetime, resolveFlagType, type ResolvedFlagType } from "../../core/flags/flag-lifetime.js";
import { releaseFlagFromBody, releaseFlagTypeFromBody } from "../../core/plan/release-flag.js";
import { code } from "../../core/render/markdown.js";
import { renderFlagRemovalIssue } from "../../core/render/override-report.js";
import { releaseTag } from "../../core/render/release-record.js";
import type { GateIdentity } from "../../core/identity.js";
import { parseDeploymentPayload } from "../../core/rollout/deployment-payload.js";
import { isTrustedDeployment, trustedHistory } from "../../core/rollout/trust.js";
import { claimRefName, claimTransition } from "../../github/claims.js";
import type { GitHubClient } from "../../github/client.js";
import { openIssue } from "../../github/issues.js";
import type { ConfigPluginClient } from "../load-config.js";
import type { Logger } from "../logger.js";
import { serialized } from "../serialize.js";
import { gatherReleaseFacts } from "./release-facts.js";
import { recordRelease, type ReleaseRecordOutcome } from "./release-record.js";
import { STATUS_MARKER, writeStatusComment } from "./status-comment-writer.js";

export interface StageStatusEvent {
  owner: string;
  repo: string;
  deployment: { id: number; sha: string; environment: string; payload: unknown };
  state: string;
}

export type StageStatusOutcome =
  | { kind: "ignored"; reason: "not-release-gate" | "not-terminal" | "not-trusted" }
  | { kind: "recorded"; release: number; flagIssue: number | null; writes: number; releaseRecord?: ReleaseRecordOutcome; flagKept?: ResolvedFlagType };

const TERMINAL = ["success", "failure", "error"] as const;
type TerminalState = (typeof TERMINAL)[number];

function isTerminal(state: string): state is TerminalState {
  return (TERMINAL as readonly string[]).includes(state);
}

export async function onStageStatus(
  octokit: GitHubClient & ConfigPluginClient,
  event: StageStatusEvent,
  log: Logger,
  identity: GateIdentity,
): Promise<StageStatusOutcome> {
  const parsed = parseDeploymentPayload(event.deployment.payload);
  if (!parsed.ok) return { kind: "ignored", reason: "not-release-gate" };
  const state = event.state;
  if (!isTerminal(state)) return { kind: "ignored", reason: "not-terminal" };
  const payload = parsed.payload;
  const target = { owner: event.owner, repo: event.repo, pullNumber: payload.release };
  return serialized(`release:${target.owner}/${target.repo}#${target.pullNumber}`, async () => {
    const gathered = await gatherReleaseFacts(octokit, target, { marker: STATUS_MARKER, identity });
    if (!gathered.ok) return { kind: "recorded", release: payload.release, flagIssue: null, writes: 0 };
    const facts = gathered.facts;
    // A hand-made deployment, or a status no stage runner wrote, is not a stage result: it must not
    // open the flag-removal issue nor cost a comment edit (the next edit lists it as ignored).
    const trusted = facts.deployments.find((d) => d.id === event.deployment.id && isTrustedDeployment(d, facts.trust));
    const counted = trusted && trustedHistory([trusted], facts.trust).deployments[0]!.statuses.some((s) => s.state === event.state);
    if (!counted) {
      log.info({ release: payload.release, deployment: event.deployment.id, state: event.state }, "deployment status not written by Release Gate's identities; ignored");
      return { kind: "ignored", reason: "not-trusted" };
    }
    let writes = 0;
    let flagIssue: number | null = null;
    let flagKept: ResolvedFlagType | undefined;
    const last = facts.plan.at(-1);
    // 100 % of a cohort, or of one region while others wait, is not the full release: only the last stage is.
    const oneEnvironment = new Set(facts.plan.map((s) => s.environment)).size <= 1;
    const wholeTraffic = payload.percent === 100 && payload.cohort === undefined && oneEnvironment;
    const reachedFull = event.state === "success" && !payload.rollback && (wholeTraffic || payload.stage === last?.name);
    const flag = reachedFull ? releaseFlagFromBody(facts.live.facts.body, facts.config.headings) : null;
    const flagsConfig = facts.config.flags;
    const type = flag ? resolveFlagType(flag.name, releaseFlagTypeFromBody(facts.live.facts.body, facts.config.headings), flagsConfig) : undefined;
    if (flag && type && !FLAG_TYPE_INFO[type.type].hasLifetime) flagKept = type;
    else if (flag && type) {
      // Claim first: replicas, redeliveries and a re-run of the last stage open one issue in all.
      const claim = await claimTransition(octokit, { ...target, name: claimRefName(target.pullNumber, "flag-removal"), sha: event.deployment.sha });
      writes++;
      if (claim.kind === "claimed") {
        const dueAt = new Date(Date.now() + parseLifetime(flagsConfig["max-lifetime"])!).toISOString();
        const draft = renderFlagRemovalIssue(
          flag,
          { number: target.pullNumber, title: facts.live.facts.title },
          { name: payload.stage, percent: payload.percent },
          { type, maxLifetime: flagsConfig["max-lifetime"], dueAt, label: flagsConfig["removal-label"], overdueLabel: flagsConfig["overdue-label"] },
        );
        const issue = await openIssue(octokit, { ...target, ...draft });
        writes++;
        flagIssue = issue.number;
      }
    }
    // The runner reports the last stage's success only after its verify window: the release is complete.
    const releaseRecord = reachedFull ? await recordRelease(octokit, facts, event.deployment) : undefined;
    if (releaseRecord) writes += releaseRecord.writes;
    const recordNote =
      releaseRecord?.kind === "release"
        ? ` Recorded as the release ${code(releaseTag(payload.release))}.`
        : releaseRecord?.kind === "comment"
          ? " The rollout log is posted below as the release note."
          : "";
    const stage = payload.rollback ? "rollback" : payload.stage;
    writes += await writeStatusComment(octokit, {
      target,
      existing: facts.statusComment,
      facts,
      trigger: { what: `deployment ${event.deployment.id} (${stage}, ${payload.percent}%) reported ${event.state}`, actor: "the stage runner" },
      answer: {
        result: "done",
        code: `stage-${state}`,
        message: `${stage} ${event.state === "success" ? "succeeded" : "failed"}.${flagIssue ? ` Flag-removal issue: #${flagIssue}.` : ""}${
          flag && flagKept ? ` The flag \`${flag.name}\` is kept: ${FLAG_TYPE_INFO[flagKept.type].kept}, so it gets no removal issue.` : ""
        }${recordNote}`,
      },
    });
    log.info({ release: payload.release, deployment: event.deployment.id, state: event.state, writes }, `stage ${stage}: ${event.state}`);
    return { kind: "recorded", release: payload.release, flagIssue, writes, ...(releaseRecord ? { releaseRecord } : {}), ...(flagKept ? { flagKept } : {}) };
  });
}
