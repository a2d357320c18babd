// The one PR comment the app keeps editing: rollout timeline, the answer to the last command, help,
// and a hidden, versioned JSON block with what the app must remember between commands.
import { z } from "zod";
import type { OverrideApproval, OverrideRequest } from "../commands/override-policy.js";
import type { IgnoredRecord } from "../rollout/trust.js";
import type { Refusal, RolloutState, StagePhase, StageView } from "../rollout/types.js";
import { utcMinute } from "../time-text.js";
import { code, escapeMessage, escapeProse, safeUrl, truncateMarkdown } from "./markdown.js";

export { safeUrl };

/** Finds the app's status comment among the PR's comments. */
export const STATUS_MARKER = "<!-- release-gate:status -->";
const STATE_OPEN = "<!-- release-gate:state ";
const STATE_CLOSE = " -->";
export const STATE_VERSION = 1;
/** Command keys remembered for redelivery de-duplication; older ones are forgotten first. */
export const MAX_PROCESSED_KEYS = 50;
const MAX_STATE_CHARS = 32_768;
/** GitHub's limit for a comment body. */
export const MAX_COMMENT_CHARS = 65_536;

const login = z.string().min(1).max(100);
const sha = z.string().regex(/^[0-9a-f]{7,64}$/i);
const overrideRequestSchema = z.object({
  requestedBy: login,
  reason: z.string().max(500),
  sha,
  at: z.string().max(40),
  key: z.string().max(200),
});
const overrideApprovalSchema = overrideRequestSchema.extend({ approvedBy: login, approvedAt: z.string().max(40), approvalKey: z.string().max(200) });

// Each field falls back on its own: a tampered field is dropped, not the whole memory.
export const statusStateSchema = z.object({
  v: z.literal(STATE_VERSION),
  pendingOverride: overrideRequestSchema.nullable().catch(null).default(null),
  approvedOverride: overrideApprovalSchema.nullable().catch(null).default(null),
  processed: z.array(z.string().max(200)).max(MAX_PROCESSED_KEYS).catch([]).default([]),
});

export interface StatusState {
  v: typeof STATE_VERSION;
  pendingOverride: OverrideRequest | null;
  approvedOverride: OverrideApproval | null;
  processed: string[];
}

export type StatusStateResult =
  | { ok: true; state: StatusState }
  /** `missing`: no block (a new comment); the others mean someone edited it: start from empty. */
  | { ok: false; state: StatusState; problem: "missing" | "unreadable" | "invalid" };

export function emptyStatusState(): StatusState {
  return { v: STATE_VERSION, pendingOverride: null, approvedOverride: null, processed: [] };
}

export function isStatusComment(body: string | null | undefined): boolean {
  return typeof body === "string" && body.startsWith(STATUS_MARKER);
}

/**
 * Reads the hidden state block. Anyone with write access can edit the comment, so the block is
 * treated as untrusted input: size-capped, JSON-parsed in a try, checked with zod field by field.
 * The overrides found here are for display only: decisions read the app's own check run.
 */
export function parseStatusState(body: string | null | undefined): StatusStateResult {
  const text = body ?? "";
  const start = text.indexOf(STATE_OPEN);
  if (start === -1) return { ok: false, state: emptyStatusState(), problem: "missing" };
  const from = start + STATE_OPEN.length;
  const end = text.indexOf(STATE_CLOSE, from);
  if (end === -1 || end - from > MAX_STATE_CHARS) return { ok: false, state: emptyStatusState(), problem: "unreadable" };
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(from, end));
  } catch {
    return { ok: false, state: emptyStatusState(), problem: "unreadable" };
  }
  const parsed = statusStateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, state: emptyStatusState(), problem: "invalid" };
  return { ok: true, state: parsed.data };
}

