// `npm start`: Probot's `run` (same environment variables as `probot run`) with our Octokit class.
import { run } from "probot";
import app from "./index.js";
import { releaseGateOctokit } from "./release-gate-octokit.js";
import { checkStartupEnv, environmentWithDotEnv } from "./startup-env.js";

const startup = checkStartupEnv(environmentWithDotEnv(process.env));
if (!startup.ok) {
  console.error(startup.message);
  process.exit(1);
}
const server = await run(app, { Octokit: releaseGateOctokit(process.env) });
// Probot stops its server on SIGINT only; process managers, containers and `npm start` (which passes
// its signals on) send SIGTERM, and the app must go with them rather than linger on the port.
process.once("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("Error while stopping the server", error);
      process.exit(1);
    },
  );
});
