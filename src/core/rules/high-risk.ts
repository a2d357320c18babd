// Rule: changes to high-risk paths (auth, payments, migrations...) need more before release
// (seed 002: "High-risk changes require extra gates").
import { listPaths, matchingPaths } from "./match-paths.js";
import type { ReadinessItem, Rule } from "./types.js";

export const highRiskRule: Rule = ({ facts, config }) => {
  const items: ReadinessItem[] = [];
  for (const group of config["high-risk"]) {
    const matched = matchingPaths(facts.changedFiles, group.paths);
    if (matched.length === 0) continue;
    const base = { id: `high-risk:${group.name}`, title: `High-risk: ${group.name}`, required: true };
    const missing: string[] = [];
    const fixes: string[] = [];
    if (group.approvals > 0) {
      const approvers = (facts.approvers ?? []).filter((login) => login.toLowerCase() !== facts.author.toLowerCase());
      if (approvers.length < group.approvals) {
        missing.push(`${approvers.length} of ${group.approvals} approvals`);
        fixes.push(`get ${group.approvals - approvers.length} more approving review(s) from someone other than the author`);
      }
    }
    if (group.label && !facts.labels.some((l) => l.toLowerCase() === group.label!.toLowerCase())) {
      missing.push(`label \`${group.label}\` missing`);
      fixes.push(`add the label \`${group.label}\``);
    }
    const plan = group.stages ? ` Rollout uses the slower ${group.stages.length}-stage plan.` : "";
    const touches = `Touches ${listPaths(matched)}.`;
    items.push(
      missing.length === 0
        ? { ...base, status: "pass", reason: `${touches} Extra requirements met.${plan}` }
        : { ...base, status: "fail", reason: `${touches} ${capitalize(missing.join("; "))}.${plan}`, fix: `${capitalize(fixes.join(" and "))}.` },
    );
  }
  return { items };
};

/** Whether any high-risk group needs review data (so adapters fetch reviews only then). */
export function needsApprovals(changedFiles: readonly string[], groups: readonly { paths: string[]; approvals: number }[]): boolean {
  return groups.some((g) => g.approvals > 0 && matchingPaths(changedFiles, g.paths).length > 0);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
