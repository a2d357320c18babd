import { nearestRefusal, toCommandAnswer, type Answer } from "../../../src/core/commands/command-answer.js";

describe("toCommandAnswer", () => {
  it("answers help and unknown verbs with the help text", () => {
    expect(toCommandAnswer({ result: "done", code: "help", message: "" }, "/release help", "dev")).toEqual({ outcome: "help", actor: "dev", command: "/release help" });
    expect(toCommandAnswer({ result: "refused", code: "unknown-verb", message: "frob" }, "/release frob", "dev")).toEqual({
      outcome: "help",
      actor: "dev",
      command: "/release frob",
      unknownVerb: "frob",
    });
  });

  it("shows done and unchanged as done", () => {
    const answer: Answer = { result: "unchanged", code: "already-paused", message: "Already paused." };
    expect(toCommandAnswer(answer, "/release pause", "dev")).toEqual({ outcome: "done", actor: "dev", command: "/release pause", message: "Already paused." });
  });

  it("shows a stage that failed or errored as failed, a stage that succeeded as done", () => {
    const by = (code: "stage-failure" | "stage-error" | "stage-success") => toCommandAnswer({ result: "done", code, message: "canary failed." }, "deployment 7", "the stage runner").outcome;
    expect([by("stage-failure"), by("stage-error"), by("stage-success")]).toEqual(["failed", "failed", "done"]);
  });

  it("keeps the guards' own refusals, and files an adapter refusal under the nearest guard title", () => {
    const guards: Answer = { result: "refused", code: "blackout", message: "m", refusals: [{ code: "blackout", message: "frozen" }, { code: "paused", message: "paused" }] };
    expect(toCommandAnswer(guards, "c", "a")).toMatchObject({ outcome: "refused", refusals: guards.refusals });
    expect(toCommandAnswer({ result: "refused", code: "permission", message: "needs write" }, "c", "a")).toMatchObject({
      refusals: [{ code: "not-permitted", message: "needs write" }],
    });
    expect(nearestRefusal("deployment-conflict")).toBe("not-ready");
    expect(nearestRefusal("stale-override")).toBe("stale-override");
  });
});
