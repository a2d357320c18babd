// Turns an environment's deployment history (and the PR-side records) into one story per release:
// the same rules as the rollout itself (derive-rollout.ts, trust.ts), so the report never counts a
// record the gate would not have decided on. Pure: the adapters gather ReportFacts.
import { parsePlan } from "../plan/parse-plan.js";
import { deriveRollout } from "../rollout/derive-rollout.js";
import { trustedHistory } from "../rollout/trust.js";
import type { DeploymentRecord } from "../rollout/types.js";
import type { GateIssue, OverrideStory, ReleaseState, ReleaseStory, ReportFacts, RollbackStory } from "./types.js";

const FAILED = new Set(["failure", "error"]);

export function releaseStories(facts: ReportFacts): ReleaseStory[] {
  const { deployments: trusted } = trustedHistory(facts.deployments, facts.trust);
  const releases = new Set<number>();
  for (const d of trusted) if (d.payload) releases.add(d.payload.release);
  const stories: ReleaseStory[] = [];
  for (const release of releases) {
    const story = releaseStory(facts, trusted, release);
    if (story) stories.push(story);
  }
  // Newest first, as people read a release list.
  return stories.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.number - a.number);
}

function releaseStory(facts: ReportFacts, trusted: DeploymentRecord[], release: number): ReleaseStory | undefined {
  const ours = trusted.filter((d) => d.payload?.release === release).sort(byCreation);
  const stageDeployments = ours.filter((d) => !d.payload!.rollback);
  const newestStage = stageDeployments.at(-1);
  const first = ours[0];
  if (!first) return undefined;
  // The plan travels in every stage payload the app writes; the newest one is the plan the release ran
  // under. A release driven by minimal payloads (another tool, by hand) is told by the stages it ran.
  const plan = (newestStage ?? first).payload!.plan ?? plannedFromStages(stageDeployments);
  const rollout = deriveRollout({ release, plan, deployments: facts.deployments, trust: facts.trust });
  const mine = new Set(facts.deployments.filter((d) => d.payload?.release === release).map((d) => d.id));
  const pull = facts.pulls[release];
  const final = rollout.stages.at(-1);
  const stageFailed = stageDeployments.some((d) => d.statuses.some((s) => FAILED.has(s.state)));
  const completedAt = !rollout.rolledBack && final?.phase === "success" ? final.finishedAt : undefined;
  const state: ReleaseState = rollout.rolledBack
    ? "rolled-back"
    : completedAt
      ? "complete"
      : rollout.stages.some((s) => s.phase === "failure")
        ? "failed"
        : "rolling-out";
  const story: ReleaseStory = {
    number: release,
    title: pull?.title ?? `Release #${release}`,
    author: pull?.author ?? null,
    pullUrl: pull?.url ?? null,
    plan: planSections(pull?.body ?? null, facts),
    state,
    sha: newestStage?.sha ?? first.sha,
    stages: rollout.stages,
    timeline: rollout.timeline,
    triggers: (newestStage ?? first).payload!.triggers.map((t) => t.text || t.label),
    firstCommitAt: pull?.firstCommitAt ?? null,
    startedAt: first.createdAt,
    stageFailed,
    checks: facts.checks[release] ?? [],
    ignored: rollout.ignored.filter((r) => mine.has(r.deploymentId)),
  };
  if (completedAt) {
    story.completedAt = completedAt;
    if (story.firstCommitAt) story.leadTimeMs = Date.parse(completedAt) - Date.parse(story.firstCommitAt);
  }
  if (final) {
    story.verify = { stage: final.name, percent: final.percent, observe: final.observe, phase: final.phase };
    if (final.startedAt) story.verify.startedAt = final.startedAt;
    if (final.finishedAt) story.verify.endedAt = final.finishedAt;
  }
  const rollback = rollbackStory(ours, rollout.timeline, facts.rollbackSloMs);
  if (rollback) story.rollback = rollback;
  const override = overrideStory(facts, release);
  if (override) story.override = override;
  const readiness = facts.readiness[release];
  if (readiness) story.readiness = readiness;
  const flag = facts.issues.find((i): i is Extract<GateIssue, { kind: "flag-removal" }> => i.kind === "flag-removal" && i.release === release);
  if (flag) story.flagIssue = { number: flag.number, url: flag.url, flag: flag.flag };
  const comment = facts.statusComments[release];
  if (comment) story.statusCommentUrl = comment;
  return story;
}

