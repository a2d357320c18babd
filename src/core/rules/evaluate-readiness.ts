// The readiness engine: parse the plan once, run every rule, fold the items into one verdict.
import type { ReleaseGateConfig, Stage } from "../config/schema.js";
import { parsePlan } from "../plan/parse-plan.js";
import type { RollbackTrigger } from "../plan/parse-triggers.js";
import { communicationRule } from "./communication.js";
import { configChangeRule } from "./config-change.js";
import { highRiskRule } from "./high-risk.js";
import { bodyOverLimit, inputLimitsRule } from "./input-limits.js";
import { matchingPaths } from "./match-paths.js";
import { rollbackContractRule } from "./rollback-contract.js";
import { schemaMigrationRule } from "./schema-migration.js";
import type { Annotation, PullFacts, ReadinessItem, Rule } from "./types.js";

export const RULES: readonly Rule[] = [inputLimitsRule, rollbackContractRule, schemaMigrationRule, communicationRule, highRiskRule, configChangeRule];

export interface ReadinessVerdict {
  conclusion: "success" | "failure";
  items: ReadinessItem[];
  annotations: Annotation[];
  /** Rollback triggers parsed from the contract: the rollout's automatic gates. */
  triggers: RollbackTrigger[];
  /** The rollout plan this PR gets: a high-risk group's slower stages, else the configured ones. */
  stages: Stage[];
  headSha: string;
  /** Set when GitHub listed fewer changed files than the PR has. */
  warnings: string[];
  /** Shown in the check's title after the verdict. */
  titleNotes?: string[];
}

export function evaluateReadiness(facts: PullFacts, config: ReleaseGateConfig): ReadinessVerdict {
  // An oversized description is not parsed at all; its own item fails and names the cap.
  const plan = parsePlan(bodyOverLimit(facts) ? null : facts.body, config.headings);
  const items: ReadinessItem[] = [];
  const annotations: Annotation[] = [];
  const triggers: RollbackTrigger[] = [];
  const titleNotes: string[] = [];
  for (const rule of RULES) {
    const out = rule({ facts, plan, config });
    items.push(...out.items);
    annotations.push(...(out.annotations ?? []));
    triggers.push(...(out.triggers ?? []));
    titleNotes.push(...(out.titleNotes ?? []));
  }
  const warnings: string[] = [];
  if (facts.changedFilesTruncated) {
    warnings.push(`GitHub lists only the first ${facts.changedFiles.length} changed files; path rules saw those.`);
  }
  for (const key of plan.duplicates) warnings.push(`The ${key} section appears more than once; only the first is read.`);
  const failed = items.some((item) => item.required && item.status === "fail");
  const slower = config["high-risk"].find((g) => g.stages && matchingPaths(facts.changedFiles, g.paths).length > 0);
  return {
    conclusion: failed ? "failure" : "success",
    items,
    annotations,
    triggers,
    stages: slower?.stages ?? config.rollout.stages,
    headSha: facts.headSha,
    warnings,
    ...(titleNotes.length > 0 ? { titleNotes } : {}),
  };
}
