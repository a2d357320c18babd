import { readFileSync } from "node:fs";
import { generatedFiles } from "../../src/scripts/generated-files.js";

describe("generated files", () => {
  it.each(Object.entries(generatedFiles()))("%s is current (run `npm run generate`)", (path, content) => {
    expect(readFileSync(path, "utf8")).toBe(content);
  });
});
