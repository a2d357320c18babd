import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readState, saveState, setOutputs } from "../../src/action/outputs.js";
import { FakeIo } from "./fake-io.js";

const actionDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "action");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("the Action's outputs and state", () => {
  it("are written only through outputs.ts (typed names), never by a raw setOutput/saveState/getState call", () => {
    const raw = /\.(setOutput|saveState|getState)\(|core\.(setOutput|saveState|getState|exportVariable)\b/;
    const offenders = files(actionDir)
      .map((file) => relative(actionDir, file))
      .filter((file) => file !== "outputs.ts" && file !== "io.ts")
      .filter((file) => readFileSync(join(actionDir, file), "utf8").split("\n").some((line) => raw.test(line)));
    expect(offenders).toEqual([]);
  });

  it("sets every defined output and skips undefined ones; state round-trips by name", () => {
    const io = new FakeIo();
    setOutputs(io, { stage: "canary", verdict: "success", reason: undefined });
    expect(io.outputs).toEqual({ stage: "canary", verdict: "success" });
    saveState(io, "finished", "handoff");
    expect(readState(io, "finished")).toBe("handoff");
  });
});
