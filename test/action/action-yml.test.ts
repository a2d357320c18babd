// action.yml is the Action's public contract: it must declare what the code reads and writes.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { INPUT_NAMES } from "../../src/action/inputs.js";
import type { Outputs } from "../../src/action/outputs.js";

const action = parse(readFileSync("action/action.yml", "utf8")) as {
  name: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
};

// Listed here by hand on purpose: adding an output to the type without documenting it fails below.
const OUTPUT_NAMES: Array<keyof Outputs> = ["stage", "percent", "cohort", "environment", "deployment-id", "verdict", "reason", "rolled-back", "rollback-seconds", "rollback-deployment-id", "baseline", "stages"];

it("runs the committed bundle on node24, with a post step that always runs", () => {
  expect(action.runs).toEqual({ using: "node24", main: "dist/index.js", post: "dist/index.js", "post-if": "always()" });
  expect(action.branding.icon).toBeTruthy();
});

it("documents exactly the inputs the code reads", () => {
  expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  for (const [name, input] of Object.entries(action.inputs)) expect(`${name}: ${input.description}`.length).toBeGreaterThan(name.length + 20);
  expect(action.inputs.token!.default).toBe("${{ github.token }}");
});

it("documents exactly the outputs the code sets", () => {
  expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(10);
});
