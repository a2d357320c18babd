import { externalIdFor, findReadinessRun, pullNumberFromExternalId, ROLLOUT_ACTIONS } from "../../src/github/check-runs.js";

it("keeps the PR number readable when an override rides along in the external id", () => {
  const id = externalIdFor(12, "2026-11-23T00:00:00Z", { approver: "alice", requester: "bob", issue: 9 });
  expect(id).toBe("release-gate:pr-12@2026-11-23T00:00:00Z;override=alice,bob,9");
  expect(pullNumberFromExternalId(id)).toBe(12);
  expect(pullNumberFromExternalId("release-gate:pr-12")).toBe(12);
});

it("offers rollout buttons within GitHub's limits (3 actions; label 20, description 40, identifier 20)", () => {
  expect(ROLLOUT_ACTIONS.length).toBeLessThanOrEqual(3);
  for (const action of ROLLOUT_ACTIONS) {
    expect(action.label.length).toBeLessThanOrEqual(20);
    expect(action.description.length).toBeLessThanOrEqual(40);
    expect(action.identifier.length).toBeLessThanOrEqual(20);
  }
});

it("offers only buttons the core maps to commands", async () => {
  const { commandFromAction } = await import("../../src/core/commands/check-run-actions.js");
  const verbs = ROLLOUT_ACTIONS.map((a) => {
    const command = commandFromAction(a.identifier);
    return command?.kind === "command" ? command.verb : undefined;
  });
  expect(verbs).toEqual(["advance", "rollback", "status"]);
});

describe("a pending override request on the app's own run", () => {
  const request = { commentId: 5001, authorId: 10001, login: "alice", digest: "A".repeat(42) + "_" };
  const runWith = (external_id: string, head_sha = "a".repeat(40)) => ({
    request: async () => ({ data: { check_runs: [{ id: 9, head_sha, status: "completed", conclusion: "failure", external_id, output: { title: "t", summary: "s" }, app: { id: 123 } }] } }),
    paginate: undefined as never,
  });
  const find = (external_id: string, pullNumber = 12) =>
    findReadinessRun(runWith(external_id) as never, { owner: "o", repo: "r", headSha: "a".repeat(40), pullNumber, appId: 123 });

  it("round-trips through the external id next to the verdict's stamp, within a short id", async () => {
    const id = externalIdFor(12, "2026-11-23T00:00:00Z", undefined, request);
    expect(id).toBe(`release-gate:pr-12@2026-11-23T00:00:00Z;request=5001.10001.alice.${request.digest}`);
    expect(await find(id)).toMatchObject({ id: 9, stamp: "2026-11-23T00:00:00Z", overrideRequest: request });
    // Longest logins and ids still fit in a couple of hundred characters.
    expect(externalIdFor(9_999_999, "2026-11-23T00:00:00Z", undefined, { ...request, commentId: 999_999_999_999, authorId: 999_999_999, login: "x".repeat(39) }).length).toBeLessThan(200);
  });

  it("is consumed by an approval: the approved override replaces it", async () => {
    const id = externalIdFor(12, "s", { approver: "bob", requester: "alice", issue: 3 }, request);
    expect(id).toBe("release-gate:pr-12@s;override=bob,alice,3");
    const found = await find(id);
    expect(found?.override).toEqual({ approver: "bob", requester: "alice", issue: 3 });
    expect(found?.overrideRequest).toBeUndefined();
  });

  it.each([
    ["a digest of the wrong length", `release-gate:pr-12@s;request=5001.10001.alice.${"A".repeat(40)}`],
    ["a login that is no GitHub login", `release-gate:pr-12@s;request=5001.10001.al ice.${request.digest}`],
    ["a missing author id", `release-gate:pr-12@s;request=5001..alice.${request.digest}`],
  ])("is not read from %s", async (_what, id) => {
    expect((await find(id))?.overrideRequest).toBeUndefined();
  });

  it("belongs to its PR only: a run of another PR is not this PR's run", async () => {
    expect(await find(externalIdFor(13, "s", undefined, request), 12)).toBeUndefined();
  });
});
