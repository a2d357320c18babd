// Files generated from the source of truth in src/core: the config JSON Schema, the PR template and
// the migration rule catalogue page.
import { z } from "zod";
import { configSchema } from "../core/config/schema.js";
import { PR_TEMPLATE } from "../core/plan/template.js";
import { renderSqlRulesDoc } from "../core/sql/rule-docs.js";

export const SCHEMA_FILE = "docs/release-gate.schema.json";
export const TEMPLATE_FILE = ".github/pull_request_template.md";
export const SQL_RULES_FILE = "docs/sql-rules.md";

/**
 * zod drops every default of a schema that transforms, in input mode, since a default is an output
 * value. A glob list takes one string and makes it a list, yet its default is a list, itself a valid
 * input: such defaults go back in, so editors still show them.
 */
function keepInputDefaults(ctx: { zodSchema: z.core.$ZodType; jsonSchema: Record<string, unknown> }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== "default" || "default" in ctx.jsonSchema) return;
  const { innerType, defaultValue } = def as z.core.$ZodDefaultDef;
  if (z.safeParse(innerType, defaultValue).success) ctx.jsonSchema.default = JSON.parse(JSON.stringify(defaultValue));
}

export function generatedFiles(): Record<string, string> {
  const schema = {
    ...z.toJSONSchema(configSchema, { io: "input", target: "draft-7", unrepresentable: "any", override: keepInputDefaults }),
    $id: "https://github.com/release-gate/release-gate/blob/main/docs/release-gate.schema.json",
    title: "Release Gate configuration (.github/release-gate.yml)",
  };
  return {
    [SCHEMA_FILE]: `${JSON.stringify(schema, null, 2)}\n`,
    [TEMPLATE_FILE]: PR_TEMPLATE,
    [SQL_RULES_FILE]: renderSqlRulesDoc(),
  };
}
