// The report as a static site: `index.html` (releases and their metrics) and one storyboard page per
// release with five frames (Plan, Stage, Release, Verify, Rollback), each a <details> element that
// opens on click. Self-contained: inline CSS and SVG, no script, no font, no image, and a Content
// Security Policy that forbids fetching anything, so the page makes no request from a file or from
// GitHub Pages. Relative links between pages; links to GitHub open GitHub.
import { barChart, type Bar } from "./charts.js";
import { duration, href, link, text, when } from "./html.js";
import { METRIC_DEFINITIONS, type Distribution, type ReleaseMetrics } from "./metrics.js";
import type { ReleaseStory } from "./types.js";

export interface SiteOptions {
  owner: string;
  repo: string;
  environment: string;
  repoUrl: string;
  now: string;
}

/** File name → contents. */
export type Site = Map<string, string>;

export function releasePageName(release: number): string {
  return `release-${release}.html`;
}

export function renderSite(stories: readonly ReleaseStory[], metrics: ReleaseMetrics, options: SiteOptions): Site {
  const site: Site = new Map();
  site.set("index.html", renderIndex(stories, metrics, options));
  for (const story of stories) site.set(releasePageName(story.number), renderRelease(story, options));
  return site;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--run:#0969da}
*{box-sizing:border-box}body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.meta,.def,.empty{color:var(--muted)}.def{font-size:12px;margin:4px 0 8px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;border:1px solid currentColor}
.complete,.success{color:var(--ok)}.rolled-back,.failed,.failure,.error{color:var(--bad)}.rolling-out,.in_progress,.queued,.pending{color:var(--run)}.overridden,.inactive{color:var(--warn)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:12px}
.card .value{font-size:22px;font-weight:600}
details.frame{border:1px solid var(--line);border-radius:8px;margin:10px 0}details.frame>summary{cursor:pointer;padding:10px 14px;font-weight:600;list-style:none}
details.frame>summary::before{content:"\\25B8";display:inline-block;width:1.2em}details.frame[open]>summary::before{content:"\\25BE"}
details.frame>.body{padding:0 14px 12px}.frame-name{display:inline-block;min-width:5.5em}.frame-status{font-weight:400;color:var(--muted)}
.storyboard{display:flex;gap:6px;margin:12px 0}.storyboard a{flex:1;text-align:center;border:1px solid var(--line);border-radius:6px;padding:6px;text-decoration:none;color:var(--fg)}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;border-radius:6px;padding:8px;max-height:360px;overflow:auto}
svg.chart{width:100%;max-width:420px;height:auto}svg .bar{fill:var(--run)}svg .bar.alert{fill:var(--bad)}svg .axis{stroke:var(--line)}svg .ref{stroke:var(--warn);fill:var(--warn);stroke-dasharray:4 3;font-size:10px}svg text{font-size:10px;fill:var(--muted)}
a{color:var(--run)}
`;

function page(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    `<body>${body}</body>`,
    "</html>",
    "",
  ].join("\n");
}

/** The states with a colour; anything else (a foreign app's conclusion, say) is drawn plain. */
const BADGE_CLASSES = new Set(["complete", "success", "rolled-back", "failed", "failure", "error", "rolling-out", "in_progress", "queued", "pending", "overridden", "inactive", "rolled-back"]);

function badge(state: string, label = state): string {
  return `<span class="badge${BADGE_CLASSES.has(state) ? ` ${state}` : ""}">${text(label)}</span>`;
}

const STATE_LABEL: Record<ReleaseStory["state"], string> = {
  complete: "complete",
  "rolling-out": "rolling out",
  "rolled-back": "rolled back",
  failed: "failed",
};

// ---- index ----

function renderIndex(stories: readonly ReleaseStory[], m: ReleaseMetrics, o: SiteOptions): string {
  const rows = stories.map(
    (s) =>
      `<tr data-release="${s.number}"><td><a href="${releasePageName(s.number)}">#${s.number}</a></td><td><a href="${releasePageName(s.number)}">${text(s.title)}</a></td>` +
      `<td>${badge(s.state, STATE_LABEL[s.state])}${s.override ? ` ${badge("overridden")}` : ""}</td><td>${when(s.startedAt)}</td><td>${when(s.completedAt)}</td>` +
      `<td>${duration(s.leadTimeMs)}</td><td>${s.rollback ? duration(s.rollback.durationMs) : "–"}</td></tr>`,
  );
  const body = [
    `<h1>Releases of ${text(`${o.owner}/${o.repo}`)}</h1>`,
    `<p class="meta">Environment ${text(o.environment)} · built ${when(o.now)} from the GitHub records Release Gate wrote · ${link(o.repoUrl, "repository on GitHub")}</p>`,
    `<h2>Release metrics</h2>`,
    `<div class="cards">${metricCards(m).join("")}</div>`,
    `<h2>Releases</h2>`,
    stories.length === 0
      ? `<p class="empty">No Release Gate deployments in ${text(o.environment)} yet.</p>`
      : `<table id="releases"><thead><tr><th>PR</th><th>Title</th><th>State</th><th>Started</th><th>Completed</th><th>Lead time</th><th>Rollback took</th></tr></thead><tbody>${rows.join("")}</tbody></table>`,
  ];
  return page(`Releases of ${o.owner}/${o.repo}`, body.join("\n"));
}

