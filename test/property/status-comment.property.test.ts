// Property tests for the status comment: any user text round-trips through the hidden state block
// and never renders as a mention, link or HTML outside code spans, as markdown-it renders it.
import fc from "fast-check";
import { helpText } from "../../src/core/commands/help-text.js";
import { defaultConfig } from "../../src/core/config/parse-config.js";
import { parseStatusState, renderStatusComment, type StatusState } from "../../src/core/render/status-comment.js";
import { deriveRollout } from "../../src/core/rollout/derive-rollout.js";
import { liveMarkdown, normalise, STATUS_COMMENT_HTML as OWN_HTML, visibleText } from "../support/markdown-oracle.js";
import { PLAN, RELEASE } from "../support/rollout-builders.js";

const RUNS = 10_000;
const help = helpText(defaultConfig());
const rollout = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [] });

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.array(fc.constantFrom("@team", "#12", "<img src=x>", "[a](https://e.test)", "-->", "`", "```", "\\", "\\[x\\](//h)", "|", "\n", "https://evil.test", "www.x.io", "&#91;", " "), { maxLength: 12 }).map((p) => p.join("")),
);

describe("status comment (property)", () => {
  it("round-trips the state and keeps user text inert", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (reason, login, message) => {
        const stored: StatusState = {
          v: 1,
          pendingOverride: { requestedBy: login.slice(0, 100) || "x", reason: reason.slice(0, 500), sha: "abcdef1", at: "2026-01-01T00:00:00.000Z", key: "1" },
          approvedOverride: null,
          processed: [message.slice(0, 200)],
        };
        const body = renderStatusComment({
          rollout,
          stored,
          help,
          now: new Date("2026-01-01T00:00:00Z"),
          answer: { outcome: "refused", actor: login, command: `/release ${message}`, refusals: [{ code: "unknown-stage", message }] },
        });
        expect(parseStatusState(body)).toEqual({ ok: true, state: stored });
        // Judged by a real CommonMark + GFM renderer, not by patterns over the Markdown source: only
        // code spans and the app's own HTML may be live, and the reason shows in full.
        const live = liveMarkdown(body, OWN_HTML);
        expect({ ...live, code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
        expect(normalise(visibleText(body))).toContain(normalise(stored.pendingOverride!.reason));
      }),
      { numRuns: RUNS },
    );
  }, 180_000);
});
