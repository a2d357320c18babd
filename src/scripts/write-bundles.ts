// `npm run bundle`: rebuilds every committed bundle under action/.
import { BUNDLES, bundle } from "./bundles.js";

for (const { entry, outfile } of BUNDLES) {
  await bundle(entry, outfile);
  console.log(`${entry} -> ${outfile}`);
}
