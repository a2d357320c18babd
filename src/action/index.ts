// Entry of the Action (main and post step): only runs.
import { isPostStep, post, run } from "./run.js";

await (isPostStep() ? post() : run());
