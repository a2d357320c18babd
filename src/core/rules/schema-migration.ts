// Rule: a PR that changes migrations declares them backward compatible with the running version
// (seed 000: "DB migration that is compatible across both old and new app versions").
import { listPaths, matchingPaths } from "./match-paths.js";
import type { Rule } from "./types.js";

const COMPATIBLE = /\b(?:backwards?[\s-]*compatible|expand\s*\/\s*contract|expand[\s-]+contract|expand\s+phase)\b/i;
const NO_MIGRATION = /\bno\s+(?:schema\s+)?migrations?\b/i;

export const schemaMigrationRule: Rule = ({ facts, plan, config }) => {
  const base = { id: "schema-migration", title: "Schema migration", required: true };
  const migrations = matchingPaths(facts.changedFiles, config.migrations.paths);
  if (migrations.length === 0) {
    return { items: [{ ...base, required: false, status: "not-applicable", reason: "No changed file matches the migration paths." }] };
  }
  const files = listPaths(migrations);
  const heading = config.headings.migration[0];
  const section = plan.sections.migration;
  if (!section) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `Migrations changed (${files}) but the PR has no schema migration section.`,
          fix: `Add a \`## ${heading}\` section with a checked box: \`- [x] This migration is backward compatible with the running version (expand/contract)\`.`,
        },
      ],
    };
  }
  const claim = section.checkboxes.find((box) => COMPATIBLE.test(box.label));
  const denial = section.checkboxes.find((box) => box.checked && NO_MIGRATION.test(box.label));
  if (denial && !claim?.checked) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `The plan says there is no schema migration, but ${files} changed.`,
          fix: "Uncheck \"no schema migration\" and declare the migration backward compatible, or move it to its own PR.",
        },
      ],
    };
  }
  if (!claim?.checked) {
    return {
      items: [
        {
          ...base,
          status: "fail",
          reason: `Migrations changed (${files}) without a checked backward-compatibility box.`,
          fix: "Check `This migration is backward compatible with the running version (expand/contract)` once the old version works against the new schema; otherwise split the change into expand and contract releases.",
        },
      ],
    };
  }
  return { items: [{ ...base, status: "pass", reason: `Declared backward compatible (line ${claim.line}) for ${files}.` }] };
};
