import { ignoreActor } from "../../../src/core/commands/ignore-actor.js";

describe("ignoreActor", () => {
  it.each([
    [{ login: "release-gate[bot]", type: "Bot" }, "release-gate", "self"],
    [{ login: "Release-Gate[bot]", type: "Bot" }, "release-gate", "self"],
    [{ login: "dependabot[bot]", type: "Bot" }, "release-gate", "bot"],
    [{ login: "renovate[bot]", type: "User" }, undefined, "bot"],
    [{ login: "some-org", type: "Organization" }, undefined, "not-a-user"],
    [{ login: "octocat", type: "User" }, "release-gate", null],
  ])("%j (app %s) → %s", (actor, slug, reason) => {
    expect(ignoreActor(actor, slug)).toBe(reason);
  });
});
