// Property tests for the status comment: any user text round-trips through the hidden state block
// and never renders as a mention, link or HTML outside code spans.
import fc from "fast-check";
import { helpText } from "../../src/core/commands/help-text.js";
import { defaultConfig } from "../../src/core/config/parse-config.js";
import { parseStatusState, renderStatusComment, type StatusState } from "../../src/core/render/status-comment.js";
import { deriveRollout } from "../../src/core/rollout/derive-rollout.js";
import { PLAN, RELEASE } from "../support/rollout-builders.js";

const RUNS = 10_000;
const help = helpText(defaultConfig());
const rollout = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [] });

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.array(fc.constantFrom("@team", "#12", "<img src=x>", "[a](https://e.test)", "-->", "`", "|", "\n", "https://evil.test", "www.x.io", " "), { maxLength: 12 }).map((p) => p.join("")),
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
        const visible = body.split("\n").filter((l) => !l.startsWith("<!-- release-gate:state")).join("\n");
        const prose = visible.replace(/(?<!\\)`[^`\n]*`/g, "");
        expect(prose).not.toMatch(/<(?!!-- release-gate:status -->|\/?details|summary|\/summary|sub>|\/sub>)[a-z]/i);
        expect(prose).not.toMatch(/(?<!\\)\]\(/);
        expect(prose).not.toMatch(/@(?!\u200b)[\p{L}\p{N}_-]/u);
        expect(prose).not.toMatch(/https:\/\/e/);
      }),
      { numRuns: RUNS },
    );
  });
});
