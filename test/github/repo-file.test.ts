// The capped read of PR-controlled files: the size is checked from the contents API's object answer
// before any content is downloaded; GitHub embeds content only up to 1 MB, so larger files that are
// still under the cap are fetched raw.
import nock from "nock";
import { Octokit } from "@octokit/rest";
import { readRepoFileCapped } from "../../src/github/repo-file.js";
import { contentsReply } from "../support/fake-readiness-routes.js";

const octokit = new Octokit({ auth: "t" });
const ref = { owner: "acme", repo: "shop", path: "db/migrations/1.sql", ref: "a".repeat(40) };
const url = `/repos/acme/shop/contents/${encodeURIComponent(ref.path)}`;
const MiB = 1024 * 1024;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const accepts: string[] = [];
function serve(text: string, times = 1) {
  const reply = contentsReply(ref.path, text);
  return nock("https://api.github.com")
    .get(url)
    .query({ ref: ref.ref })
    .times(times)
    .reply(function (this: { req: { headers: Record<string, string | string[] | undefined> } }) {
      accepts.push(String(this.req.headers.accept));
      return reply.call(this);
    });
}

beforeEach(() => (accepts.length = 0));

it("reads a small file from the object answer: one request, no raw download", async () => {
  serve("CREATE TABLE t (id int); -- é\n");
  expect(await readRepoFileCapped(octokit, ref, MiB)).toEqual({ kind: "text", text: "CREATE TABLE t (id int); -- é\n" });
  expect(accepts).toHaveLength(1);
  expect(accepts[0]).not.toMatch(/raw/);
});

it("refuses a file over the cap from its size alone, never downloading it", async () => {
  serve("x".repeat(2 * MiB));
  expect(await readRepoFileCapped(octokit, ref, MiB)).toEqual({ kind: "too-large", bytes: 2 * MiB });
  expect(accepts.filter((a) => /raw/.test(a))).toEqual([]);
});

it("fetches a file between GitHub's 1 MB inline limit and the cap raw", async () => {
  const text = "y".repeat(1_040_000);
  serve(text, 2);
  expect(await readRepoFileCapped(octokit, ref, MiB)).toEqual({ kind: "text", text });
  expect(accepts.map((a) => /raw/.test(a))).toEqual([false, true]);
});

it("treats a missing path and a directory as no file", async () => {
  nock("https://api.github.com").get(url).query({ ref: ref.ref }).reply(404, { message: "Not Found" });
  expect(await readRepoFileCapped(octokit, ref, MiB)).toEqual({ kind: "missing" });
  nock("https://api.github.com").get(url).query({ ref: ref.ref }).reply(200, [{ type: "file", name: "1.sql", size: 10 }]);
  expect(await readRepoFileCapped(octokit, ref, MiB)).toEqual({ kind: "missing" });
});
