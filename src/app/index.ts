// The Probot app: registers one handler per event and nothing else.
import type { ApplicationFunction } from "probot";
import { checkRunActionHandler } from "./handlers/check-run-action.js";
import { checkRunRerequestedHandler, checkSuiteRequestedHandler, checkSuiteRerequestedHandler } from "./handlers/check-rerequested.js";
import { deploymentProtectionRuleHandler } from "./handlers/deployment-protection-rule.js";
import { deploymentStatusHandler } from "./handlers/deployment-status.js";
import { issueCommentHandler } from "./handlers/issue-comment.js";
import { mergeGroupHandler } from "./handlers/merge-group.js";
import { PULL_REQUEST_EVENTS, pullRequestHandler } from "./handlers/pull-request.js";
import { scheduleStartupReconciliation } from "./startup-reconcile.js";

const app: ApplicationFunction = (probot) => {
  probot.on([...PULL_REQUEST_EVENTS], pullRequestHandler(probot));
  probot.on("check_run.rerequested", checkRunRerequestedHandler(probot));
  probot.on("check_suite.rerequested", checkSuiteRerequestedHandler(probot));
  probot.on("check_suite.requested", checkSuiteRequestedHandler(probot));
  probot.on("merge_group.checks_requested", mergeGroupHandler(probot));
  probot.on("issue_comment.created", issueCommentHandler(probot));
  probot.on("check_run.requested_action", checkRunActionHandler(probot));
  probot.on("deployment_protection_rule.requested", deploymentProtectionRuleHandler(probot));
  probot.on("deployment_status.created", deploymentStatusHandler(probot));
  scheduleStartupReconciliation(probot);
};

export default app;
