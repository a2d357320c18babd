// `npm run generate`: rewrites the generated files; a test fails when they are stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generatedFiles } from "./generated-files.js";

for (const [path, content] of Object.entries(generatedFiles())) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
