// Rule: inputs too large to read fail the check instead of being half-read. The PR description
// (read before its plan is parsed) and the changed-file list have no other item to fail; the config
// file and migration files fail their own items.
import { checkLimit, describeOverLimit, type OverLimit } from "../limits.js";
import type { PullFacts, ReadinessItem, Rule } from "./types.js";

/** The description over its cap, if it is: then its plan is not parsed at all. */
export function bodyOverLimit(facts: Pick<PullFacts, "body">): OverLimit | undefined {
  return checkLimit("body", facts.body?.length ?? 0, "The PR description");
}

/** Caps that belong to one input kind, from what the adapter refused. */
export function overLimitsOf(facts: Pick<PullFacts, "overLimits">, ...inputs: OverLimit["input"][]): OverLimit[] {
  return (facts.overLimits ?? []).filter((o) => inputs.includes(o.input));
}

export const inputLimitsRule: Rule = ({ facts }) => {
  const items: ReadinessItem[] = [];
  const body = bodyOverLimit(facts);
  if (body) {
    items.push({
      id: "description-size",
      title: "PR description",
      required: true,
      status: "fail",
      reason: `${describeOverLimit(body)}, so the release plan in it was not read.`,
      fix: "Shorten the description: move logs and long notes to a linked issue or file, keep the release plan sections.",
    });
  }
  for (const over of overLimitsOf(facts, "changedFiles")) {
    items.push({
      id: "changed-files",
      title: "Changed files",
      required: true,
      status: "fail",
      reason: `${describeOverLimit(over)}: GitHub lists no more, so the path rules (migrations, high-risk, communication) cannot see every file.`,
      fix: "Split the change into smaller PRs.",
    });
  }
  return { items };
};
