// The committed bundles must be what the sources build today: runners execute action/**/dist as is.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLES, bundle } from "../../src/scripts/bundles.js";

it.each(BUNDLES)("$outfile is current with $entry (run `npm run bundle` if not)", async ({ entry, outfile }) => {
  const dir = await mkdtemp(join(tmpdir(), "rg-bundle-"));
  const fresh = join(dir, "index.js");
  let committed: string, rebuilt: string;
  try {
    await bundle(entry, fresh);
    [committed, rebuilt] = await Promise.all([readFile(outfile, "utf8"), readFile(fresh, "utf8")]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(committed.length).toBe(rebuilt.length);
  expect(committed === rebuilt).toBe(true);
}, 60_000);
