// INTERIM: adapter-side view of the status comment until src/core/render/status-comment.ts lands.
import type { OverrideApproval, OverrideRequest } from "../../core/commands/override-policy.js";
import type { RolloutState } from "../../core/rollout/types.js";
import { escapeProse } from "../../core/render/markdown.js";

export const STATUS_MARKER = "<!-- release-gate:status -->";
const STATE_OPEN = "<!-- release-gate:state ";
const STATE_CLOSE = " -->";

export interface StatusState {
  /** A pending override request, or the approval with its post-mortem issue. */
  override?: OverrideRequest | (OverrideApproval & { issue: number });
}

export interface StatusView {
  release: number;
  rollout: RolloutState | null;
  environment: string | null;
  paused: boolean;
  state: StatusState;
  last: { what: string; actor: string | null; url?: string; at: string; result: string; code: string; message: string };
}

export function parseStatusState(body: string | undefined | null): StatusState {
  if (!body) return {};
  const start = body.indexOf(STATE_OPEN);
  if (start === -1) return {};
  const end = body.indexOf(STATE_CLOSE, start + STATE_OPEN.length);
  try {
    const value = JSON.parse(body.slice(start + STATE_OPEN.length, end)) as StatusState;
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}

export function renderStatusComment(view: StatusView): string {
  const lines = [STATUS_MARKER, `### Release Gate · release #${view.release}`, ""];
  const icon = view.last.result === "done" ? "✅" : view.last.result === "refused" ? "⛔" : "ℹ️";
  lines.push(`**Last:** ${escapeProse(view.last.what)}${view.last.actor ? ` by @${view.last.actor}` : ""} at ${view.last.at}`);
  lines.push(`${icon} ${view.last.message}`, "");
  if (view.rollout) {
    lines.push(`| stage | traffic | state | since |`, `| --- | --- | --- | --- |`);
    for (const s of view.rollout.stages) lines.push(`| ${escapeProse(s.name)} | ${s.percent}% | ${s.phase} | ${s.startedAt ?? ""} |`);
    if (view.paused) lines.push("", "⏸️ Paused.");
  }
  const state = JSON.stringify(view.state).replace(/-->/g, "--\\u003e");
  lines.push("", `${STATE_OPEN}${state}${STATE_CLOSE}`);
  return lines.join("\n");
}
