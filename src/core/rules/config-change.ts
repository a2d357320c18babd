// Rule: a PR that edits `.github/release-gate.yml` gets the proposed file validated. The gate itself
// keeps using the default branch's config, so a PR cannot loosen its own check.
import { CONFIG_PATH, formatProblem } from "../config/parse-config.js";
import { describeOverLimit } from "../limits.js";
import { overLimitsOf } from "./input-limits.js";
import type { Annotation, Rule } from "./types.js";

export const configChangeRule: Rule = ({ facts }) => {
  if (!facts.changedFiles.includes(CONFIG_PATH)) return { items: [] };
  const base = { id: "config-change", title: "Release Gate config change", required: true };
  const [tooLarge] = overLimitsOf(facts, "config");
  if (tooLarge) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `${describeOverLimit(tooLarge)}; it was not read.`,
          fix: "Keep the config small: it holds settings, not data (the full set of options is a few KiB).",
        },
      ],
    };
  }
  const problems = facts.proposedConfigProblems ?? [];
  if (problems.length === 0) {
    return {
      items: [{ ...base, status: "pass", reason: `The proposed \`${CONFIG_PATH}\` is valid; it applies once merged to the default branch.` }],
    };
  }
  const annotations: Annotation[] = problems.map((p) => ({
    path: CONFIG_PATH,
    startLine: p.line,
    endLine: p.line,
    level: "failure",
    title: "Invalid Release Gate config",
    message: formatProblem(p),
  }));
  return {
    items: [
      {
        ...base,
        status: "fail",
        reason: `The proposed \`${CONFIG_PATH}\` is invalid: ${formatProblem(problems[0]!)}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ""}.`,
        fix: "Fix the file; the JSON Schema `docs/release-gate.schema.json` gives editor completion.",
      },
    ],
    annotations,
  };
};
