// GitHub's bad days, end to end: the real `npm start` process against a fake GitHub that answers a
// seeded share of requests with 502s, secondary rate limits (403 + retry-after), no answer, late
// answers, or lost responses after a write. Every delivery must end in the right verdict or a clearly
// failed "not evaluated" run, with one run per head SHA, and the logs must say what happened.
import { EVALUATION_ERROR_TITLE } from "../../src/core/render/readiness-report.js";
import { FAKE_APP, startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos, type FakePull } from "../support/fake-readiness-routes.js";
import { faultSeed, seededFaults, type SeededFaults } from "../support/seeded-faults.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent, webhookExample } from "../support/webhook-examples.js";

const REPO = "shop";
const GOOD = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";
const BAD = "Fixes the cart. No plan yet.";
const OWNERS = [
  { owner: "north", installation: 301 },
  { owner: "south", installation: 302 },
  { owner: "east", installation: 303 },
];
const PULLS_PER_OWNER = 4;

const seed = faultSeed();
/** FAULT_SCALE multiplies every share (CI runs 1; the shares must stay below 1 in total, so at most 3.3). */
const scale = Number(process.env.FAULT_SCALE ?? 1);
const faults: SeededFaults = seededFaults(seed, { "502": 0.06 * scale, "secondary-rate-limit": 0.05 * scale, hang: 0.03 * scale, slow: 0.06 * scale, "lose-response": 0.1 * scale });
let github: FakeGitHub;
let app: RunningApp;
const repos = new FakeRepos();

interface LogLine {
  level: number;
  msg: string;
  id?: string;
  pull?: unknown;
  failure?: string;
}
const parsedLogs = (): LogLine[] =>
  app.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });

function payloadFor(pull: FakePull, installation: number, action: string) {
  const { owner, repo, number, headSha, body, updatedAt } = pull;
  return pullRequestEvent({ owner, repo, number, headSha, body, updatedAt, installation, action });
}

/** "Re-run" on our `Release readiness` run: GitHub sends it to the app that made the run, naming that app. */
function rerunPayload(pull: FakePull, installation: number) {
  const [run] = repos.runsFor(pull.owner, REPO, pull.headSha);
  const rerun = webhookExample("check_run", "rerequested");
  rerun.installation = { id: installation, node_id: "I" };
  rerun.repository.owner.login = pull.owner;
  rerun.repository.name = REPO;
  const ownApp = { ...rerun.check_run.app, id: FAKE_APP.id, slug: FAKE_APP.slug };
  rerun.check_run = { ...rerun.check_run, id: run!.id, name: "Release readiness", head_sha: pull.headSha, external_id: run!.external_id, pull_requests: [], app: ownApp };
  return rerun;
}

const sha = (owner: number, n: number, version: number) => `${owner}${version}`.padEnd(8, "0") + n.toString(16).padStart(32, "0");
const expectedConclusion = (pull: FakePull) => (pull.body === GOOD ? "success" : "failure");

