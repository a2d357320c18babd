// Security, end to end against the real `npm start` process at LOG_LEVEL=trace: forged deliveries are
// rejected with nothing processed, the installation token never reaches stdout/stderr, and text from
// the PR cannot inject mentions, links, images or HTML into the summary GitHub receives.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos, type FakePull } from "../support/fake-readiness-routes.js";
import { liveMarkdown } from "../support/markdown-oracle.js";
import { eventually, sign, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const INSTALLATION = 77;
const TOKEN = `ghs_fake_installation_token_${INSTALLATION}`;
const GOOD = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";
const HOSTILE = [
  "@acme/admins",
  "@octocat",
  "[click here](https://evil.example/phish)",
  "![pixel](https://evil.example/track.png)",
  "<img src=x onerror=alert(1)>",
  '<a href="https://evil.example">x</a>',
  "<!-- hidden -->",
  "https://evil.example/autolink",
  "#1",
  "` @acme/admins <b>x</b> [y](https://evil.example) `",
].join(" ");

let github: FakeGitHub;
let app: RunningApp;
const repos = new FakeRepos();

function payloadFor(pull: FakePull, action = "opened") {
  const { owner, repo, number, headSha, title, body } = pull;
  return pullRequestEvent({ owner, repo, number, headSha, title, body, installation: INSTALLATION, action });
}

beforeAll(async () => {
  repos.addInstallation(OWNER, INSTALLATION);
  github = await startFakeGitHub(repos.routes());
  app = await startApp({ githubPort: github.port, env: { LOG_LEVEL: "trace", RECONCILE_ON_START: "false" } });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

describe("forged deliveries are rejected and nothing is processed", () => {
  const pull: FakePull = { owner: OWNER, repo: REPO, number: 1, title: "fix", body: GOOD, headSha: "1".repeat(40), labels: [], files: ["a.ts"] };
  beforeAll(() => repos.addPull(pull));

  const forgeries: [string, () => { body: string; signature: string | null }][] = [
    ["signed with the wrong secret", () => ({ body: JSON.stringify(payloadFor(pull)), signature: sign(JSON.stringify(payloadFor(pull)), "guessed-secret") })],
    ["with no signature", () => ({ body: JSON.stringify(payloadFor(pull)), signature: null })],
    [
      "replaying a genuine signature over an altered body",
      () => {
        const genuine = JSON.stringify(payloadFor(pull, "closed"));
        return { body: genuine.replace('"action":"closed"', '"action":"opened"'), signature: sign(genuine) };
      },
    ],
  ];

  it.each(forgeries)("%s", async (_name, forge) => {
    const { body, signature } = forge();
    const before = github.requests.length;
    const status = await app.send("pull_request", undefined, { rawBody: body, signature });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    // Probot answers a delivery only after its handlers ran, so a processed forgery would already
    // show in the request log: nothing reached GitHub, not even a token request.
    expect(github.requests.length).toBe(before);
    // The same delivery, genuinely signed, is processed: the app was listening, the forgery was dropped.
    expect(await app.send("pull_request", payloadFor(pull, "labeled"))).toBe(200);
    expect(github.requests.length).toBeGreaterThan(before);
  });

  it("the forged deliveries left no trace in GitHub: one run, written only by the genuine deliveries", () => {
    const [run] = repos.runsFor(OWNER, REPO, pull.headSha);
    expect(run).toMatchObject({ conclusion: "success" });
    // One genuine control delivery per forgery: one creation, then idempotent updates.
    expect(run!.writes).toBe(forgeries.length);
  });
});

it("PR text cannot inject mentions, links, images or HTML into the summary GitHub receives", async () => {
  const pull = repos.addPull({
    owner: OWNER,
    repo: REPO,
    number: 2,
    title: `feat: ${HOSTILE}`,
    body: `## Rollback contract\nProcedure: ${HOSTILE}\nTriggers: ${HOSTILE} > 1%\n\n## Communication\nAudience: ${HOSTILE}\n`,
    headSha: "2".repeat(40),
    labels: ["user-facing"],
    files: ["db/migrations/` @acme/admins <img src=x onerror=alert(1)> [x](https://evil.example) `.sql", "src/@octocat/[a](https://evil.example).ts"],
  });
  await app.send("pull_request", payloadFor(pull));
  const write = await eventually("the check run write", () => github.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs") && (r.body as any).head_sha === pull.headSha));
  const { output } = write.body as { output: { title: string; summary: string } };
  // The hostile text did reach the summary (else this test proves nothing)...
  expect(output.summary).toMatch(/acme/);
  expect(output.summary).toMatch(/evil\.example/);
  // ...but only inert, as a real CommonMark + GFM renderer reads it: no mention, link, image, HTML
  // tag or comment, autolink or issue reference outside code spans (the footer's <sub> is the app's).
  const live = liveMarkdown(output.summary, ["<sub>", "</sub>"]);
  expect({ ...live, code: [] }).toEqual({ links: [], images: [], html: [], blocks: [], code: [], autolinks: [] });
  // The title is plain text; it still must not carry anything GitHub would link.
  for (const text of [output.title]) {
    const prose = text.replace(/`[^`\n]*`/g, "`…`");
    expect(prose).not.toMatch(/(^|[^\w\u200b])@[A-Za-z0-9]/);
    expect(prose).not.toMatch(/\]\(/);
    expect(prose).not.toMatch(/!\[/);
    expect(prose).not.toMatch(/<[A-Za-z!/]/);
    expect(prose).not.toMatch(/https?:\/\/[A-Za-z]/);
    expect(prose).not.toMatch(/(^|[^\w\u200b])#\d/);
  }
});

it("the installation token never appears in stdout or stderr, even at LOG_LEVEL=trace and on errors", async () => {
  // An error path too: GitHub answers 401 to the PR read, so the error (with its request) is logged.
  const pull = repos.addPull({ owner: OWNER, repo: REPO, number: 3, title: "fix", body: GOOD, headSha: "3".repeat(40), labels: [], files: ["a.ts"] });
  github.fault = (req) => (req.method === "GET" && req.path.endsWith("/pulls/3") ? { status: 401, body: { message: "Bad credentials" } } : undefined);
  try {
    await app.send("pull_request", payloadFor(pull), { id: "security-token-error" });
    await eventually("the failed delivery logged", () => app.logs.some((l) => l.includes("security-token-error") && l.includes("Bad credentials")));
  } finally {
    github.fault = undefined;
  }
  // The token was minted and used on the wire...
  expect(github.requests.some((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
  // ...and trace logging is really on (requests are logged), yet the token is nowhere in the output.
  expect(app.logs.some((l) => /"level":(10|20)/.test(l))).toBe(true);
  expect(app.logs.filter((l) => l.includes(TOKEN))).toEqual([]);
  expect(app.logs.filter((l) => l.includes("ghs_"))).toEqual([]);
  expect(app.logs.filter((l) => /BEGIN (RSA )?PRIVATE KEY/.test(l))).toEqual([]);
  // Nor the app's JWT (used for the token request) or the webhook secret.
  const jwt = /^bearer (.+)$/i.exec(String(github.requests.find((r) => r.path.endsWith("/access_tokens"))?.headers.authorization))?.[1];
  expect(jwt).toMatch(/^eyJ/);
  expect(app.logs.filter((l) => l.includes(jwt!) || l.includes("e2e-webhook-secret"))).toEqual([]);
});
