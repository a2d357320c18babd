import nock from "nock";
import { Octokit } from "@octokit/rest";
import { bindGitHub } from "../../src/action/stage-github.js";
import { expectConformingRequests, recordNockRequests } from "../support/rest-conformance.js";

const octokit = new Octokit({ auth: "t", request: { retries: 0 } });
const repo = { owner: "acme", repo: "shop" };
const github = bindGitHub(octokit, { ...repo, logUrl: "https://github.com/acme/shop/actions/runs/1" });
const payload = { stage: "canary", percent: 1, release: 7, plan: [{ name: "canary", percent: 1, observe: "30m" }], triggers: [] };

describe("deployment requests", () => {
  it("creates a stage deployment without auto-merge or required contexts, and writes statuses with log_url", async () => {
    const scope = nock("https://api.github.com")
      .post("/repos/acme/shop/deployments", (b) => b.auto_merge === false && b.required_contexts.length === 0 && b.payload.stage === "canary")
      .reply(201, { id: 12, url: "u", sha: "c".repeat(40) })
      .post("/repos/acme/shop/deployments/12/statuses", (b) => b.state === "in_progress" && b.log_url === "https://github.com/acme/shop/actions/runs/1" && b.description.length < 140)
      .reply(201, { id: 1 })
      .get("/repos/acme/shop/commits/" + "c".repeat(40) + "/pulls")
      .reply(200, [{ number: 3, body: null, merged_at: null }, { number: 7, body: "## Rollback contract", merged_at: "2026-11-23T00:00:00Z" }]);
    const recorder = recordNockRequests(scope);
    expect(await github.createDeployment({ sha: "c".repeat(40), environment: "production", payload, description: "Release Gate: canary 1% of #7" })).toEqual({ id: 12, sha: "c".repeat(40) });
    await github.setStatus(12, "in_progress", "y".repeat(300));
    expect(await github.findPull("c".repeat(40))).toEqual({ number: 7, body: "## Rollback contract" });
    expectConformingRequests(recorder.requests());
  });

  it("redacts gate URL credentials in a status before it is cut to GitHub's length (a cut must not hide the @ from redaction)", async () => {
    // Cut first, this would end inside the password ("https://metrics-user:s3…") and leak the user.
    const description = `${"a".repeat(110)} GET https://metrics-user:s3cret-pass-word@prom.example/api/v1/query failed`;
    let sent = "";
    nock("https://api.github.com")
      .post("/repos/acme/shop/deployments/12/statuses", (b) => ((sent = b.description), true))
      .reply(201, { id: 1 });
    await github.setStatus(12, "error", description);
    expect(sent).toContain("https://REDACTED@");
    expect(sent).not.toMatch(/metrics-user|s3c/);
  });

  it("fails loudly when GitHub merged instead of deploying", async () => {
    nock("https://api.github.com").post("/repos/acme/shop/deployments").reply(202, { message: "Auto-merged main into topic branch." });
    await expect(github.createDeployment({ sha: "c".repeat(40), environment: "production", payload, description: "d" })).rejects.toThrow(
      "GitHub did not create the deployment of ccccccc (merged): Auto-merged main into topic branch.",
    );
  });
});
