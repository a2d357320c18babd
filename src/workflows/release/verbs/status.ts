// `/release status`: reads only; the caller re-renders the status comment from live facts.
import type { VerbResult } from "../types.js";

export function status(): VerbResult {
  return { result: "done", code: "status", message: "Status refreshed.", writes: 0 };
}
