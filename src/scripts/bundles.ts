// The bundled entries committed under action/ (runners execute them without `npm ci`), built with
// esbuild: one ESM file per entry, no install step, a few hundred milliseconds per build.
import { build } from "esbuild";

export interface BundleEntry {
  entry: string;
  outfile: string;
}

export const BUNDLES: BundleEntry[] = [{ entry: "src/no-server/index.ts", outfile: "action/no-server/dist/index.js" }];

/** Some dependencies are CommonJS and call `require`; an ESM bundle needs it defined. */
const REQUIRE_SHIM = "import { createRequire as __releaseGateRequire } from 'node:module'; const require = __releaseGateRequire(import.meta.url);";

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
}
