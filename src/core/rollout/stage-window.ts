// Where the observation window of a stage run by the Action comes from. A deployment made by another
// tool or by hand may carry only `{ stage, percent, release }`, so the plan is one source among
// several, tried in a fixed order that the docs (docs/action.md) state.
import { DEFAULT_STAGES, type Stage } from "../config/schema.js";
import { formatDuration, parseDuration } from "../gates/duration.js";

export type WindowSource = "input" | "plan" | "default";

export type StageWindow =
  | { ok: true; ms: number; source: WindowSource }
  | { ok: false; reason: "no-window"; message: string };

/**
 * The `observe` input first (the workflow author's explicit choice), then the stage's entry in the
 * deployment's plan, then the documented default stage of that name; none of them is an error that
 * says what to set, never a silent guess.
 */
export function stageWindow(stage: string, sources: { input?: number | undefined; plan?: readonly Stage[] | undefined }): StageWindow {
  if (sources.input !== undefined) return { ok: true, ms: sources.input, source: "input" };
  const same = (s: { name: string }) => s.name.toLowerCase() === stage.toLowerCase();
  const planned = sources.plan?.find(same);
  if (planned) return { ok: true, ms: parseDuration(planned.observe)!, source: "plan" };
  const known = DEFAULT_STAGES.find(same);
  if (known) return { ok: true, ms: parseDuration(known.observe)!, source: "default" };
  const defaults = DEFAULT_STAGES.map((s) => `${s.name} ${s.observe}`).join(", ");
  const where = sources.plan ? "the deployment's plan has no stage of that name" : "the deployment's payload has no plan";
  return {
    ok: false,
    reason: "no-window",
    message: `input \`observe\`: stage "${stage}" has no observation window: the input is empty, ${where}, and "${stage}" is not one of the documented default stages (${defaults}); set \`observe\` on the step, e.g. observe: 30m`,
  };
}

/** "30m (documented default for canary)", for the log line that says where the window came from. */
export function describeWindow(stage: string, window: Extract<StageWindow, { ok: true }>): string {
  const from = window.source === "input" ? "the `observe` input" : window.source === "plan" ? "the deployment's plan" : `the documented default for ${stage}`;
  return `${formatDuration(window.ms)} (from ${from})`;
}
