// What each verb does once the command is received and permitted: one file per verb in verbs/. Each
// returns what it wrote, so the caller can log and tests can prove the write budget; the status
// comment is edited by the caller.
import type { GitHubClient } from "../../github/client.js";
import type { VerbContext, VerbResult } from "./types.js";
import { advance } from "./verbs/advance.js";
import { approveOverride } from "./verbs/approve-override.js";
import { requestOverride } from "./verbs/override.js";
import { pause } from "./verbs/pause-resume.js";
import { rollback } from "./verbs/rollback.js";
import { status } from "./verbs/status.js";

export async function runVerb(octokit: GitHubClient, ctx: VerbContext): Promise<VerbResult> {
  const { command } = ctx.request;
  if (command.kind === "unknown") {
    return { result: "refused", code: "unknown-verb", message: command.word, writes: 0 };
  }
  switch (command.verb) {
    case "help":
      return { result: "done", code: "help", message: "", writes: 0 };
    case "status":
      return status();
    case "advance":
      return advance(octokit, ctx, command.args[0]);
    case "rollback":
      return rollback(octokit, ctx, command.args.join(" ").trim());
    case "pause":
      return pause(octokit, ctx, true);
    case "resume":
      return pause(octokit, ctx, false);
    case "override":
      return requestOverride(octokit, ctx, command.args);
    case "approve-override":
      return approveOverride(octokit, ctx);
  }
}