/** The hidden block; `<`, `>` and `&` are JSON-escaped so no text can close the HTML comment. */
export function renderStateBlock(state: StatusState): string {
  const json = JSON.stringify(state).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${STATE_OPEN}${json}${STATE_CLOSE}`;
}

export function wasProcessed(state: StatusState, key: string): boolean {
  return state.processed.includes(key);
}

/** Remembers a command key, keeping the newest MAX_PROCESSED_KEYS. */
export function rememberProcessed(state: StatusState, key: string): StatusState {
  if (state.processed.includes(key)) return state;
  return { ...state, processed: [...state.processed, key].slice(-MAX_PROCESSED_KEYS) };
}

/** The answer to the last command, shown at the top of the comment. */
export type CommandAnswer =
  | { outcome: "done"; actor: string; command: string; message: string }
  /** Something was recorded, and what it records is a failure (a stage failed): never shown with ✅. */
  | { outcome: "failed"; actor: string; command: string; message: string }
  | { outcome: "refused"; actor: string; command: string; refusals: readonly Refusal[] }
  | { outcome: "help"; actor: string; command: string; unknownVerb?: string };

export interface StatusCommentInput {
  rollout: RolloutState;
  stored: StatusState;
  answer?: CommandAnswer | null;
  /** From helpText(config). */
  help: string;
  /** The environment's deployments page, used when a stage has no log link. */
  deploymentsUrl?: string;
  now: Date;
}

const PHASE: Record<StagePhase, string> = {
  pending: "⏳ pending",
  queued: "🕓 queued",
  in_progress: "🔄 running",
  success: "✅ success",
  failure: "❌ failed",
  "rolled-back": "↩️ rolled back",
};

const REFUSAL_TITLE: Record<Refusal["code"], string> = {
  "not-ready": "Not ready",
  "not-merged": "Not merged",
  "previous-stage-not-successful": "Previous stage",
  "observation-window": "Observation window",
  paused: "Paused",
  blackout: "Blackout",
  "release-window": "Release window",
  "stage-order": "Stage order",
  "unknown-stage": "Unknown stage",
  "already-complete": "Complete",
  "rolled-back": "Rolled back",
  "in-progress": "In progress",
  "not-release-gate": "Not a Release Gate deployment",
  "wrong-sha": "Wrong commit",
  "wrong-environment": "Wrong environment",
  "not-trusted": "Not created by Release Gate",
  "wrong-rollback-target": "Wrong rollback target",
  "not-permitted": "Permission",
  "no-reason": "Reason missing",
  "no-pending-override": "Nothing to approve",
  "own-pull-request": "Own pull request",
  "own-request": "Own request",
  "stale-override": "Override out of date",
  "override-void": "Override request void",
  "requester-not-permitted": "Requester's role",
};

export function renderStatusComment(input: StatusCommentInput): string {
  const { rollout, stored } = input;
  const parts: string[] = [STATUS_MARKER, renderStateBlock(stored), "", `### Release Gate · rollout`];
  if (input.answer) parts.push("", renderAnswer(input.answer));
  // Regions and cohorts get their own columns only when the plan has them: a plain plan reads as before.
  const columns = {
    environment: new Set(rollout.stages.map((s) => s.environment)).size > 1,
    cohort: rollout.stages.some((s) => s.cohort !== undefined),
  };
  const head = ["Stage", ...(columns.environment ? ["Environment"] : []), ...(columns.cohort ? ["Cohort"] : []), "Traffic", "State", "By", "Started", "Deployment"];
  parts.push("", `| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
  for (const stage of rollout.stages) parts.push(stageRow(stage, rollout, input, columns));
  if (rollout.rollback) {
    const r = rollout.rollback;
    parts.push(
      "",
      `**Rolled back** to ${code(r.sha.slice(0, 7))} by ${who(r.by)} at ${when(r.at)} (${escapeProse(r.state)}): ${escapeProse(r.reason)}`,
    );
    if (columns.environment && rollout.rollbacks.length > 0) {
      parts.push(
        "",
        `Environments rolled back, newest first: ${rollout.rollbacks.map((b) => `${code(b.environment, 60)} to ${code(b.sha.slice(0, 7))} (deployment ${b.deploymentId}, ${escapeProse(b.state)})`).join("; ")}.`,
      );
    }
  } else if (columns.environment) {
    const known = Object.entries(rollout.lastGood).filter((e): e is [string, string] => e[1] !== null);
    if (known.length > 0) {
      parts.push("", `<sub>A rollback redeploys each environment's last good version: ${known.map(([env, sha]) => `${code(sha.slice(0, 7))} in ${code(env, 60)}`).join(", ")}.</sub>`);
    }
  } else if (rollout.lastGoodSha) {
    parts.push("", `<sub>A rollback redeploys ${code(rollout.lastGoodSha.slice(0, 7))}, the environment's last good version.</sub>`);
  }
  const override = renderOverrideLine(stored);
  if (override) parts.push("", override);
  if (rollout.ignored.length > 0) parts.push("", renderIgnored(rollout.ignored));
  const helpOpen = input.answer?.outcome === "help" ? " open" : "";
  parts.push("", `<details${helpOpen}><summary>Commands</summary>`, "", input.help, "", "</details>");
  return truncateMarkdown(parts.join("\n"), MAX_COMMENT_CHARS);
}

