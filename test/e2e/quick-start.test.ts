// The README's Quick start, step by step, against the local stand-in of GitHub: `npm start` without
// credentials serves Probot's setup page; its form posts app.yml as a manifest to "GitHub", which
// redirects back with a code; the app converts the code (POST /app-manifests/{code}/conversions) into
// its id, key and webhook secret in `.env`; the app is installed; `npm start` again reads `.env`; a
// pull request is opened and GitHub's delivery reaches the app through the smee channel
// (WEBHOOK_PROXY_URL); the first `Release readiness` check is written by the registered app.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { parse as parseYaml } from "yaml";
import { FakeAppRegistry } from "../support/fake-app-registration.js";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { startFakeSmee, type FakeSmee } from "../support/fake-smee.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const repoRoot = process.cwd();
let clone: string;
let github: FakeGitHub;
let smee: FakeSmee;
let registry: FakeAppRegistry;
let repos: FakeRepos;
const apps: RunningApp[] = [];

/** The fenced block of `lang` that follows `heading` in the README. */
export function readmeBlock(heading: string, lang: string): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section);
  if (!block) throw new Error(`README has no ${lang} block under ${heading}`);
  return block[1]!;
}

beforeAll(async () => {
  // A fresh checkout: the project's files, and no `.env` of its own.
  clone = mkdtempSync(join(tmpdir(), "release-gate-quick-start-"));
  for (const file of ["package.json", "package-lock.json", "app.yml", "tsconfig.json", "src", "lib", "node_modules"]) {
    symlinkSync(resolve(repoRoot, file), join(clone, file));
  }
  registry = new FakeAppRegistry();
  repos = new FakeRepos();
  github = await startFakeGitHub(repos.routes());
  // The registry mints installation tokens only for the registered app's JWT, ahead of the default.
  github.routes.unshift(...registry.routes());
  smee = await startFakeSmee();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  await smee?.close();
  await github?.close();
  if (clone) rmSync(clone, { recursive: true, force: true });
});

it("registers the app from app.yml, installs it, restarts and checks the first pull request", async () => {
  // What Probot's setup writes to `.env` when it opens a smee.io channel (here a local one).
  const channel = smee.channel();
  writeFileSync(join(clone, ".env"), `WEBHOOK_PROXY_URL=${channel}\n`);
  const noCredentials = { NODE_ENV: undefined, APP_ID: undefined, PRIVATE_KEY: undefined, WEBHOOK_SECRET: undefined, RECONCILE_ON_START: "false" };

  // 1. Register: `npm start` with no credentials serves Probot's setup page.
  const setup = await startApp({ githubPort: github.port, cwd: clone, env: noCredentials });
  apps.push(setup);
  const page = await (await fetch(`http://127.0.0.1:${setup.port}/probot`)).text();
  const action = /<form action="([^"]+)" method="post"/.exec(page)?.[1];
  const manifest = /name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1];
  expect(action).toBe(`http://127.0.0.1:${github.port}/settings/apps/new`);
  expect(manifest).toBeDefined();

  // The person presses "Register GitHub App", then GitHub's "Create GitHub App".
  const created = await fetch(action!, { method: "POST", body: new URLSearchParams({ manifest: manifest! }), redirect: "manual" });
  expect(await created.text()).toBe("");
  expect(created.status).toBe(302);
  const back = created.headers.get("location")!;
  expect(back).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${setup.port}/probot/setup\\?code=[0-9a-f]{40}$`));
  const converted = await fetch(back, { redirect: "manual" });
  expect(converted.status).toBe(302);

  // 2. Install: GitHub shows the new app's install page.
  const [registered] = registry.apps;
  expect(registered).toBeDefined();
  expect(converted.headers.get("location")).toBe(`https://github.com/apps/${registered!.slug}/installations/new`);
  const appYml = parseYaml(readFileSync(join(repoRoot, "app.yml"), "utf8")) as { name: string; default_events: string[]; default_permissions: Record<string, string> };
  expect(registered!.manifest).toMatchObject({
    name: appYml.name,
    default_events: appYml.default_events,
    default_permissions: appYml.default_permissions,
    hook_attributes: { url: channel },
  });
  const env = parseEnv(readFileSync(join(clone, ".env"), "utf8"));
  expect(env).toMatchObject({ APP_ID: String(registered!.id), WEBHOOK_SECRET: registered!.webhookSecret, WEBHOOK_PROXY_URL: channel });
  expect(env.PRIVATE_KEY?.replace(/\\n/g, "\n")).toContain(registered!.pem.trim());
  const installation = registry.install(registered!.id, "acme");
  await setup.stop();

  // 3. Restart: `npm start` again, everything from `.env`; the smee client connects to the channel.
  const app = await startApp({ githubPort: github.port, cwd: clone, env: noCredentials });
  apps.push(app);
  await eventually("the app listening on the smee channel", () => smee.listeners(channel) > 0, 30_000);

  // 4. The PR template and the release plan (the README's own example), 5. open a pull request.
  const sha = "5".repeat(40);
  const body = readmeBlock("## The release plan in the PR body", "markdown");
  const title = "feat: saved cards at checkout";
  repos.addPull({ owner: "acme", repo: "shop", number: 1, title, body, headSha: sha, labels: [], files: ["src/checkout/cards.ts"] });
  const status = await registry.deliver(registered!, "pull_request", pullRequestEvent({ owner: "acme", repo: "shop", number: 1, headSha: sha, title, body, installation }));
  expect(status).toBe(200);

  const run = await eventually("the first Release readiness check", () => repos.runsFor("acme", "shop", sha)[0], 30_000);
  expect(run).toMatchObject({ name: "Release readiness", status: "completed", conclusion: "success", app: { id: registered!.id } });
  expect(run.output.title).toBe("Ready to release");
  expect(smee.received).toEqual([{ channel: new URL(channel).pathname, event: "pull_request" }]);
  const token = github.requests.find((r) => r.path === `/app/installations/${installation}/access_tokens`);
  expect(token?.headers.authorization).toMatch(/^bearer /i);
}, 240_000);

it("sends GitHub only REST requests that exist, with valid fields", () => {
  const rest = github.requests.filter((r) => r.path !== "/settings/apps/new");
  expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^POST \/app-manifests\/[0-9a-f]{40}\/conversions$/)]));
  expectConformingRequests(rest.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
