// A hand-written release history for the report's tests: five releases of one environment (one
// complete, one rolled back, one overridden, one overridden then rolled back, one rolling out) plus
// forged records a repo writer made by hand. Times are chosen so every metric can be computed on paper
// (see test/core/report/metrics.test.ts).
import { renderPostMortemIssue } from "../../src/core/render/override-report.js";
import type { DeploymentPayload } from "../../src/core/rollout/deployment-payload.js";
import { trustPolicy } from "../../src/core/rollout/trust.js";
import type { DeploymentRecord, DeploymentState } from "../../src/core/rollout/types.js";
import { parseGateIssue } from "../../src/core/report/gate-issues.js";
import type { GateIssue, ReportFacts } from "../../src/core/report/types.js";

export const PLAN = [
  { name: "canary", percent: 10, observe: "30m" },
  { name: "full", percent: 100, observe: "1h" },
];

const APP = { creator: "release-gate[bot]", viaApp: 123 };
const ACTIONS = { creator: "github-actions[bot]", viaApp: 15368 };
const MALLORY = { creator: "mallory", viaApp: null };

let nextId = 100;

function deployment(
  release: number,
  stage: string,
  createdAt: string,
  statuses: Array<[DeploymentState, string, string?]>,
  extra: Partial<DeploymentPayload> = {},
  by: { creator: string; viaApp: number | null } = APP,
  statusBy: { creator: string; viaApp: number | null } = ACTIONS,
): DeploymentRecord {
  const percent = PLAN.find((p) => p.name === stage)?.percent ?? 100;
  return {
    id: nextId++,
    sha: `${String(release).repeat(40)}`.slice(0, 40),
    environment: "production",
    createdAt,
    creator: by.creator,
    viaApp: by.viaApp,
    payload: { stage, percent, release, plan: PLAN, triggers: [], requestedBy: "alice", ...extra },
    // Newest first, as GitHub lists them.
    statuses: statuses
      .map(([state, at, description]) => ({ state, createdAt: at, ...(description ? { description } : {}), creator: statusBy.creator, viaApp: statusBy.viaApp }))
      .reverse(),
  };
}

export function reportHistory(): ReportFacts {
  nextId = 100;
  const r2canary = deployment(2, "canary", "2026-11-04T10:00:00Z", [
    ["in_progress", "2026-11-04T10:01:00Z"],
    ["failure", "2026-11-04T10:10:00Z", "error-rate 2% > 1%"],
  ]);
  const r4canary = deployment(4, "canary", "2026-11-11T10:00:00Z", [
    ["in_progress", "2026-11-11T10:01:00Z"],
    ["failure", "2026-11-11T10:20:00Z", "p99 latency 2.4x baseline"],
  ]);
  const deployments: DeploymentRecord[] = [
    deployment(1, "canary", "2026-11-02T10:00:00Z", [["in_progress", "2026-11-02T10:00:30Z"], ["success", "2026-11-02T10:30:00Z"]]),
    deployment(1, "full", "2026-11-02T11:00:00Z", [["in_progress", "2026-11-02T11:00:30Z"], ["success", "2026-11-02T12:00:00Z"]]),
    r2canary,
    deployment(2, "canary", "2026-11-04T10:11:00Z", [["in_progress", "2026-11-04T10:11:30Z"], ["success", "2026-11-04T10:13:00Z"]], {
      rollback: { of: r2canary.id, reason: "error-rate breach" },
    }),
    deployment(3, "canary", "2026-11-09T10:00:00Z", [["success", "2026-11-09T10:30:00Z"]]),
    deployment(3, "full", "2026-11-09T11:00:00Z", [["success", "2026-11-09T13:00:00Z"]]),
    r4canary,
    deployment(4, "canary", "2026-11-11T10:25:00Z", [["success", "2026-11-11T10:35:00Z"]], { rollback: { of: r4canary.id, reason: "latency" } }),
    deployment(5, "canary", "2026-11-12T10:00:00Z", [["in_progress", "2026-11-12T10:00:30Z"]]),
    // Forged by a repo writer: a "rollback" of release 1 and a success for release 5's canary.
    deployment(1, "canary", "2026-11-03T10:00:00Z", [["success", "2026-11-03T10:01:00Z"]], { rollback: { of: 100, reason: "forged" } }, MALLORY, MALLORY),
  ];
  deployments.find((d) => d.payload?.release === 5)!.statuses.unshift({ state: "success", createdAt: "2026-11-12T10:05:00Z", creator: "mallory", viaApp: null });

  const postMortem = (release: number, number: number, requestedAt: string, approvedAt: string): GateIssue => {
    const draft = renderPostMortemIssue(
      { requestedBy: "alice", reason: "hotfix <b>now</b>", sha: "a".repeat(40), at: requestedAt, key: "1", approvedBy: "bob", approvedAt, approvalKey: "2" },
      { number: release, title: `PR ${release}` },
      ["post-mortem"],
    );
    return parseGateIssue({ number, title: draft.title, body: draft.body, url: `https://github.com/acme/shop/issues/${number}` })!;
  };

  return {
    owner: "acme",
    repo: "shop",
    environment: "production",
    repoUrl: "https://github.com/acme/shop",
    now: "2026-11-16T00:00:00Z",
    rollbackSloMs: 5 * 60_000,
    trust: trustPolicy({ appId: 123 }, ["github-actions[bot]"]),
    headings: { rollback: ["Rollback contract"], communication: ["Communication"] },
    deployments,
    pulls: {
      1: pull(1, "2026-11-02T08:00:00Z"),
      2: pull(2, "2026-11-03T09:00:00Z"),
      3: pull(3, "2026-11-05T00:00:00Z"),
      4: pull(4, "2026-11-10T00:00:00Z"),
      5: pull(5, "2026-11-12T08:00:00Z"),
    },
    readiness: {
      3: { conclusion: "success", title: "Overridden by bob: 1 item fails", summary: "> **Override**", url: "https://github.com/acme/shop/runs/3", override: { approver: "bob", requester: "alice", issue: 90 } },
    },
    checks: {},
    statusComments: {},
    issues: [postMortem(3, 90, "2026-11-09T08:00:00Z", "2026-11-09T08:45:00Z"), postMortem(4, 91, "2026-11-11T09:00:00Z", "2026-11-11T09:30:00Z")],
  };
}

function pull(number: number, firstCommitAt: string) {
  return {
    number,
    title: `PR ${number}`,
    author: "carol",
    url: `https://github.com/acme/shop/pull/${number}`,
    body: "## Rollback contract\nProcedure: revert. Triggers: error rate > 1% for 5m",
    headSha: "f".repeat(40),
    mergedAt: firstCommitAt,
    firstCommitAt,
  };
}
