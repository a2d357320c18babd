// When an evaluation fails after Octokit's retries, the PR must not keep a verdict computed from an
// older state of it (a `success` from before the edit would let a now-incomplete plan through), and
// it must not be left without a run. So the run on the head SHA is set to a clearly failed
// "not evaluated" run, unless a verdict from the same or a newer state of the PR is already there.
import { renderEvaluationError } from "../../core/render/readiness-report.js";
import { findReadinessRun, upsertReadinessRun } from "../../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";

export interface FailureTarget extends RepoRef {
  pullNumber: number;
  /** Our app: only its runs are ours to keep or overwrite. */
  appId: number;
  /** Head SHA from the live PR when it was read, else from the webhook payload. */
  headSha: string;
  /** The PR's `updated_at` the failed evaluation started from (live or from the payload), if known. */
  stamp?: string | undefined;
}

export type FailureWrite =
  | { kind: "written"; checkRunId: number }
  | { kind: "kept"; reason: "newer-verdict"; stamp: string }
  | { kind: "not-written"; error: unknown };

export async function writeEvaluationFailure(octokit: GitHubClient, target: FailureTarget, cause: unknown): Promise<FailureWrite> {
  try {
    const existing = await findReadinessRun(octokit, target);
    if (existing?.stamp && target.stamp && existing.stamp >= target.stamp) {
      return { kind: "kept", reason: "newer-verdict", stamp: existing.stamp };
    }
    const written = await upsertReadinessRun(
      octokit,
      { ...target, ...(target.stamp ? { stamp: target.stamp } : {}), existingId: existing?.id },
      renderEvaluationError(describe(cause)),
    );
    return { kind: "written", checkRunId: written.id };
  } catch (error) {
    return { kind: "not-written", error };
  }
}

/** The error as a user may see it: status and request line, never headers (they carry the token). */
export function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { status?: number; message?: string; request?: { method?: string; url?: string } };
    const where = e.request?.method && e.request.url ? ` on ${e.request.method} ${new URL(e.request.url, "http://x").pathname}` : "";
    return `${e.status ? `${e.status} ` : ""}${e.message ?? "error"}${where}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}
