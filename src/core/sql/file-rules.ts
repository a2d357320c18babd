// Rules about a migration file as a whole (how the PR changes it), not about its statements. Kept
// beside the statement catalog; `migrations.rules` configures both.
import { SQL_RULE_IDS, type SqlRuleId, type SqlRuleSpec } from "./rule-catalog.js";

export const FILE_RULES = {
  "edited-applied-migration": {
    class: "breaking",
    title: "Edits a migration that already exists on the base branch",
    why: "A migration on the base branch has probably run in production already; migration tools do not run it again (or refuse to start on a checksum mismatch), so the edit never reaches the databases that matter, or it re-runs under a new name.",
    alternative: "Leave the existing migration as it is and add a new migration with the change.",
    lock: "none of its own (the file's statements are judged by their own rules)",
    versions: "all",
  },
} as const satisfies Record<string, SqlRuleSpec>;

export type FileRuleId = keyof typeof FILE_RULES;

/** Every rule id `migrations.rules` accepts: statement rules and file rules. */
export type MigrationRuleId = SqlRuleId | FileRuleId;

export const MIGRATION_RULE_IDS = [...SQL_RULE_IDS, ...(Object.keys(FILE_RULES) as FileRuleId[])] as [MigrationRuleId, ...MigrationRuleId[]];
