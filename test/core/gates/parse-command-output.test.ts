import { parseCommandOutput } from "../../../src/core/gates/parse-command-output.js";

describe("parseCommandOutput", () => {
  it("reads one number, whitespace allowed", () => {
    expect(parseCommandOutput({ exitCode: 0, stdout: "  0.5\n" })).toEqual({ kind: "value", value: 0.5 });
    expect(parseCommandOutput({ exitCode: 0, stdout: "-3e2" })).toEqual({ kind: "value", value: -300 });
  });

  it("is missing when the command fails, prints nothing, NaN or more than a number", () => {
    expect(parseCommandOutput({ exitCode: 2, stdout: "0.1", stderr: "curl: (7) refused\n" })).toEqual({
      kind: "missing",
      reason: "command-failed",
      detail: "the command exited with 2: curl: (7) refused",
    });
    expect(parseCommandOutput({ exitCode: null, stdout: "" })).toMatchObject({ reason: "command-failed" });
    expect(parseCommandOutput({ exitCode: 0, stdout: "\n" })).toMatchObject({ reason: "empty-output" });
    expect(parseCommandOutput({ exitCode: 0, stdout: "nan" })).toMatchObject({ reason: "nan" });
    expect(parseCommandOutput({ exitCode: 0, stdout: "0.1 0.2" })).toMatchObject({ reason: "not-a-number" });
    expect(parseCommandOutput({ exitCode: 0, stdout: "0x10" })).toMatchObject({ reason: "not-a-number" });
  });
});
