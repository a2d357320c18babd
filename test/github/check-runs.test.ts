import { externalIdFor, pullNumberFromExternalId, ROLLOUT_ACTIONS } from "../../src/github/check-runs.js";

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
