// A merge group's run is told apart from a PR's run by its external id, which carries the group's base.
import { externalIdFor, groupBaseFromExternalId, pullNumberFromExternalId } from "../../src/github/check-runs.js";
import { queuedPullFromRef } from "../../src/workflows/readiness/merge-group.js";

const BASE = "380387fbc80638b734a49e1be1c4dfec1c01b33c";

it("a group's run id names the queued PR and the group's base; a PR's run has no base", () => {
  const id = externalIdFor(104, "2026-11-23T00:00:00Z", undefined, undefined, BASE);
  expect(id).toBe(`release-gate:pr-104;group=${BASE}`);
  expect(pullNumberFromExternalId(id)).toBe(104);
  expect(groupBaseFromExternalId(id)).toBe(BASE);
  expect(groupBaseFromExternalId(externalIdFor(104, "2026-11-23T00:00:00Z"))).toBeUndefined();
});

it("a base that is not a commit SHA is ignored", () => {
  expect(groupBaseFromExternalId("release-gate:pr-1;group=main")).toBeUndefined();
  expect(groupBaseFromExternalId(`release-gate:pr-1;group=${BASE}x`)).toBeUndefined();
});

it("the queue's branch names the queued PR, with or without refs/heads/", () => {
  const sha = "929f8209d40f77f4abc622a499c93a83babdbe64";
  expect(queuedPullFromRef(`refs/heads/gh-readonly-queue/main/pr-104-${sha}`)).toBe(104);
  expect(queuedPullFromRef(`gh-readonly-queue/release/v2/pr-7-${sha}`)).toBe(7);
  expect(queuedPullFromRef("refs/heads/feature/pr-104")).toBeUndefined();
});
