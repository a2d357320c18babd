import { readInputs } from "../../src/action/inputs.js";

const read = (inputs: Record<string, string>) => readInputs({ getInput: (name) => inputs[name] ?? "" });

describe("readInputs", () => {
  it("reads a full standalone stage with defaults", () => {
    const result = read({ token: "t", stage: "canary", percent: "1", observe: "30m", gates: "- { name: error-rate, command: echo 0, max: 0.01 }" });
    expect(result).toEqual({
      ok: true,
      inputs: expect.objectContaining({ token: "t", stage: "canary", percent: 1, observe: 1_800_000, interval: 60_000, mode: "all", "dry-run": false, baseline: {} }),
    });
    expect(result.ok && result.inputs.gates).toHaveLength(1);
  });

  it("reads mode, dry-run, ids and a baseline", () => {
    const result = read({ token: "t", mode: "observe", "dry-run": "true", "deployment-id": "42", baseline: '{"p99": 412}', interval: "5s", release: "7" });
    expect(result).toMatchObject({ ok: true, inputs: { mode: "observe", "dry-run": true, "deployment-id": 42, baseline: { p99: 412 }, interval: 5000, release: 7 } });
  });

  it.each([
    [{ token: "" }, "input `token`: is empty"],
    [{ token: "t", percent: "lots" }, 'input `percent`: expected a number > 0 and <= 100, got "lots"'],
    [{ token: "t", percent: "150" }, "input `percent`"],
    [{ token: "t", observe: "half an hour" }, "input `observe`: expected a duration"],
    [{ token: "t", interval: "100ms" }, "input `interval`: expected a duration of at least 1s"],
    [{ token: "t", mode: "yolo" }, 'input `mode`: expected one of all, start, observe, resume, got "yolo"'],
    [{ token: "t", "dry-run": "yes" }, 'input `dry-run`: expected true or false, got "yes"'],
    [{ token: "t", "deployment-id": "-1" }, "input `deployment-id`"],
    [{ token: "t", baseline: "[1]" }, "input `baseline`: expected a JSON object"],
    [{ token: "t", gates: "- { name: a, command: x }" }, "input `gates`: "],
    [{ token: "t", gates: "- name: [" }, "input `gates`: invalid YAML"],
  ])("names the input that is wrong: %j", (inputs, message) => {
    const result = read(inputs);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it("reads `deployment-creators`: app ids and logins, GitHub Actions alone when empty", () => {
    expect(read({ token: "t" })).toMatchObject({ ok: true, inputs: { "deployment-creators": [{ appId: 15368, login: "github-actions[bot]" }] } });
    expect(read({ token: "t", "deployment-creators": "github-actions[bot], release-gate[bot]\n12345" })).toMatchObject({
      ok: true,
      inputs: { "deployment-creators": [{ login: "github-actions[bot]" }, { login: "release-gate[bot]" }, { appId: 12345 }] },
    });
    const bad = read({ token: "t", "deployment-creators": "octo cat!, @me" });
    expect(!bad.ok && bad.error).toBe('input `deployment-creators`: expected app ids (15368) or logins (my-app[bot]), got "cat!", "@me"');
  });

  it("tells an empty `gates` input (the config decides) from an explicit empty list", () => {
    expect(read({ token: "t" })).toMatchObject({ ok: true, inputs: { gates: [], gatesGiven: false } });
    expect(read({ token: "t", gates: "[]" })).toMatchObject({ ok: true, inputs: { gates: [], gatesGiven: true } });
  });

  it("names every wrong input at once", () => {
    const result = read({ token: "t", percent: "0", mode: "x" });
    expect(!result.ok && result.error.split("\n")).toHaveLength(2);
  });
});