function rollbackStory(ours: DeploymentRecord[], timeline: ReleaseStory["timeline"], sloMs: number): RollbackStory | undefined {
  const rollback = ours.filter((d) => d.payload!.rollback).at(-1);
  if (!rollback) return undefined;
  const of = rollback.payload!.rollback!;
  const story: RollbackStory = {
    deploymentId: rollback.id,
    sha: rollback.sha,
    reason: of.reason,
    by: rollback.payload!.requestedBy ?? rollback.creator,
    startedAt: rollback.createdAt,
    timeline: timeline.filter((e) => e.deploymentId === rollback.id || e.deploymentId === of.of),
  };
  const failed = ours.find((d) => d.id === of.of);
  // Statuses are newest first: the oldest failure is the breach.
  const breach = failed?.statuses.filter((s) => FAILED.has(s.state)).at(-1);
  if (failed && breach) story.breach = { at: breach.createdAt, stage: failed.payload!.stage, description: breach.description ?? "" };
  const restored = rollback.statuses.filter((s) => s.state === "success").at(-1);
  if (restored) {
    story.restoredAt = restored.createdAt;
    story.durationMs = Date.parse(restored.createdAt) - Date.parse(rollback.createdAt);
    // A breach recorded after the rollback started (a late status) must not make restore look faster than reverting.
    const from = story.breach && Date.parse(story.breach.at) <= Date.parse(rollback.createdAt) ? story.breach.at : rollback.createdAt;
    story.restoreMs = Date.parse(restored.createdAt) - Date.parse(from);
    story.withinSlo = story.durationMs <= sloMs;
  }
  return story;
}

function overrideStory(facts: ReportFacts, release: number): OverrideStory | undefined {
  const recorded = facts.readiness[release]?.override;
  const issues = facts.issues.filter((i): i is Extract<GateIssue, { kind: "post-mortem" }> => i.kind === "post-mortem" && i.release === release);
  const issue = (recorded ? issues.find((i) => i.number === recorded.issue) : undefined) ?? issues.at(-1);
  if (!recorded && !issue) return undefined;
  const story: OverrideStory = { requester: recorded?.requester ?? issue!.requester, approver: recorded?.approver ?? issue!.approver };
  if (issue) {
    story.requestedAt = issue.requestedAt;
    story.approvedAt = issue.approvedAt;
    story.reason = issue.reason;
    story.issue = { number: issue.number, url: issue.url };
    const latency = Date.parse(issue.approvedAt) - Date.parse(issue.requestedAt);
    if (Number.isFinite(latency) && latency >= 0) story.latencyMs = latency;
  }
  return story;
}

function byCreation(a: DeploymentRecord, b: DeploymentRecord): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;
}

function planSections(body: string | null, facts: ReportFacts): ReleaseStory["plan"] {
  const plan = parsePlan(body, facts.headings);
  return Object.values(plan.sections)
    .sort((a, b) => a.line - b.line)
    .map((section) => ({ heading: section.heading, lines: section.lines.map((l) => l.text) }));
}

/** The stages a release ran, in order and each once, for deployments that carry no plan; windows unknown. */
function plannedFromStages(stages: DeploymentRecord[]): { name: string; percent: number; observe: string }[] {
  const seen = new Map<string, { name: string; percent: number; observe: string }>();
  for (const d of stages) if (!seen.has(d.payload!.stage)) seen.set(d.payload!.stage, { name: d.payload!.stage, percent: d.payload!.percent, observe: "0s" });
  return [...seen.values()];
}
