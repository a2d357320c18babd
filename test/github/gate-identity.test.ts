import { GITHUB_ACTIONS } from "../../src/core/identity.js";
import { writtenByGate } from "../../src/github/gate-identity.js";

// App mode knows its id only (APP_ID); the app stamp names the bot.
const app = { appId: 123 };
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
    expect(writtenByGate(workflow, GITHUB_ACTIONS)).toBe(true);
    expect(writtenByGate(ours, GITHUB_ACTIONS)).toBe(false);
    expect(writtenByGate({ user: { login: "github-actions[bot]", type: "User" } }, GITHUB_ACTIONS)).toBe(false);
  });

  it("in no-server mode a stamped record must still be the configured app's", () => {
    // GITHUB_TOKEN comments may or may not carry the Actions app stamp; another app's stamp is never ours.
    expect(writtenByGate({ user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: null }, GITHUB_ACTIONS)).toBe(true);
    expect(writtenByGate({ user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: { id: 999, slug: "github-actions" } }, GITHUB_ACTIONS)).toBe(false);
  });

  it("in no-server mode with another app's token (inputs app-id, app-login) takes that app's bot only", () => {
    const custom = { appId: 555, login: "deploy-bot[bot]" };
    expect(writtenByGate({ user: { login: "deploy-bot[bot]", type: "Bot" }, performed_via_github_app: { id: 555, slug: "deploy-bot" } }, custom)).toBe(true);
    expect(writtenByGate({ user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: { id: 15368, slug: "github-actions" } }, custom)).toBe(false);
    expect(writtenByGate({ user: { login: "deploy-bot[bot]", type: "Bot" }, performed_via_github_app: { id: 556, slug: "deploy-bot" } }, custom)).toBe(false);
  });
});
