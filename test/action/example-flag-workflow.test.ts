// The flag example workflow is documentation people copy: its inputs and outputs exist, its flag
// parses with the Action's own input schema, and its token is a reference, not a secret pasted in.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readInputs } from "../../src/action/inputs.js";

const FILE = ".github/workflows/release-gate-flag-stages.yml";
const action = parse(readFileSync("action/action.yml", "utf8")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const text = readFileSync(FILE, "utf8");
const workflow = parse(text) as { jobs: Record<string, { if?: string; steps: Array<{ uses?: string; env?: Record<string, string>; with?: Record<string, string> }> }> };
const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith("release-gate/release-gate/action@"))!;

describe(FILE, () => {
  it("passes inputs the Action declares, reads outputs it declares, and its inputs parse", () => {
    for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    for (const [, name] of text.matchAll(/steps\.[\w-]+\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(name);
    const read = readInputs({ getInput: (name) => (name === "token" ? "t" : (step.with?.[name] ?? "")) });
    expect(read.ok).toBe(true);
    expect(read.ok && read.inputs.flag).toMatchObject({ provider: "launchdarkly", token: "$LD_ACCESS_TOKEN" });
  });

  it("sets the token variable the flag names from a secret, and runs rollback deployments too", () => {
    expect(step.env?.LD_ACCESS_TOKEN).toBe("${{ secrets.LD_ACCESS_TOKEN }}");
    expect(Object.values(workflow.jobs)[0]!.if).not.toContain("rollback");
  });
});