beforeAll(async () => {
  // Printed so a failing run can be replayed: FAULT_SEED=<seed> npx jest test/e2e/faults-readiness.test.ts
  console.log(`fault seed ${seed} (replay with FAULT_SEED=${seed}${scale !== 1 ? ` FAULT_SCALE=${scale}` : ""})`);
  github = await startFakeGitHub(repos.routes(), { fault: (req) => faults.inject(req) });
  for (const { owner, installation } of OWNERS) repos.addInstallation(owner, installation);
  app = await startApp({ githubPort: github.port, env: { GITHUB_REQUEST_TIMEOUT_MS: "1000", RECONCILE_ON_START: "false" } });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

it("under seeded faults every delivery ends in the right verdict or a clearly failed run, once per SHA", async () => {
  const pulls: { pull: FakePull; installation: number; shas: string[] }[] = [];
  OWNERS.forEach(({ owner, installation }, o) => {
    for (let n = 1; n <= PULLS_PER_OWNER; n++) {
      const pull = repos.addPull({
        owner,
        repo: REPO,
        number: n,
        title: `change ${n}`,
        body: n % 2 === 1 ? GOOD : BAD,
        headSha: sha(o + 1, n, 1),
        labels: [],
        files: ["src/cart.ts"],
        updatedAt: "2026-11-23T10:00:00Z",
      });
      pulls.push({ pull, installation, shas: [pull.headSha] });
    }
  });

  // Each PR: opened; its description flipped (edited); even ones get a new commit (synchronize).
  // PRs run in parallel, each PR's events one after another as GitHub would send them.
  const deliveries: string[] = [];
  const send = async (entry: (typeof pulls)[number], action: string) => {
    const id = `faults-${entry.pull.owner}-${entry.pull.number}-${action}`;
    deliveries.push(id);
    await app.send("pull_request", payloadFor(entry.pull, entry.installation, action), { id });
  };
  await Promise.all(
    pulls.map(async (entry, i) => {
      const { pull } = entry;
      await send(entry, "opened");
      pull.body = pull.body === GOOD ? BAD : GOOD;
      pull.updatedAt = "2026-11-23T10:05:00Z";
      await send(entry, "edited");
      if (pull.number % 2 === 0) {
        pull.headSha = sha((i % OWNERS.length) + 1, pull.number, 2);
        pull.updatedAt = "2026-11-23T10:10:00Z";
        entry.shas.push(pull.headSha);
        await send(entry, "synchronize");
      }
    }),
  );

  // Every delivery logs exactly one outcome: a verdict written, a newer verdict kept, or a failure.
  const outcomes = () => parsedLogs().filter((l) => l.id && deliveries.includes(l.id) && /^Release readiness: /.test(l.msg));
  await eventually(`an outcome for each of ${deliveries.length} deliveries`, () => outcomes().length >= deliveries.length, 180_000);
  const perDelivery = new Map<string, LogLine[]>();
  for (const line of outcomes()) perDelivery.set(line.id!, [...(perDelivery.get(line.id!) ?? []), line]);
  for (const id of deliveries) expect([id, perDelivery.get(id)?.length]).toEqual([id, 1]);

  const failed = outcomes().filter((l) => /evaluation failed/.test(l.msg));
  // A failed evaluation always left a clearly failed run (or kept a newer verdict); never nothing.
  for (const line of failed) expect([line.msg, line.failure]).toEqual([line.msg, expect.stringMatching(/^(written|kept)$/)]);

  const notEvaluated: (typeof pulls)[number][] = [];
  for (const entry of pulls) {
    const { pull } = entry;
    const label = `${pull.owner}/${pull.repo}#${pull.number}`;
    // Nothing done twice: one run created per head SHA, whatever was retried or lost on the way.
    for (const headSha of entry.shas) expect([label, headSha, repos.runsFor(pull.owner, REPO, headSha).length]).toEqual([label, headSha, 1]);
    const [run] = repos.runsFor(pull.owner, REPO, pull.headSha);
    expect(run!.status).toBe("completed");
    if (run!.output.title === EVALUATION_ERROR_TITLE) {
      expect(run!.conclusion).toBe("failure");
      expect(failed.some((l) => l.pull === label)).toBe(true);
      notEvaluated.push(entry);
    } else {
      // Never an older verdict: the run on the final SHA matches the PR's final description.
      expect([label, run!.conclusion, run!.external_id]).toEqual([label, expectedConclusion(pull), `release-gate:pr-${pull.number}@${pull.updatedAt}`]);
    }
  }

  const tally = faults.tally();
  console.log(
    `fault seed ${seed}: ${tally.requests} requests; faults served: ${JSON.stringify({ ...tally, requests: undefined })}; ` +
      `${deliveries.length} deliveries, ${failed.length} evaluations failed after retries, ${notEvaluated.length} PRs left "not evaluated"`,
  );
  expect(tally["502"] + tally["secondary-rate-limit"] + tally.hang + tally["lose-response"]).toBeGreaterThan(0);
  // The logs say what happened: a line for every fault GitHub served. Timeouts may also come from slow
  // answers on a loaded machine, and a 502 answered after the timeout is logged as a timeout, so the
  // kinds are bounded one way each and the total must cover every fault.
  const logged = (text: string) => parsedLogs().filter((l) => l.msg.includes(text)).length;
  const lines = {
    "502": logged("GitHub answered 502 to "),
    "secondary-rate-limit": logged("Secondary rate limit on "),
    hang: logged("GitHub did not answer "),
    "lose-response": logged("GitHub request failed without an answer: "),
  };
  console.log(`fault log lines: ${JSON.stringify(lines)}`);
  expect(lines["502"]).toBeLessThanOrEqual(tally["502"]);
  expect(lines["secondary-rate-limit"]).toBeLessThanOrEqual(tally["secondary-rate-limit"]);
  expect(lines["lose-response"]).toBeLessThanOrEqual(tally["lose-response"]);
  expect(lines["502"] + lines["secondary-rate-limit"] + lines.hang + lines["lose-response"]).toBeGreaterThanOrEqual(
    tally["502"] + tally["secondary-rate-limit"] + tally.hang + tally["lose-response"],
  );

  // GitHub recovers; a re-run of each "not evaluated" check gives the right verdict.
  faults.enabled = false;
  for (const { pull, installation } of notEvaluated) {
    await app.send("check_run", rerunPayload(pull, installation));
    await eventually(`re-run verdict on ${pull.owner}#${pull.number}`, () => repos.runsFor(pull.owner, REPO, pull.headSha)[0]?.output.title !== EVALUATION_ERROR_TITLE, 30_000);
    expect(repos.runsFor(pull.owner, REPO, pull.headSha)).toEqual([expect.objectContaining({ conclusion: expectedConclusion(pull) })]);
  }
}, 300_000);

describe("deterministic faults", () => {
  const owner = "west";
  const installation = 304;
  beforeAll(() => {
    faults.enabled = false;
    repos.addInstallation(owner, installation);
  });
  afterEach(() => {
    github.fault = (req) => faults.inject(req);
  });

  it("a create whose response is lost after GitHub made the run is not sent again blindly: one run", async () => {
    const pull = repos.addPull({ owner, repo: REPO, number: 1, title: "t", body: GOOD, headSha: "c".repeat(40), labels: [], files: ["a.ts"], updatedAt: "2026-11-23T11:00:00Z" });
    let lost = 0;
    github.fault = (req) => (req.method === "POST" && req.path.endsWith("/check-runs") && lost++ === 0 ? "lose-response" : undefined);
    await app.send("pull_request", payloadFor(pull, installation, "opened"), { id: "faults-west-1-opened" });
    // Wait for the handler to finish, then count: the lost POST was followed by a lookup and a PATCH.
    await eventually("the outcome log", () => parsedLogs().some((l) => l.id === "faults-west-1-opened" && /^Release readiness: Ready/.test(l.msg)), 30_000);
    expect(lost).toBe(1);
    expect(repos.runsFor(owner, REPO, pull.headSha)).toEqual([expect.objectContaining({ conclusion: "success", writes: 2 })]);
  });

  it("a verdict whose re-evaluation keeps failing is replaced by a clearly failed run, never left standing", async () => {
    const pull = repos.addPull({ owner, repo: REPO, number: 2, title: "t", body: GOOD, headSha: "d".repeat(40), labels: [], files: ["a.ts"], updatedAt: "2026-11-23T11:00:00Z" });
    await app.send("pull_request", payloadFor(pull, installation, "opened"));
    await eventually("first verdict", () => repos.runsFor(owner, REPO, pull.headSha)[0]?.conclusion === "success");

    // The plan is removed, and GitHub keeps answering 502 to the PR's file list.
    pull.body = BAD;
    pull.updatedAt = "2026-11-23T11:05:00Z";
    const filesPath = `/repos/${owner}/${REPO}/pulls/2/files`;
    github.fault = (req) => (req.path === filesPath ? { status: 502, body: { message: "Server Error" } } : undefined);
    await app.send("pull_request", payloadFor(pull, installation, "edited"), { id: "faults-west-2-edited" });
    await eventually("the failed run", () => repos.runsFor(owner, REPO, pull.headSha)[0]?.output.title === EVALUATION_ERROR_TITLE, 60_000);
    const [run] = repos.runsFor(owner, REPO, pull.headSha);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", external_id: "release-gate:pr-2@2026-11-23T11:05:00Z" });
    expect(run!.output.summary).toContain("502");
    // The retry plugin tried 1 + 3 times before giving up.
    expect(github.requests.filter((r) => r.path === filesPath).length).toBe(1 + 1 + 3);
    const line = await eventually("the failure log", () => parsedLogs().find((l) => l.id === "faults-west-2-edited" && /evaluation failed/.test(l.msg)));
    expect(line.msg).toMatch(/502 .* on GET (\/api\/v3)?\/repos\/west\/shop\/pulls\/2\/files\); wrote a failed "not evaluated" run/);

    // GitHub recovers and someone presses "Re-run": the right verdict replaces the failed run.
    github.fault = () => undefined;
    await app.send("check_run", rerunPayload(pull, installation));
    await eventually("the re-run verdict", () => repos.runsFor(owner, REPO, pull.headSha)[0]?.output.title !== EVALUATION_ERROR_TITLE, 30_000);
    expect(repos.runsFor(owner, REPO, pull.headSha)).toEqual([expect.objectContaining({ conclusion: "failure", external_id: "release-gate:pr-2@2026-11-23T11:05:00Z" })]);
  }, 90_000);
});
