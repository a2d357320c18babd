// The Probot app: registers one handler per event and nothing else.
import type { ApplicationFunction } from "probot";
import { checkRunRerequestedHandler, checkSuiteRequestedHandler, checkSuiteRerequestedHandler } from "./handlers/check-rerequested.js";
import { PULL_REQUEST_EVENTS, pullRequestHandler } from "./handlers/pull-request.js";
import { scheduleStartupReconciliation } from "./startup-reconcile.js";

const app: ApplicationFunction = (probot) => {
  probot.on([...PULL_REQUEST_EVENTS], pullRequestHandler(probot));
  probot.on("check_run.rerequested", checkRunRerequestedHandler(probot));
  probot.on("check_suite.rerequested", checkSuiteRerequestedHandler(probot));
  probot.on("check_suite.requested", checkSuiteRequestedHandler(probot));
  scheduleStartupReconciliation(probot);
};

export default app;
