import type { StageGitHub } from "../../src/action/stage-github.js";
import { actionTrustPolicy, statusWritersOf, withTrustedHistory } from "../../src/action/trusted-history.js";
import { GITHUB_ACTIONS } from "../../src/core/identity.js";
import { lastGoodSha } from "../../src/core/rollout/derive-rollout.js";
import type { DeploymentRecord } from "../../src/core/rollout/types.js";
import { FakeIo } from "./fake-io.js";

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, "0")}:00Z`;
const actions = { creator: "github-actions[bot]", viaApp: 15368 };

function record(id: number, sha: string, by: { creator: string; viaApp: number | null }, statuses: Array<{ state: "success" | "failure"; by: { creator: string; viaApp: number | null }; minute: number }>): DeploymentRecord {
  return { id, sha, environment: "production", createdAt: at(statuses[0]?.minute ?? 0), ...by, payload: null, statuses: statuses.map((s) => ({ state: s.state, createdAt: at(s.minute), ...s.by })) };
}

const HISTORY: DeploymentRecord[] = [
  record(3, "e".repeat(40), { creator: "mallory", viaApp: null }, [{ state: "success", by: { creator: "mallory", viaApp: null }, minute: 30 }]),
  record(2, "f".repeat(40), actions, [
    { state: "success", by: { creator: "mallory", viaApp: null }, minute: 20 },
    { state: "failure", by: actions, minute: 11 },
  ]),
  record(1, "a".repeat(40), actions, [{ state: "success", by: actions, minute: 5 }]),
];

function github(records: DeploymentRecord[]): StageGitHub {
  const unused = async () => {
    throw new Error("not used here");
  };
  return { createDeployment: unused, getDeployment: unused, setStatus: unused, findPull: unused, listRecent: async () => records, listStages: unused };
}

describe("withTrustedHistory", () => {
  it("hides forged deployments and statuses from the rollback target, warning once about each", async () => {
    const io = new FakeIo();
    const policy = actionTrustPolicy([GITHUB_ACTIONS], ["github-actions[bot]"]);
    const trusted = withTrustedHistory(github(HISTORY), async () => policy, io);
    // The unfiltered history would roll back to the writer's own deployment (and, without it, to the
    // failed release the writer "marked good").
    expect(lastGoodSha(HISTORY)).toBe("e".repeat(40));
    expect(lastGoodSha(HISTORY.slice(1))).toBe("f".repeat(40));
    const seen = await trusted.listRecent("production");
    expect(lastGoodSha(seen)).toBe("a".repeat(40));
    await trusted.listRecent("production");
    expect(trusted.ignored).toHaveLength(2);
    expect(io.log).toEqual([
      "warning: ignored deployment 3 of eeeeeee by mallory: not created by a trusted identity (input `deployment-creators`), so no rollback returns to it",
      "warning: ignored success status on deployment 2 by mallory: not written by a trusted identity (`deployment-creators`, `rollout.status-writers`)",
    ]);
  });

  it("trusts a second creator by app id or login, and status writers by login, as the app's policy does", async () => {
    const policy = actionTrustPolicy([GITHUB_ACTIONS, { login: "release-gate[bot]" }], ["deploy-bot"]);
    const byApp = record(4, "b".repeat(40), { creator: "release-gate[bot]", viaApp: 123 }, [{ state: "success", by: { creator: "deploy-bot", viaApp: null }, minute: 40 }]);
    const seen = await withTrustedHistory(github([byApp, ...HISTORY]), async () => policy, new FakeIo()).listRecent("production");
    expect(lastGoodSha(seen)).toBe("b".repeat(40));
    const byId = actionTrustPolicy([{ appId: 123 }], []);
    expect((await withTrustedHistory(github([byApp]), async () => byId, new FakeIo()).listRecent("production")).map((d) => d.id)).toEqual([4]);
  });
});

describe("statusWritersOf", () => {
  it("reads `rollout.status-writers` from the config, and falls back to its default with a warning when the config cannot be read", async () => {
    const io = new FakeIo();
    const config = { rollout: { "status-writers": ["deploy-bot"] } } as never;
    expect(await statusWritersOf(async () => ({ ok: true, config, source: ".github/release-gate.yml" }), io)).toEqual(["deploy-bot"]);
    expect(
      await statusWritersOf(async () => {
        throw new Error("Resource not accessible by integration");
      }, io),
    ).toEqual(["github-actions[bot]"]);
    expect(io.log).toEqual([
      "warning: could not read `rollout.status-writers` from the configuration (Resource not accessible by integration); trusting statuses by github-actions[bot] and `deployment-creators` only",
    ]);
  });
});
