// Entry of the no-server workflow step: only runs.
import { run } from "./run.js";

await run();
