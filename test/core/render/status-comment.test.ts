import { toCommandAnswer } from "../../../src/core/commands/command-answer.js";
import { helpText } from "../../../src/core/commands/help-text.js";
import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { decideAdvance } from "../../../src/core/rollout/guards.js";
import { trustPolicy } from "../../../src/core/rollout/trust.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import {
  emptyStatusState,
  isStatusComment,
  MAX_PROCESSED_KEYS,
  parseStatusState,
  rememberProcessed,
  renderStateBlock,
  renderStatusComment,
  safeUrl,
  STATUS_MARKER,
  wasProcessed,
  type StatusState,
} from "../../../src/core/render/status-comment.js";
import { liveMarkdown, normalise, STATUS_COMMENT_HTML as OWN_HTML, visibleText } from "../../support/markdown-oracle.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";


const HEAD = "abcdef1" + "0".repeat(33);
const help = helpText(defaultConfig());
const now = new Date("2026-01-01T10:20:00Z");
const rollout = (...deployments: DeploymentRecord[]) => deriveRollout({ release: RELEASE, plan: PLAN, deployments });

const stored: StatusState = {
  v: 1,
  pendingOverride: { requestedBy: "carol", reason: "flaky e2e", sha: HEAD, at: "2026-01-01T09:00:00.000Z", key: "101" },
  approvedOverride: null,
  processed: ["101", "102"],
};

describe("status state block", () => {
  it("round-trips through the rendered comment", () => {
    const body = renderStatusComment({ rollout: rollout(), stored, help, now });
    expect(isStatusComment(body)).toBe(true);
    expect(parseStatusState(body)).toEqual({ ok: true, state: stored });
  });

  it("keeps hostile text from closing the hidden comment", () => {
    const state: StatusState = { ...stored, pendingOverride: { ...stored.pendingOverride!, reason: "--> <img src=x> & done" } };
    const block = renderStateBlock(state);
    expect(block.indexOf("-->")).toBe(block.length - 3);
    expect(parseStatusState(block)).toEqual({ ok: true, state });
  });

  it.each([
    ["no block", "just a comment", "missing"],
    ["broken JSON", `${STATUS_MARKER}\n<!-- release-gate:state {"v":1, -->`, "unreadable"],
    ["an unclosed block", `<!-- release-gate:state {"v":1}`, "unreadable"],
    ["an oversized block", `<!-- release-gate:state "${"x".repeat(40_000)}" -->`, "unreadable"],
    ["a future version", `<!-- release-gate:state {"v":2} -->`, "invalid"],
    ["not an object", `<!-- release-gate:state [1,2] -->`, "invalid"],
  ])("starts empty from %s", (_name, body, problem) => {
    expect(parseStatusState(body)).toEqual({ ok: false, state: emptyStatusState(), problem });
  });

  it("drops a tampered field and keeps the rest", () => {
    const tampered = JSON.stringify({ ...stored, approvedOverride: { requestedBy: "eve", sha: "not a sha" }, processed: "all" });
    expect(parseStatusState(`<!-- release-gate:state ${tampered} -->`)).toEqual({
      ok: true,
      state: { ...stored, approvedOverride: null, processed: [] },
    });
  });

  it("remembers processed command keys, newest last, up to the cap", () => {
    let state = emptyStatusState();
    for (let i = 0; i < MAX_PROCESSED_KEYS + 5; i++) state = rememberProcessed(state, `k${i}`);
    expect(state.processed).toHaveLength(MAX_PROCESSED_KEYS);
    expect(wasProcessed(state, "k0")).toBe(false);
    expect(wasProcessed(state, `k${MAX_PROCESSED_KEYS + 4}`)).toBe(true);
    expect(rememberProcessed(state, "k54")).toBe(state);
  });
});

