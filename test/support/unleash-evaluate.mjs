// Unleash's own evaluation: the official Node SDK (unleash-client, shipped inside the test server's
// node_modules) fetches the flags from the real server's client API and answers isEnabled for each
// context. Run as a child process so jest's module loader (which hides test/servers) stays out of it.
// stdin: { modules, url, token, feature, contexts }; stdout: { enabled: boolean[] }.
import { createRequire } from "node:module";
import { join } from "node:path";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { modules, url, token, feature, contexts } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const require = createRequire(join(modules, "noop.js"));
const { Unleash, InMemStorageProvider } = require("unleash-client");

const unleash = new Unleash({
  url: `${url}/api/`,
  appName: "release-gate-test",
  customHeaders: { Authorization: token },
  disableMetrics: true,
  // The first fetch happens only when polling is on; destroy() below ends it before a second one.
  refreshInterval: 60_000,
  // No backup file in the temp dir: a stale copy from an earlier run must never answer.
  storageProvider: new InMemStorageProvider(),
});
await new Promise((resolve, reject) => {
  unleash.once("synchronized", resolve);
  unleash.once("error", reject);
});
const enabled = contexts.map((context) => unleash.isEnabled(feature, context));
unleash.destroy();
process.stdout.write(JSON.stringify({ enabled }));
