// `release-gate report` end to end: the real CLI process reads the local GitHub stand-in (four
// releases: one complete, one rolled back, one overridden, one rolling out, plus records forged by a
// repo writer), writes the site, and a real headless Chromium opens it from file:// and from a plain
// HTTP server (as GitHub Pages serves it): every frame renders, expands and links back to GitHub, the
// console stays clean and no request leaves the page. Screenshots land in test-artifacts/report/.
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { renderPostMortemIssue } from "../../src/core/render/override-report.js";
import { STATUS_MARKER } from "../../src/core/render/status-comment.js";
import { startFakeGitHub, type FakeGitHub, type FakeIdentity } from "../support/fake-github.js";
import { ACTIONS_IDENTITY, APP_IDENTITY } from "../support/fake-deployment-routes.js";
import { APP_LOGIN } from "../support/fake-release-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep, runPostStep } from "../support/run-action.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(root, "test-artifacts", "report");
const OWNER = "acme";
const REPO = "shop";
const PLAN = [
  { name: "canary", percent: 5, observe: "30m" },
  { name: "half", percent: 50, observe: "1h" },
  { name: "full", percent: 100, observe: "24h" },
];
const HOSTILE_TITLE = `fix: <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & "quotes"`;
const MALLORY: FakeIdentity = { login: "mallory", type: "User", app: null };

let world: FakeWorld;
let github: FakeGitHub;
let out: string;
let context: BrowserContext;
let userDataDir: string;
const consoleErrors: string[] = [];
const network: string[] = [];

function sha(n: number, c: string) {
  return `${c}${String(n)}`.padEnd(40, c);
}

/** A stage deployment as the app creates it, with statuses at the given times (as the Action writes them). */
function deploy(release: number, stage: string, at: string, statuses: Array<[string, string, string?]>, extra: Record<string, unknown> = {}, by: FakeIdentity = APP_IDENTITY) {
  const percent = PLAN.find((p) => p.name === stage)?.percent ?? 100;
  const d = world.deployments.add({
    owner: OWNER,
    repo: REPO,
    sha: sha(release, "m"),
    environment: "production",
    createdAt: at,
    by,
    payload: { stage, percent, release, plan: PLAN, triggers: [{ metric: "error-rate", label: "error rate", comparator: ">", value: 1, unit: "percent", line: 2, text: "error rate > 1% for 5m" }], requestedBy: "maria", ...extra },
  });
  for (const [state, when, description] of statuses) {
    const s = world.deployments.addStatus(d.id, state, description ?? state, by === MALLORY ? MALLORY : ACTIONS_IDENTITY, true, `https://github.com/${OWNER}/${REPO}/actions/runs/${d.id}`);
    s.created_at = when;
  }
  return d;
}

function pull(number: number, title: string, firstCommit: string) {
  world.repos.addPull({
    owner: OWNER,
    repo: REPO,
    number,
    title,
    body: "## Rollback contract\nProcedure: turn off the flag.\nTriggers: error rate > 1% for 5m\n\n## Communication\nAudience: support. What changes: <b>nothing</b> visible to customers at all.",
    headSha: sha(number, "h"),
    labels: [],
    files: ["src/app.ts"],
    state: "closed",
    merged: true,
    mergeCommitSha: sha(number, "m"),
    author: "carol",
    commits: [
      { sha: sha(number, "c"), date: firstCommit },
      { sha: sha(number, "h"), date: "2026-11-20T00:00:00Z" },
    ],
  });
  world.repos.checkRuns.push({
    id: 9000 + number,
    owner: OWNER,
    repo: REPO,
    name: "Release readiness",
    head_sha: sha(number, "h"),
    status: "completed",
    conclusion: "success",
    external_id: number === 13 ? `release-gate:pr-${number};override=bob,alice,7013` : `release-gate:pr-${number}`,
    output: { title: number === 13 ? "Overridden by bob: 1 of 3 items fails" : "Ready to release", summary: `| item | status |\n| --- | --- |\n| Rollback contract | pass |` },
    writes: 1,
  });
  world.repos.checkRuns.push({ id: 9500 + number, owner: OWNER, repo: REPO, name: "CI / test", head_sha: sha(number, "h"), status: "completed", conclusion: "success", external_id: null, output: {}, writes: 1, app: { id: 15368, slug: "github-actions" } });
  world.release.addComment(OWNER, REPO, number, `${STATUS_MARKER}\nRelease status`, { login: APP_LOGIN });
}

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, "lib/src/cli/main.js"), ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

