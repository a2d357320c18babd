import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { onlyPausesRollout } from "../../../src/core/rollout/pause-label.js";

describe("onlyPausesRollout", () => {
  const config = defaultConfig();
  const pause = config.rollout["pause-label"];

  it("is true for the pause label (any case) when no readiness rule names it", () => {
    expect(onlyPausesRollout(config, pause)).toBe(true);
    expect(onlyPausesRollout(config, pause.toUpperCase())).toBe(true);
  });

  it("is false for other labels, and when a communication label or a high-risk group's label is the same", () => {
    expect(onlyPausesRollout(config, "user-facing")).toBe(false);
    expect(onlyPausesRollout({ ...config, communication: { ...config.communication, labels: [pause] } }, pause)).toBe(false);
    const group = { name: "payments", paths: ["pay/**"], approvals: 0, label: pause.toUpperCase() };
    expect(onlyPausesRollout({ ...config, "high-risk": [group] }, pause)).toBe(false);
  });
});
