// Reads a command gate's result: the command must exit 0 and print one number (surrounding
// whitespace allowed). Anything else is no data, never a pass.
import { missingReading, parseNumberText, valueReading, type SampleReading } from "./sample.js";

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr?: string;
}

export function parseCommandOutput(result: CommandResult): SampleReading {
  if (result.exitCode !== 0) {
    const tail = (result.stderr ?? "").trim().split("\n").slice(-1)[0] ?? "";
    return missingReading("command-failed", `the command exited with ${result.exitCode ?? "a signal"}${tail ? `: ${tail}` : ""}`);
  }
  const text = result.stdout.trim();
  if (text === "") return missingReading("empty-output", "the command printed nothing");
  const value = parseNumberText(text);
  if (value === undefined) return missingReading("not-a-number", `the command printed ${JSON.stringify(text.slice(0, 40))}, not one number`);
  if (Number.isNaN(value)) return missingReading("nan", "the command printed NaN");
  return valueReading(value);
}