function card(id: keyof typeof METRIC_DEFINITIONS, title: string, value: string, detail: string, chart = ""): string {
  return `<section class="card" id="metric-${id}"><h3>${text(title)}</h3><div class="value">${value}</div><div class="meta">${detail}</div><p class="def"><b>Definition.</b> ${text(METRIC_DEFINITIONS[id])}</p>${chart}</section>`;
}

function spread(d: Distribution): string {
  return d.count === 0 ? "nothing measured yet" : `median ${duration(d.median)} · mean ${duration(d.mean)} · max ${duration(d.max)} · ${d.count} measured`;
}

function seriesBars(series: Array<{ release: number; ms: number }>, limit?: number): Bar[] {
  return series.map((p) => ({ label: `#${p.release}`, value: p.ms, title: `#${p.release}: ${duration(p.ms)}`, alert: limit !== undefined && p.ms > limit }));
}

function metricCards(m: ReleaseMetrics): string[] {
  const f = m.deploymentFrequency;
  const cfr = m.changeFailureRate;
  const rd = m.rollbackDuration;
  return [
    card(
      "deploymentFrequency",
      "Deployment frequency",
      `${Number(f.perWeek.toFixed(2))} / week`,
      `${f.completed} completed in ${f.weeks} week${f.weeks === 1 ? "" : "s"}`,
      barChart(
        f.series.map((w) => ({ label: w.week.slice(5), value: w.count, title: `week of ${w.week}: ${w.count}` })),
        { label: "Completed releases per week" },
      ),
    ),
    card("leadTime", "Lead time", duration(m.leadTime.median), spread(m.leadTime), barChart(seriesBars(m.leadTime.series), { label: "Lead time per release" })),
    card(
      "changeFailureRate",
      "Change failure rate",
      cfr.rate === undefined ? "–" : `${Number((cfr.rate * 100).toFixed(1))} %`,
      `${cfr.failed} failed of ${cfr.concluded} concluded`,
    ),
    card("timeToRestore", "Time to restore", duration(m.timeToRestore.mean), spread(m.timeToRestore), barChart(seriesBars(m.timeToRestore.series), { label: "Time to restore per rollback" })),
    card(
      "rollbackDuration",
      "Rollback duration vs SLO",
      rd.count === 0 ? "–" : `${rd.withinSlo} of ${rd.count} within ${duration(rd.sloMs)}`,
      spread(rd),
      barChart(seriesBars(rd.series, rd.sloMs), { label: "Rollback duration per rollback", reference: { value: rd.sloMs, label: `SLO ${duration(rd.sloMs)}` } }),
    ),
    card("approvalLatency", "Approval latency for overrides", duration(m.approvalLatency.median), spread(m.approvalLatency), barChart(seriesBars(m.approvalLatency.series), { label: "Approval latency per override" })),
    card(
      "overridesPerMonth",
      "Overrides per month",
      String(m.overridesPerMonth.reduce((a, b) => a + b.count, 0)),
      `in ${m.overridesPerMonth.length} month${m.overridesPerMonth.length === 1 ? "" : "s"}`,
      barChart(
        m.overridesPerMonth.map((p) => ({ label: p.month, value: p.count, title: `${p.month}: ${p.count}` })),
        { label: "Overrides per month" },
      ),
    ),
  ];
}

// ---- storyboard ----

const FRAMES = ["plan", "stage", "release", "verify", "rollback"] as const;
type Frame = (typeof FRAMES)[number];
const FRAME_TITLE: Record<Frame, string> = { plan: "Plan", stage: "Stage", release: "Release", verify: "Verify", rollback: "Rollback" };

function frame(id: Frame, status: string, body: string): string {
  return `<details class="frame" id="${id}"><summary><span class="frame-name">${FRAME_TITLE[id]}</span> <span class="frame-status">${status}</span></summary><div class="body">${body}</div></details>`;
}

