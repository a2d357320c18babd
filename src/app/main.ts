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
await run(app, { Octokit: releaseGateOctokit(process.env) });