beforeAll(async () => {
  world = fakeWorld();
  // An older release of another kind: a plain deployment that served everything (the last good SHA).
  world.deployments.add({ owner: OWNER, repo: REPO, sha: sha(1, "g"), environment: "production", payload: {}, by: APP_IDENTITY, createdAt: "2026-11-01T00:00:00Z" });

  pull(11, "feat: saved cards", "2026-11-16T08:00:00Z");
  deploy(11, "canary", "2026-11-17T09:00:00Z", [["in_progress", "2026-11-17T09:00:20Z"], ["success", "2026-11-17T09:30:00Z"]]);
  deploy(11, "half", "2026-11-17T10:00:00Z", [["in_progress", "2026-11-17T10:00:20Z"], ["success", "2026-11-17T11:00:00Z"]]);
  deploy(11, "full", "2026-11-17T11:10:00Z", [["in_progress", "2026-11-17T11:10:20Z"], ["success", "2026-11-18T11:10:00Z"]]);

  pull(12, HOSTILE_TITLE, "2026-11-18T10:00:00Z");
  const failed = deploy(12, "canary", "2026-11-19T09:00:00Z", [["in_progress", "2026-11-19T09:00:20Z"], ["failure", "2026-11-19T09:12:00Z", "error-rate 2.3% > 1% <script>x</script>"]]);
  deploy(12, "canary", "2026-11-19T09:12:30Z", [["in_progress", "2026-11-19T09:12:40Z"], ["success", "2026-11-19T09:14:05Z", "rolled back canary"]], { rollback: { of: failed.id, reason: "gate error-rate breached" } });

  pull(13, "fix: checkout timeout (hotfix)", "2026-11-20T06:00:00Z");
  deploy(13, "canary", "2026-11-21T09:00:00Z", [["success", "2026-11-21T09:30:00Z"]]);
  deploy(13, "half", "2026-11-21T10:00:00Z", [["success", "2026-11-21T11:00:00Z"]]);
  deploy(13, "full", "2026-11-21T11:05:00Z", [["success", "2026-11-22T11:05:00Z"]]);
  const pm = renderPostMortemIssue(
    { requestedBy: "alice", reason: "payment provider outage, hotfix", sha: sha(13, "h"), at: "2026-11-21T08:00:00Z", key: "1", approvedBy: "bob", approvedAt: "2026-11-21T08:42:00Z", approvalKey: "2" },
    { number: 13, title: "fix: checkout timeout (hotfix)" },
    ["post-mortem"],
  );
  world.release.issues.push({ number: 7013, owner: OWNER, repo: REPO, ...pm, user: APP_IDENTITY, createdAt: "2026-11-21T08:42:01Z", state: "open" });
  // A look-alike post-mortem for #11 opened by a person: not the gate's, so #11 shows no override.
  const fake = renderPostMortemIssue(
    { requestedBy: "mallory", reason: "x", sha: sha(11, "h"), at: "2026-11-17T00:00:00Z", key: "1", approvedBy: "mallory", approvedAt: "2026-11-17T00:00:01Z", approvalKey: "2" },
    { number: 11, title: "feat: saved cards" },
    ["post-mortem"],
  );
  world.release.issues.push({ number: 7014, owner: OWNER, repo: REPO, ...fake, user: MALLORY, createdAt: "2026-11-17T00:00:02Z", state: "open" });

  pull(14, "feat: gift cards", "2026-11-25T08:00:00Z");
  deploy(14, "canary", "2026-11-26T09:00:00Z", [["in_progress", "2026-11-26T09:00:20Z"]]);
  // Forged by a repo writer: a rollback of #11 and a success on #14's canary.
  deploy(11, "canary", "2026-11-18T12:00:00Z", [["success", "2026-11-18T12:00:10Z"]], { rollback: { of: 1, reason: "forged" } }, MALLORY);
  world.deployments.addStatus(world.deployments.deploymentsOf(OWNER, REPO, 14)[0]!.id, "success", "forged", MALLORY).created_at = "2026-11-26T09:05:00Z";
  // A deployment payload naming a PR the gate never released: must not be read.
  deploy(99, "canary", "2026-11-26T10:00:00Z", [["success", "2026-11-26T10:01:00Z"]], {}, MALLORY);

  github = await startFakeGitHub(world.routes());
  out = await mkdtemp(join(tmpdir(), "release-report-"));
  userDataDir = await mkdtemp(join(tmpdir(), "release-report-chromium-"));
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await github?.close();
  await rm(out, { recursive: true, force: true });
  await rm(userDataDir, { recursive: true, force: true });
});