function renderRelease(s: ReleaseStory, o: SiteOptions): string {
  const commit = (sha: string | null | undefined) => (sha ? link(`${o.repoUrl}/commit/${encodeURIComponent(sha)}`, sha.slice(0, 7)) : "–");
  const body = [
    `<p><a href="index.html">← All releases</a></p>`,
    `<h1>#${s.number} ${text(s.title)}</h1>`,
    `<p class="meta">${badge(s.state, STATE_LABEL[s.state])}${s.override ? ` ${badge("overridden")}` : ""} · ${s.author ? `by ${text(s.author)} · ` : ""}${link(s.pullUrl, "pull request on GitHub")} · commit ${commit(s.sha)}</p>`,
    `<nav class="storyboard">${FRAMES.map((f) => `<a href="#${f}">${FRAME_TITLE[f]}</a>`).join("")}</nav>`,
    planFrame(s),
    stageFrame(s),
    releaseFrame(s, o),
    verifyFrame(s),
    rollbackFrame(s, commit),
  ];
  return page(`#${s.number} ${s.title}`, body.join("\n"));
}

function planFrame(s: ReleaseStory): string {
  const r = s.readiness;
  const verdict = r ? (s.override ? "overridden" : (r.conclusion ?? "in progress")) : "no readiness run found";
  const parts: string[] = [];
  parts.push(`<h3>Readiness verdict</h3>`);
  parts.push(
    r
      ? `<p>${badge(r.conclusion ?? "pending", r.conclusion ?? "in progress")} ${text(r.title)} · ${link(r.url, "check run on GitHub")}</p><pre class="summary">${text(r.summary.slice(0, 20_000))}</pre>`
      : `<p class="empty">No <code>Release readiness</code> run of Release Gate on the PR head.</p>`,
  );
  if (s.override) {
    const ov = s.override;
    parts.push(
      `<h3>Override</h3><table><tbody><tr><th>Requested by</th><td>${text(ov.requester)}</td><td>${when(ov.requestedAt)}</td></tr><tr><th>Approved by</th><td>${text(ov.approver)}</td><td>${when(ov.approvedAt)}</td></tr>` +
        `<tr><th>Approval latency</th><td colspan="2">${duration(ov.latencyMs)}</td></tr><tr><th>Reason</th><td colspan="2">${text(ov.reason ?? "–")}</td></tr>` +
        `<tr><th>Post-mortem</th><td colspan="2">${ov.issue ? link(ov.issue.url, `issue #${ov.issue.number}`) : "–"}</td></tr></tbody></table>`,
    );
  }
  parts.push(`<h3>Release plan (from the PR description)</h3>`);
  parts.push(
    s.plan.length === 0
      ? `<p class="empty">No release plan sections found.</p>`
      : s.plan.map((p) => `<h3>${text(p.heading)}</h3><pre>${text(p.lines.join("\n").slice(0, 8000))}</pre>`).join(""),
  );
  parts.push(`<h3>Rollback triggers (the rollout's gates)</h3>`);
  parts.push(s.triggers.length === 0 ? `<p class="empty">None recorded in the stage payload.</p>` : `<ul>${s.triggers.map((t) => `<li>${text(t)}</li>`).join("")}</ul>`);
  parts.push(
    `<p>${link(s.pullUrl, `Pull request #${s.number}`)} · first commit ${when(s.firstCommitAt)} · ${s.statusCommentUrl ? link(s.statusCommentUrl, "release status comment") : "no status comment"}</p>`,
  );
  return frame("plan", text(verdict), parts.join(""));
}

