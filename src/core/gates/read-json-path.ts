// Reads the number an HTTP gate points at in a JSON document, by a dotted path such as
// `data.error_rate` or `checks.0.value` (array items by index; a leading `$.` is allowed).
import { missingReading, parseNumberText, valueReading, type SampleReading } from "./sample.js";

export function readJsonPath(document: unknown, path: string): SampleReading {
  const keys = path.replace(/^\$\.?/, "").split(".").filter((k) => k !== "");
  let current: unknown = document;
  for (const [i, key] of keys.entries()) {
    const at = keys.slice(0, i + 1).join(".");
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      current = current[Number(key)];
    } else if (current !== null && typeof current === "object" && !Array.isArray(current) && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return missingReading("missing-path", `no value at ${at}`);
    }
    if (current === undefined) return missingReading("missing-path", `no value at ${at}`);
  }
  if (current === null) return missingReading("missing-path", `the value at ${path} is null`);
  if (typeof current === "number") return Number.isNaN(current) ? missingReading("nan", `the value at ${path} is NaN`) : valueReading(current);
  if (typeof current === "string") {
    const value = parseNumberText(current);
    if (value === undefined) return missingReading("not-a-number", `the value at ${path} is ${JSON.stringify(current.slice(0, 40))}, not a number`);
    return Number.isNaN(value) ? missingReading("nan", `the value at ${path} is NaN`) : valueReading(value);
  }
  return missingReading("not-a-number", `the value at ${path} is ${Array.isArray(current) ? "an array" : typeof current}, not a number`);
}
