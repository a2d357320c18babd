// Rule: every PR names how it is undone and the numbers that make us undo it (seed 002: "Must include
// specific thresholds (not 'if it breaks')").
import { meaningfulLines } from "../plan/template.js";
import { formatTrigger, parseTriggers } from "../plan/parse-triggers.js";
import type { ReadinessItem, Rule } from "./types.js";

export type ProcedureKind = "flag" | "redeploy" | "revert" | "other";

const PROCEDURES: { kind: ProcedureKind; pattern: RegExp }[] = [
  { kind: "flag", pattern: /\b(?:feature[\s-]*flags?|flags?|toggles?|kill[\s-]*switch|feature[\s-]*gates?)\b/i },
  {
    kind: "redeploy",
    pattern: /\b(?:re-?deploy\w*|previous\s+(?:release|version|build|image|tag|deploy\w*)|last\s+(?:good|known[\s-]+good|stable)\b|helm\s+rollback|rollout\s+undo|roll(?:ing)?\s*back\s+(?:the\s+)?(?:deploy\w*|release|image|version))/i,
  },
  { kind: "revert", pattern: /\b(?:revert\w*|git\s+revert|down\s+migration|restore\w*|downgrade\w*)\b/i },
  { kind: "other", pattern: /\b(?:roll\s*back|rollback|disable|turn\s+off|switch\s+off|failover|fail\s+over)\b/i },
];

const EXAMPLE = "`Procedure: turn off the checkout-v2 flag` and `Triggers: error rate > 1% for 5m; p99 latency > 2x baseline`";

export const rollbackContractRule: Rule = ({ plan, config }) => {
  const required = config.rollback.required;
  const base = { id: "rollback-contract", title: "Rollback contract", required };
  const heading = config.headings.rollback[0];
  const section = plan.sections.rollback;
  if (!section) {
    return {
      items: [
        fail(base, "No rollback contract section in the PR description.", `Add a \`## ${heading}\` section with ${EXAMPLE}.`),
      ],
    };
  }
  const lines = meaningfulLines(section);
  if (lines.length === 0) {
    return { items: [fail(base, "The rollback contract is empty or still the template text.", `Fill it in, e.g. ${EXAMPLE}.`)] };
  }
  const text = lines.map((l) => l.text).join("\n");
  const procedure = PROCEDURES.find((p) => p.pattern.test(text))?.kind;
  const triggers = parseTriggers(lines);
  if (!procedure && triggers.length === 0) {
    return {
      items: [fail(base, "The contract names neither a rollback procedure nor a numeric trigger.", `Say how to undo and when, e.g. ${EXAMPLE}.`)],
    };
  }
  if (!procedure) {
    return {
      items: [
        fail(
          base,
          `Triggers found (${triggers.map(formatTrigger).join("; ")}) but no procedure: how is this undone?`,
          "Name the procedure: a flag to turn off, the previous release to redeploy, or a revert.",
        ),
      ],
      triggers,
    };
  }
  if (triggers.length === 0) {
    return {
      items: [
        fail(
          base,
          "The contract is vague: no trigger with a number (\"revert if it breaks\" cannot be checked by anyone).",
          "Add at least one metric with a threshold, e.g. `error rate > 1% for 5m` or `p99 latency > 2x baseline`.",
        ),
      ],
    };
  }
  return {
    items: [
      {
        ...base,
        status: "pass",
        reason: `Procedure: ${PROCEDURE_LABEL[procedure]}. Triggers: ${triggers.map(formatTrigger).join("; ")}.`,
      },
    ],
    triggers,
  };
};

const PROCEDURE_LABEL: Record<ProcedureKind, string> = {
  flag: "flag flip",
  redeploy: "redeploy previous release",
  revert: "revert",
  other: "rollback",
};

function fail(base: Omit<ReadinessItem, "status" | "reason">, reason: string, fix: string): ReadinessItem {
  return { ...base, status: "fail", reason, fix };
}
