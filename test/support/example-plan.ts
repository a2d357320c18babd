// The example plan of docs/cohorts-and-regions.md, read from the page itself, so the page, the config
// test and the e2e test all use the one text a user would copy.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const EXAMPLE_PLAN_DOC = fileURLToPath(new URL("../../docs/cohorts-and-regions.md", import.meta.url));

export function examplePlanYaml(): string {
  const page = readFileSync(EXAMPLE_PLAN_DOC, "utf8");
  const marker = page.indexOf("<!-- example-plan:");
  const block = /```yaml\n([\s\S]*?)```/.exec(page.slice(marker));
  if (marker === -1 || !block) throw new Error(`${EXAMPLE_PLAN_DOC}: no example-plan yaml block`);
  return block[1]!;
}
