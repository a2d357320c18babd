// The report's pages: every frame on every storyboard, links back to GitHub, and hostile text from
// GitHub (titles, bodies, descriptions, reasons, logins, URLs) shown as text, never as markup.
import { buildReport } from "../../../src/core/report/build-report.js";
import { text, href } from "../../../src/core/report/html.js";
import { reportHistory } from "../../support/report-history.js";

const HOSTILE = `<img src=x onerror="alert(1)"><script>fetch('https://evil.example')</script>"'\`&amp;`;

describe("renderSite", () => {
  it("writes the index and one storyboard per release, each with the five frames", () => {
    const { site } = buildReport(reportHistory());
    expect([...site.keys()].sort()).toEqual(["index.html", "release-1.html", "release-2.html", "release-3.html", "release-4.html", "release-5.html"]);
    for (const [name, html] of site) {
      expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
      if (name === "index.html") continue;
      for (const frame of ["plan", "stage", "release", "verify", "rollback"]) expect(html).toMatch(new RegExp(`<details class="frame" id="${frame}">`));
    }
    const index = site.get("index.html")!;
    for (const metric of ["deploymentFrequency", "leadTime", "changeFailureRate", "timeToRestore", "rollbackDuration", "approvalLatency", "overridesPerMonth"]) {
      expect(index).toContain(`id="metric-${metric}"`);
    }
    expect(index).toContain("50 %");
    expect(index).toContain("1 of 2 within 5 min");
  });

  it("shows the rollback log with seconds to revert and the SLO verdict", () => {
    const { site } = buildReport(reportHistory());
    const two = site.get("release-2.html")!;
    expect(two).toContain('<td class="seconds">120 s · within the rollback SLO</td>');
    expect(site.get("release-4.html")!).toContain('<td class="seconds">600 s · over the rollback SLO</td>');
    expect(site.get("release-4.html")!).toContain('href="https://github.com/acme/shop/issues/91"');
    expect(site.get("release-1.html")!).toContain("This release was not rolled back.");
  });

  it("escapes every hostile text from GitHub and draws no link for a non-http URL", () => {
    const facts = reportHistory();
    facts.pulls[2] = { ...facts.pulls[2]!, title: HOSTILE, author: HOSTILE, body: `## Rollback contract\n${HOSTILE}`, url: "javascript:alert(1)" };
    facts.readiness[2] = { conclusion: "failure", title: HOSTILE, summary: HOSTILE, url: "data:text/html,<script>alert(1)</script>" };
    facts.checks[2] = [{ name: HOSTILE, app: HOSTILE, status: "completed", conclusion: HOSTILE, url: "https://github.com/acme/shop/runs/1?x=\"><script>" }];
    const canary = facts.deployments.find((d) => d.payload?.release === 2 && !d.payload.rollback)!;
    canary.statuses[0] = { ...canary.statuses[0]!, description: HOSTILE, logUrl: "javascript:alert(1)" };
    const rollback = facts.deployments.find((d) => d.payload?.release === 2 && d.payload.rollback)!;
    rollback.payload = { ...rollback.payload!, requestedBy: HOSTILE, rollback: { of: canary.id, reason: HOSTILE } };
    const { site } = buildReport(facts);
    for (const html of [site.get("index.html")!, site.get("release-2.html")!]) {
      // The markup alone (escaped text holds no "<"): no element or attribute came from the input.
      const tags = (html.match(/<[^>]*>/g) ?? []).join("\n");
      expect(tags).not.toMatch(/<img|<script|\sonerror=|javascript:|data:text|evil\.example/i);
      expect(html).toContain(text(HOSTILE));
    }
    const page = site.get("release-2.html")!;
    // The check-run URL is kept, with its quote and brackets percent-encoded by URL parsing.
    expect(page).toContain('href="https://github.com/acme/shop/runs/1?x=%22%3E%3Cscript%3E"');
    // Nothing the page itself would fetch: no src, no srcset, no url( in attributes, no <link>.
    const tags = (page.match(/<[^>]*>/g) ?? []).join("\n");
    expect(tags).not.toMatch(/\ssrc=|srcset=|<link\b|<iframe|<object|<embed|<script/i);
    expect(page).not.toMatch(/@import|url\(/i);
  });

  it("href keeps http(s) only", () => {
    expect(href("https://github.com/a/b")).toBe("https://github.com/a/b");
    expect(href("http://ghe.local/a")).toBe("http://ghe.local/a");
    for (const bad of ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "/relative", "", null, "file:///etc/passwd"]) expect(href(bad)).toBeUndefined();
  });
});
