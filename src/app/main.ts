// `npm start`: Probot's `run` (same environment variables as `probot run`) with our Octokit class.
import { run } from "probot";
import app from "./index.js";
import { releaseGateOctokit } from "./release-gate-octokit.js";

await run(app, { Octokit: releaseGateOctokit(process.env) });
