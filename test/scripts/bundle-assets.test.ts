// A bundle that loads a file at run time (the SQL parser's WASM) ships it next to itself, and the
// committed copy is the one the installed dependency has.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { BUNDLES, RUNTIME_ASSETS } from "../../src/scripts/bundles.js";

it.each(BUNDLES)("$outfile ships the run-time assets it names", async ({ outfile }) => {
  const text = await readFile(outfile, "utf8");
  for (const asset of RUNTIME_ASSETS) {
    const shipped = join(dirname(outfile), basename(asset));
    if (!text.includes(basename(asset))) {
      expect(existsSync(shipped)).toBe(false);
      continue;
    }
    const [committed, installed] = await Promise.all([readFile(shipped), readFile(asset)]);
    expect(committed.equals(installed)).toBe(true);
  }
});