function renderAnswer(answer: CommandAnswer): string {
  const head = `**${code(answer.command, 100)}** by ${who(answer.actor)}`;
  switch (answer.outcome) {
    case "done":
      return `${head}: ✅ ${escapeMessage(answer.message)}`;
    case "failed":
      return `${head}: ❌ ${escapeMessage(answer.message)}`;
    case "refused":
      return [`${head}: 🚫 refused, nothing changed.`, ...answer.refusals.map(refusalLine)].join("\n");
    case "help":
      return answer.unknownVerb !== undefined
        ? `${head}: ${answer.unknownVerb === "" ? "no command given" : `unknown command ${code(answer.unknownVerb, 40)}`}; the commands are below.`
        : `${head}: the commands are below.`;
  }
}

/** One refusal as a list item: its title in bold, its message escaped. */
export function refusalLine(refusal: Refusal): string {
  return `- **${REFUSAL_TITLE[refusal.code]}:** ${escapeMessage(refusal.message)}`;
}

function stageRow(stage: StageView, rollout: RolloutState, input: StatusCommentInput, columns: { environment: boolean; cohort: boolean }): string {
  let state = PHASE[stage.phase];
  if (stage.phase === "success" && stage.observeEndsAt && Date.parse(stage.observeEndsAt) > input.now.getTime()) {
    state += `, observed until ${when(stage.observeEndsAt, { roundUp: true })}`;
  }
  const started = stage.startedAt ? when(stage.startedAt) : "";
  const cells = [
    escapeProse(stage.name),
    ...(columns.environment ? [stage.environment ? escapeProse(stage.environment) : ""] : []),
    ...(columns.cohort ? [stage.cohort ? escapeProse(stage.cohort) : ""] : []),
    // A cohort stage serves its whole cohort; a percent stage, that share of everyone else.
    stage.cohort !== undefined ? "whole cohort" : `${stage.percent}%`,
    state,
    stage.deploymentId ? who(stage.by ?? null) : "",
    started,
    deploymentCell(stage, rollout, input),
  ];
  return `| ${cells.join(" | ")} |`;
}

function deploymentCell(stage: StageView, rollout: RolloutState, input: StatusCommentInput): string {
  if (stage.deploymentId === undefined) return "";
  const label = `${stage.deploymentId}${stage.sha ? ` (${stage.sha.slice(0, 7)})` : ""}`;
  const log = [...rollout.timeline].reverse().find((t) => t.deploymentId === stage.deploymentId && t.logUrl)?.logUrl;
  const url = safeUrl(log) ?? safeUrl(input.deploymentsUrl);
  return url ? `[${escapeProse(label)}](${url})` : escapeProse(label);
}

function renderOverrideLine(stored: StatusState): string | undefined {
  const a = stored.approvedOverride;
  if (a) {
    return `**Override** for ${code(a.sha.slice(0, 7))}: requested by ${who(a.requestedBy)} (${escapeProse(a.reason)}), approved by ${who(a.approvedBy)}. It lapses with the next push.`;
  }
  const p = stored.pendingOverride;
  if (p) {
    return `**Override requested** for ${code(p.sha.slice(0, 7))} by ${who(p.requestedBy)}: ${escapeProse(p.reason)}. A second person with write access, not the author, approves with \`/release approve-override\`.`;
  }
  return undefined;
}

/** Records shown at most; the rest are counted. */
export const MAX_IGNORED_SHOWN = 10;

/**
 * Deployments and statuses someone wrote by hand (or another tool did): they do not count, and the
 * comment says so, so a team sees both the attempt and why the rollout ignored it.
 */
function renderIgnored(ignored: readonly IgnoredRecord[]): string {
  const lines = ignored.slice(0, MAX_IGNORED_SHOWN).map((r) => {
    const stage = r.stage ? ` (${escapeProse(r.stage)})` : "";
    return r.kind === "deployment"
      ? `- ignored: deployment ${r.deploymentId}${stage} by ${who(r.by)} — not created by Release Gate`
      : `- ignored: ${escapeProse(r.state)} status on deployment ${r.deploymentId}${stage} by ${who(r.by)} — not written by a stage runner (\`rollout.status-writers\`)`;
  });
  const more = ignored.length - MAX_IGNORED_SHOWN;
  if (more > 0) lines.push(`- and ${more} more ignored record${more > 1 ? "s" : ""}`);
  return ["**Ignored records** (they do not count for the rollout):", ...lines].join("\n");
}

/** A login as plain text: never a mention (the app must not ping people on every edit). */
function who(login: string | null): string {
  return login ? escapeProse(login) : "—";
}

function when(iso: string, options: { roundUp?: boolean } = {}): string {
  return Number.isNaN(Date.parse(iso)) ? escapeProse(iso) : utcMinute(iso, options);
}
