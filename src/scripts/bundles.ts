// The bundled entries committed under action/ (runners execute them without `npm ci`), built with
// esbuild: one ESM file per entry, no install step, a few hundred milliseconds per build.
import { copyFile, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { build } from "esbuild";

export interface BundleEntry {
  entry: string;
  outfile: string;
}

export const BUNDLES: BundleEntry[] = [
  { entry: "src/action/index.ts", outfile: "action/dist/index.js" },
  { entry: "src/no-server/index.ts", outfile: "action/no-server/dist/index.js" },
];

/**
 * Some dependencies are CommonJS and call `require` (and libpg-query finds its WASM through
 * `__dirname`); an ESM bundle needs both defined.
 */
const REQUIRE_SHIM =
  "import { createRequire as __releaseGateRequire } from 'node:module'; const require = __releaseGateRequire(import.meta.url); " +
  "import { dirname as __releaseGateDirname } from 'node:path'; import { fileURLToPath as __releaseGateFileUrl } from 'node:url'; " +
  "const __dirname = __releaseGateDirname(__releaseGateFileUrl(import.meta.url));";

/** Files a bundle loads at run time from its own directory; copied next to the bundles that name them. */
export const RUNTIME_ASSETS = ["node_modules/libpg-query/wasm/libpg-query.wasm"];

export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    banner: { js: REQUIRE_SHIM },
    legalComments: "none",
    logLevel: "error",
  });
  const text = await readFile(outfile, "utf8");
  for (const asset of RUNTIME_ASSETS) {
    if (text.includes(basename(asset))) await copyFile(asset, join(dirname(outfile), basename(asset)));
  }
}