describe("release-gate report (CLI against the fake GitHub)", () => {
  it("writes the index and one storyboard per release the gate deployed, reading only", async () => {
    const result = await runCli(["report", "--repo", `${OWNER}/${REPO}`, "--out", out, "--app-id", "123", "--rollback-slo", "2m"], {
      GITHUB_TOKEN: "ghs_reader_token",
      GITHUB_API_URL: github.url,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4 releases of acme\/shop in production from \d+ deployments; wrote 5 pages/);
    expect((await readdir(out)).sort()).toEqual([".nojekyll", "index.html", "release-11.html", "release-12.html", "release-13.html", "release-14.html"]);
    expect(github.requests.filter((r) => r.method !== "GET")).toEqual([]);
    // The forged release number 99 is never looked up.
    expect(github.requests.some((r) => r.path.includes("/pulls/99"))).toBe(false);
    expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
  }, 60_000);

  it("the bundled Action's mode: report writes the same pages (main and post step, GET requests only)", async () => {
    const before = github.requests.length;
    const dir = await mkdtemp(join(tmpdir(), "release-report-action-"));
    try {
      const setup = {
        apiUrl: github.url,
        repository: `${OWNER}/${REPO}`,
        sha: "0".repeat(40),
        eventName: "schedule",
        event: { schedule: "17 6 * * *" },
        inputs: { mode: "report", token: "ghs_workflow_report", "report-dir": join(dir, "site"), "app-id": "123", "rollback-slo": "2m" },
      };
      const main = await runActionStep(setup);
      expect(main.code).toBe(0);
      expect(main.summary).toContain("Release report: 4 releases in production");
      expect((await readdir(join(dir, "site"))).sort()).toEqual([".nojekyll", "index.html", "release-11.html", "release-12.html", "release-13.html", "release-14.html"]);
      for (const name of ["index.html", "release-12.html"]) {
        // The same site as the CLI's but for the build time printed on the index.
        const strip = (html: string) => html.replace(/built \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/, "built …");
        expect(strip(await readFile(join(dir, "site", name), "utf8"))).toBe(strip(await readFile(join(out, name), "utf8")));
      }
      const post = await runPostStep(setup, main);
      expect(post.code).toBe(0);
      expect(github.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("names what is missing when GITHUB_TOKEN or --repo is absent", async () => {
    const result = await runCli(["report", "--out", out], { GITHUB_API_URL: github.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--repo OWNER/NAME is required");
    expect(result.stderr).toContain("GITHUB_TOKEN is not set");
  });
});

describe("the report in headless Chromium", () => {
  beforeAll(async () => {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1200, height: 900 },
    });
    context.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    context.on("weberror", (e) => consoleErrors.push(`pageerror: ${e.error().message}`));
    context.on("request", (r) => {
      if (!r.url().startsWith("file://") && !r.url().startsWith(pagesOrigin)) network.push(r.url());
    });
    // Anything that is not the site itself is aborted and counted: nothing may leave the page.
    await context.route(
      (url) => !url.href.startsWith("file://") && !url.href.startsWith(pagesOrigin),
      async (route) => {
        network.push(`routed: ${route.request().url()}`);
        await route.abort();
      },
    );
  }, 60_000);

  let pagesOrigin = "http://never.invalid";

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  it("index: every metric with its definition and chart, every release linked, hostile title as text", async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(out, "index.html")).href);
    const cards = page.locator("section.card");
    expect(await cards.count()).toBe(7);
    for (const card of await cards.all()) {
      expect(await card.locator(".def").innerText()).toMatch(/^Definition\. \S/);
      expect(await card.locator(".value").innerText()).not.toBe("");
    }
    expect(await page.locator("#metric-changeFailureRate .value").innerText()).toBe("33.3 %");
    expect(await page.locator("#metric-rollbackDuration .value").innerText()).toBe("1 of 1 within 2 min");
    expect(await page.locator("#metric-approvalLatency .value").innerText()).toBe("42 min");
    expect(await page.locator("#metric-rollbackDuration svg rect.bar").count()).toBe(1);
    const rows = page.locator("#releases tbody tr");
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-release")))).toEqual(["14", "13", "12", "11"]);
    expect(await page.locator('tr[data-release="12"] td:nth-child(2)').innerText()).toBe(HOSTILE_TITLE);
    expect(await page.locator("img, script").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('tr[data-release="13"] .badge.overridden').count()).toBe(1);
    expect(await page.locator('tr[data-release="11"] .badge.overridden').count()).toBe(0);
    await shot(page, "index");
    await page.close();
  });

  for (const release of [11, 12, 13, 14]) {
    it(`storyboard #${release}: five frames that render, expand on click and link to GitHub`, async () => {
      const page = await context.newPage();
      await page.goto(pathToFileURL(join(out, "index.html")).href);
      await page.locator(`tr[data-release="${release}"] td:first-child a`).click();
      await page.waitForURL(/release-\d+\.html$/);
      expect(page.url()).toMatch(new RegExp(`release-${release}\\.html$`));
      for (const id of ["plan", "stage", "release", "verify", "rollback"]) {
        const frame = page.locator(`details.frame#${id}`);
        expect(await frame.count()).toBe(1);
        expect(await frame.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
        expect(await frame.locator(".body").isVisible()).toBe(false);
        await frame.locator("summary").click();
        expect(await frame.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
        expect(await frame.locator(".body").isVisible()).toBe(true);
        expect((await frame.locator(".body").innerText()).trim().length).toBeGreaterThan(10);
      }
      const links = await page.locator("details.frame a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      expect(links.length).toBeGreaterThan(0);
      // The fake's web addresses: github.com for PRs, runs and comments; its own host for issues.
      for (const href of links) expect(href).toMatch(/^(https:\/\/github\.com|http:\/\/127\.0\.0\.1)\/acme\/shop\//);
      expect(links).toEqual(expect.arrayContaining([`https://github.com/acme/shop/pull/${release}`, `https://github.com/acme/shop/pull/${release}#issuecomment-${statusCommentId(release)}`]));
      const text = await page.locator("body").innerText();
      if (release === 12) {
        expect(await page.locator("#rollback .seconds").innerText()).toBe("95 s · within the rollback SLO");
        expect(text).toContain("error-rate 2.3% > 1% <script>x</script>");
        expect(text).toContain("gate error-rate breached");
        expect(await page.locator("h1").innerText()).toBe(`#12 ${HOSTILE_TITLE}`);
      }
      if (release === 13) {
        expect(text).toContain("payment provider outage, hotfix");
        expect(links).toContain("http://127.0.0.1/acme/shop/issues/7013");
        expect(await page.locator("#verify .frame-status").innerText()).toMatch(/^passed 2026-11-22 11:05 UTC$/);
      }
      if (release === 11) {
        expect(await page.locator("#rollback .frame-status").innerText()).toBe("none");
        expect(text).toMatch(/2 records not written by Release Gate's identities ignored|records? not written/);
      }
      if (release === 14) expect(await page.locator("#verify .frame-status").innerText()).toBe("not started");
      expect(await page.locator("img, script").count()).toBe(0);
      await shot(page, `release-${release}`);
      await page.close();
    });
  }

  it("served over HTTP as GitHub Pages serves it: same pages, no other request", async () => {
    const server = await serveDirectory(out);
    pagesOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await context.newPage();
      const seen: string[] = [];
      page.on("request", (r) => seen.push(r.url()));
      await page.goto(`${pagesOrigin}/index.html`);
      await page.locator('tr[data-release="12"] td:first-child a').click();
      await page.waitForURL(/release-12\.html$/);
      await page.locator("details.frame#rollback summary").click();
      expect(await page.locator("#rollback .seconds").isVisible()).toBe(true);
      expect(seen).toEqual([`${pagesOrigin}/index.html`, `${pagesOrigin}/release-12.html`]);
      await shot(page, "pages-release-12-rollback");
      await page.close();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("zero console errors and zero requests leaving the pages", () => {
    expect(consoleErrors).toEqual([]);
    expect(network).toEqual([]);
  });
});

function statusCommentId(release: number): number {
  return world.release.comments.find((c) => c.issueNumber === release && c.user.login === APP_LOGIN)!.id;
}

async function serveDirectory(dir: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const name = (req.url ?? "/").split("?")[0]!.replace(/^\/+/, "") || "index.html";
    if (!/^[a-z0-9-]+\.html$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(dir, name));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