describe("renderStatusComment", () => {
  const deployments = () => {
    const canary = deployment({ id: 1, sha: "1111111aaaa", at: "2026-01-01T09:00:00Z", statuses: [["in_progress", "2026-01-01T09:00:05Z"], ["success", "2026-01-01T10:00:00Z"]] });
    canary.payload!.requestedBy = "alice";
    canary.statuses[0]!.logUrl = "https://github.com/o/r/actions/runs/9";
    const ten = deployment({ id: 2, stage: "10-percent", sha: "1111111aaaa", at: "2026-01-01T10:15:00Z", statuses: [["in_progress", "2026-01-01T10:15:05Z"]] });
    ten.payload!.requestedBy = "bob";
    return [canary, ten];
  };

  it("shows one row per stage with state, who, when and a link", () => {
    const body = renderStatusComment({ rollout: rollout(...deployments()), stored: emptyStatusState(), help, now, deploymentsUrl: "https://github.com/o/r/deployments/production" });
    const rows = body.split("\n").filter((l) => /^\| [\w-]+ \| \d+% \|/.test(l));
    expect(rows).toEqual([
      "| canary | 1% | ✅ success, observed until 2026-01-01 10:30 UTC | alice | 2026-01-01 09:00 UTC | [1 (1111111)](https://github.com/o/r/actions/runs/9) |",
      "| 10-percent | 10% | 🔄 running | bob | 2026-01-01 10:15 UTC | [2 (1111111)](https://github.com/o/r/deployments/production) |",
      "| 50-percent | 50% | ⏳ pending |  |  |  |",
      "| full | 100% | ⏳ pending |  |  |  |",
    ]);
  });

  it("answers a refused command with every refusal", () => {
    const body = renderStatusComment({
      rollout: rollout(),
      stored: emptyStatusState(),
      help,
      now,
      answer: {
        outcome: "refused",
        actor: "dave",
        command: "/release advance",
        refusals: [
          { code: "not-merged", message: "The pull request is not merged." },
          { code: "blackout", message: "Blackout window friday is in force until 2026-01-02 07:00 UTC.", until: "2026-01-02T07:00:00.000Z" },
        ],
      },
    });
    expect(body).toContain(
      [
        "**`/release advance`** by dave: 🚫 refused, nothing changed.",
        "- **Not merged:** The pull request is not merged.",
        "- **Blackout:** Blackout window friday is in force until 2026-01-02 07:00 UTC.",
      ].join("\n"),
    );
    expect(body).toContain("<details><summary>Commands</summary>");
  });

  it("shows a failed stage with ❌, never ✅", () => {
    const failed = deployment({ id: 1, sha: "1111111aaaa", at: "2026-01-01T09:00:00Z", statuses: [["in_progress", "2026-01-01T09:00:05Z"], ["failure", "2026-01-01T09:10:00Z"]] });
    const answer = toCommandAnswer({ result: "done", code: "stage-failure", message: "canary failed." }, "deployment 1 (canary, 1%) reported failure", "the stage runner");
    const body = renderStatusComment({ rollout: rollout(failed), stored: emptyStatusState(), help, now, answer });
    expect(body).toContain("**`deployment 1 (canary, 1%) reported failure`** by the stage runner: ❌ canary failed.");
    expect(body).not.toContain("✅");
    expect(body).toContain("| canary | 1% | ❌ failed |");
  });

  it("writes every moment in one format, refusals from the guards included", () => {
    const config = defaultConfig();
    // 2026-01-01 is a Thursday.
    config.rollout.blackout = [{ name: "friday", "time-zone": "UTC", days: ["thu"], start: "10:00", end: "23:00" }];
    const canary = deployment({ id: 1, sha: HEAD, at: "2026-01-01T09:50:00Z", statuses: [["success", "2026-01-01T10:00:07Z"]] });
    const decision = decideAdvance({
      state: rollout(canary),
      pull: { merged: true, mergeCommitSha: HEAD, headSha: HEAD, labels: [] },
      readiness: { sha: HEAD, passed: true },
      override: null,
      config,
      now,
    });
    expect(decision.allowed).toBe(false);
    const refusals = decision.allowed ? [] : decision.refusals;
    const body = renderStatusComment({ rollout: rollout(canary), stored, help, now, answer: { outcome: "refused", actor: "bob", command: "/release advance", refusals } });
    const visible = body.replace(/<!-- release-gate:state .*? -->/s, "");
    expect(visible.match(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d[^|.)\n]*/g)).toEqual([
      expect.stringMatching(/^2026-01-01 10:31 UTC/),
      expect.stringMatching(/^2026-01-01 23:00 UTC/),
      expect.stringMatching(/^2026-01-01 10:31 UTC/),
      expect.stringMatching(/^2026-01-01 09:50 UTC/),
    ]);
  });

  it("opens the help for help and unknown verbs", () => {
    const body = renderStatusComment({ rollout: rollout(), stored: emptyStatusState(), help, now, answer: { outcome: "help", actor: "dave", command: "/release frob", unknownVerb: "frob" } });
    expect(body).toContain("unknown command `frob`; the commands are below.");
    expect(body).toContain("<details open><summary>Commands</summary>");
    expect(body).toContain(help);
  });

  it("shows a rollback and the override state", () => {
    const rolled = [...deployments(), deployment({ id: 3, sha: "9999999bbbb", at: "2026-01-01T10:18:00Z", rollback: { of: 2, reason: "p99 2x" }, creator: "bob" })];
    const approved: StatusState = {
      ...emptyStatusState(),
      approvedOverride: { ...stored.pendingOverride!, approvedBy: "erin", approvedAt: "2026-01-01T09:30:00.000Z", approvalKey: "103" },
    };
    const body = renderStatusComment({ rollout: rollout(...rolled), stored: approved, help, now });
    expect(body).toContain("**Rolled back** to `9999999` by bob at 2026-01-01 10:18 UTC (pending): p99 2x");
    expect(body).toContain("↩️ rolled back");
    expect(body).toContain("**Override** for `abcdef1`: requested by carol (flaky e2e), approved by erin.");
    expect(renderStatusComment({ rollout: rollout(), stored, help, now })).toContain("**Override requested** for `abcdef1` by carol: flaky e2e.");
  });

  it("cannot be made to mention, link or inject HTML by user text", () => {
    const hostile = "@org/team #12 <img src=x onerror=alert(1)> [click](https://evil.test) | `@admin";
    const d = deployment({ id: 1, at: "2026-01-01T09:00:00Z", rollback: { of: 1, reason: hostile } });
    d.statuses.push({ state: "pending", createdAt: "2026-01-01T09:00:01Z", logUrl: "javascript:alert(1)" });
    const body = renderStatusComment({
      rollout: rollout(d),
      stored: { ...stored, pendingOverride: { ...stored.pendingOverride!, reason: hostile, requestedBy: "eve@x" } },
      help,
      now,
      answer: { outcome: "refused", actor: "eve", command: `/release advance ${hostile}`, refusals: [{ code: "unknown-stage", message: hostile }] },
    });
    // Judged by a real renderer: code spans show their text literally; nothing else may render as
    // HTML, a link, an image or a mention, and the hostile text still shows in full.
    const live = liveMarkdown(body, OWN_HTML);
    expect({ ...live, code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
    expect(normalise(visibleText(body)).split(normalise(hostile)).length).toBeGreaterThanOrEqual(3);
  });
});

describe("safeUrl", () => {
  it("keeps https links and refuses other schemes", () => {
    expect(safeUrl("https://github.com/o/r/actions/runs/1?check_suite_focus=true")).toBe("https://github.com/o/r/actions/runs/1?check_suite_focus=true");
    expect(safeUrl("https://x.test/a)b(c")).toBe("https://x.test/a%29b%28c");
    expect(safeUrl("http://x.test/")).toBeUndefined();
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });
});

describe("ignored records", () => {
  it("lists what the rollout left out, who wrote it and why, without mentioning anyone", () => {
    const forged: DeploymentRecord = { ...deployment({ id: 7, stage: "full", at: "2026-01-01T10:00:00Z" }), creator: "@bob", viaApp: null };
    const ours: DeploymentRecord = {
      ...deployment({ id: 6, at: "2026-01-01T09:00:00Z", statuses: [["in_progress", "2026-01-01T09:00:01Z"]] }),
      viaApp: 123,
    };
    ours.statuses = [{ state: "success", createdAt: "2026-01-01T09:05:00Z", creator: "mallory", viaApp: null }, ...ours.statuses.map((s) => ({ ...s, viaApp: 123 }))];
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [forged, ours], trust: trustPolicy({ appId: 123 }, []) });
    const body = renderStatusComment({ rollout: state, stored: emptyStatusState(), help, now });
    expect(body).toContain("**Ignored records** (they do not count for the rollout):");
    expect(body).toContain("- ignored: deployment 7 (full) by @\u200bbob — not created by Release Gate");
    expect(body).toContain("- ignored: success status on deployment 6 (canary) by mallory — not written by a stage runner (`rollout.status-writers`)");
  });

  it("counts the records beyond the first ten", () => {
    const forged = Array.from({ length: 13 }, (_, i): DeploymentRecord => ({ ...deployment({ id: 100 + i, at: "2026-01-01T10:00:00Z" }), creator: "bob", viaApp: null }));
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: forged, trust: trustPolicy({ appId: 123 }, []) });
    const body = renderStatusComment({ rollout: state, stored: emptyStatusState(), help, now });
    expect(body.match(/- ignored: deployment/g)).toHaveLength(10);
    expect(body).toContain("- and 3 more ignored records");
  });
});