function stageFrame(s: ReleaseStory): string {
  const rows = s.checks.map((c) => `<tr><td>${link(c.url, c.name)}</td><td>${text(c.app ?? "–")}</td><td>${badge(c.conclusion ?? c.status)}</td></tr>`);
  const failing = s.checks.filter((c) => c.conclusion !== null && !["success", "neutral", "skipped"].includes(c.conclusion)).length;
  const status = s.checks.length === 0 ? "no checks found" : `${s.checks.length} check${s.checks.length === 1 ? "" : "s"}, ${failing} not passing`;
  const body =
    s.checks.length === 0
      ? `<p class="empty">No check runs on the PR head.</p>`
      : `<p class="meta">Check runs on the PR head (every app's, for reference; the gate decides on its own run only).</p><table><thead><tr><th>Check</th><th>App</th><th>Result</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return frame("stage", text(status), body);
}

function releaseFrame(s: ReleaseStory, o: SiteOptions): string {
  const stages = s.stages.map(
    (st) =>
      `<tr><td>${text(st.name)}</td><td>${st.percent} %</td><td>${text(st.observe)}</td><td>${badge(st.phase)}</td><td>${text(st.by ?? "–")}</td><td>${when(st.startedAt)}</td><td>${when(st.finishedAt)}</td></tr>`,
  );
  const timeline = s.timeline.map(
    (e) =>
      `<tr><td>${when(e.at)}</td><td>${text(e.stage)}</td><td>${e.percent} %</td><td>${badge(e.state)}</td><td>${text(e.by ?? "–")}</td><td>${text(e.description ?? "")}</td><td>${e.logUrl && href(e.logUrl) ? link(e.logUrl, "log") : ""}</td></tr>`,
  );
  const reached = [...s.stages].reverse().find((st) => st.phase === "success");
  const status = reached ? `reached ${text(reached.name)} (${reached.percent} %)` : "no stage succeeded";
  const ignored =
    s.ignored.length === 0
      ? ""
      : `<p class="meta">${s.ignored.length} record${s.ignored.length === 1 ? "" : "s"} not written by Release Gate's identities ignored: ${s.ignored
          .map((r) => `${r.kind} ${r.deploymentId} by ${text(r.by ?? "unknown")}`)
          .join("; ")}.</p>`;
  const body = [
    `<h3>Stages and gates</h3><table><thead><tr><th>Stage</th><th>Traffic</th><th>Window</th><th>State</th><th>Advanced by</th><th>Started</th><th>Succeeded / failed</th></tr></thead><tbody>${stages.join("")}</tbody></table>`,
    `<h3>Timeline</h3><table><thead><tr><th>When</th><th>Stage</th><th>Traffic</th><th>State</th><th>By</th><th>Description</th><th></th></tr></thead><tbody>${timeline.join("")}</tbody></table>`,
    ignored,
    `<p>${link(`${o.repoUrl}/deployments`, "Deployments on GitHub")}</p>`,
  ];
  return frame("release", status, body.join(""));
}

function verifyFrame(s: ReleaseStory): string {
  const v = s.verify;
  if (!v) return frame("verify", "no stages", `<p class="empty">No stage plan.</p>`);
  const status = s.completedAt ? `passed ${when(s.completedAt)}` : v.phase === "pending" ? "not started" : text(v.phase);
  const body = [
    `<table><tbody><tr><th>Final stage</th><td>${text(v.stage)} (${v.percent} %)</td></tr><tr><th>Verify window</th><td>${text(v.observe)}</td></tr>`,
    `<tr><th>Started</th><td>${when(v.startedAt)}</td></tr><tr><th>Ended</th><td>${when(v.endedAt)}</td></tr><tr><th>State</th><td>${badge(v.phase)}</td></tr></tbody></table>`,
    `<p class="meta">A release counts as complete when its final stage reports success, which the stage runner does only after the verify window passed with every gate holding.</p>`,
    s.flagIssue ? `<p>Release flag ${text(s.flagIssue.flag)}: ${link(s.flagIssue.url, `removal issue #${s.flagIssue.number}`)}</p>` : "",
  ];
  return frame("verify", status, body.join(""));
}

function rollbackFrame(s: ReleaseStory, commit: (sha: string) => string): string {
  const r = s.rollback;
  if (!r) return frame("rollback", "none", `<p class="empty">This release was not rolled back.</p>`);
  const status = r.durationMs === undefined ? "rolling back" : `reverted in ${duration(r.durationMs)}${r.withinSlo === false ? " (over SLO)" : ""}`;
  const timeline = r.timeline.map(
    (e) => `<tr><td>${when(e.at)}</td><td>${text(e.stage)}</td><td>${badge(e.state)}</td><td>${text(e.by ?? "–")}</td><td>${text(e.description ?? "")}</td></tr>`,
  );
  const seconds = r.durationMs === undefined ? "–" : `${(r.durationMs / 1000).toFixed(0)} s`;
  const body = [
    `<table><tbody>`,
    `<tr><th>Trigger</th><td>${text(r.reason)}${r.breach ? `<br>${text(r.breach.stage)} failed ${when(r.breach.at)}: ${text(r.breach.description)}` : ""}</td></tr>`,
    `<tr><th>Rolled back by</th><td>${text(r.by ?? "–")}</td></tr>`,
    `<tr><th>Back on</th><td>${commit(r.sha)}</td></tr>`,
    `<tr><th>Seconds to revert</th><td class="seconds">${seconds}${r.withinSlo === undefined ? "" : r.withinSlo ? " · within the rollback SLO" : " · over the rollback SLO"}</td></tr>`,
    `<tr><th>Time to restore</th><td>${duration(r.restoreMs)} (breach → rollback done)</td></tr>`,
    `<tr><th>Post-mortem</th><td>${s.override?.issue ? link(s.override.issue.url, `issue #${s.override.issue.number}`) : "none opened"}</td></tr>`,
    `</tbody></table>`,
    `<h3>Rollback timeline</h3><table><thead><tr><th>When</th><th>Deployment</th><th>State</th><th>By</th><th>Description</th></tr></thead><tbody>${timeline.join("")}</tbody></table>`,
  ];
  return frame("rollback", status, body.join(""));
}
