// The help the status comment shows for `/release help` and for unknown verbs.
import { stageTraffic } from "../config/stage-plan.js";
import type { ReleaseGateConfig } from "../config/schema.js";
import { escapeProse } from "../render/markdown.js";
import { requiredRole } from "./permission-policy.js";
import type { Verb } from "./types.js";

const USAGE: Record<Verb, { usage: string; does: string }> = {
  advance: { usage: "/release advance [stage]", does: "start the next stage (naming it is optional; stages cannot be skipped)" },
  rollback: { usage: "/release rollback [reason]", does: "redeploy the last good version now; always allowed" },
  pause: { usage: "/release pause", does: "stop further stages until resumed (adds the pause label)" },
  resume: { usage: "/release resume", does: "allow stages again" },
  status: { usage: "/release status", does: "refresh this comment" },
  override: { usage: "/release override <reason>", does: "ask to pass the readiness check without its requirements" },
  "approve-override": { usage: "/release approve-override", does: "approve the pending override (not its requester, not the PR author)" },
  help: { usage: "/release help", does: "show this help" },
};

/** A Markdown table of the verbs with the role each needs under this config. */
export function helpText(config: Pick<ReleaseGateConfig, "commands" | "rollout">): string {
  const stages = config.rollout.stages.map((s) => `${escapeProse(s.name)} (${escapeProse(stageTraffic(s))})`).join(" → ");
  const rows = (Object.keys(USAGE) as Verb[]).map((verb) => {
    const role = requiredRole(verb, { commands: config.commands });
    const final = verb === "advance" ? requiredRole(verb, { commands: config.commands, finalStage: true }) : role;
    const roles = final === role ? role : `${role}; ${final} for the last stage`;
    return `| \`${USAGE[verb].usage}\` | ${USAGE[verb].does} | ${roles} |`;
  });
  return [
    "| command | what it does | least role |",
    "| --- | --- | --- |",
    ...rows,
    "",
    `Stages: ${stages}. Write commands on a line of their own; lines in code blocks and quotes are ignored.`,
  ].join("\n");
}
