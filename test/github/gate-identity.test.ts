import { WORKFLOW_IDENTITY, writtenByGate } from "../../src/github/gate-identity.js";

const app = { kind: "app" as const, appId: 123 };
const ours = { user: { login: "release-gate[bot]", type: "Bot" }, performed_via_github_app: { id: 123, slug: "release-gate" } };

describe("writtenByGate", () => {
  it("takes the app's own records: GitHub stamped the app and the author is its bot user", () => {
    expect(writtenByGate(ours, app)).toBe(true);
  });

  it.each([
    ["another app's bot", { user: { login: "other[bot]", type: "Bot" }, performed_via_github_app: { id: 999, slug: "other" } }],
    ["a workflow (GitHub Actions) in app mode", { user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: { id: 15368, slug: "github-actions" } }],
    ["a person writing through our app (on their behalf)", { user: { login: "alice", type: "User" }, performed_via_github_app: { id: 123, slug: "release-gate" } }],
    ["our bot's name without GitHub's app stamp", { user: { login: "release-gate[bot]", type: "Bot" }, performed_via_github_app: null }],
    ["our app's stamp on another bot user", { user: { login: "other[bot]", type: "Bot" }, performed_via_github_app: { id: 123, slug: "release-gate" } }],
    ["a person", { user: { login: "alice", type: "User" } }],
    ["a deleted account", { user: null }],
  ])("ignores %s", (_who, record) => {
    expect(writtenByGate(record, app)).toBe(false);
  });

  it("in no-server mode takes the workflow token's bot only", () => {
    const workflow = { user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: { id: 15368, slug: "github-actions" } };
    expect(writtenByGate(workflow, WORKFLOW_IDENTITY)).toBe(true);
    expect(writtenByGate(ours, WORKFLOW_IDENTITY)).toBe(false);
    expect(writtenByGate({ user: { login: "github-actions[bot]", type: "User" } }, WORKFLOW_IDENTITY)).toBe(false);
  });
});
