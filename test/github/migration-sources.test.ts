// Migration files are capped one by one and all together before the analyser sees them.
import { readMigrationSources } from "../../src/github/migration-sources.js";
import type { GitHubClient } from "../../src/github/client.js";

/** New files come from their patches: any request would be a bug here. */
const noRequests = {
  request: () => Promise.reject(new Error("unexpected request")),
  paginate: () => Promise.reject(new Error("unexpected request")),
} as unknown as GitHubClient;

function addedFile(path: string, lines: number, width: number) {
  const body = Array.from({ length: lines }, (_, i) => `+${`SELECT ${i};`.padEnd(width, " ")}`).join("\n");
  return { path, status: "added", additions: lines, patch: `@@ -0,0 +1,${lines} @@\n${body}` };
}

it("refuses the files that take the PR's migration SQL over 5 MiB, naming the cap", async () => {
  // Six files of about 0.95 MiB: the sixth crosses 5 MiB.
  const files = Array.from({ length: 6 }, (_, i) => addedFile(`db/migrations/${i}.sql`, 10_000, 99));
  const { sources, overLimits, reads } = await readMigrationSources(noRequests, { owner: "acme", repo: "shop", headSha: "a".repeat(40) }, files);
  expect(reads).toBe(0);
  expect(sources.slice(0, 5).every((s) => typeof s.text === "string")).toBe(true);
  expect(sources[5]).toMatchObject({ path: "db/migrations/5.sql", text: undefined, unreadable: expect.stringMatching(/^The PR's migration SQL up to `db\/migrations\/5\.sql` is 5\.\d MiB; the limit is 5 MiB$/) });
  expect(overLimits).toEqual([expect.objectContaining({ input: "migrationTotal" })]);
});

it("does not parse a patch over the per-file cap, and reads the file (with its size check) instead", async () => {
  const file = addedFile("db/migrations/big.sql", 12_000, 99);
  const asked: string[] = [];
  const octokit = {
    request: async (route: string, params: { path: string }) => {
      asked.push(`${route} ${params.path}`);
      return { data: { type: "file", size: 1_200_000, encoding: "none", content: "" } };
    },
  } as unknown as GitHubClient;
  const { sources, overLimits } = await readMigrationSources(octokit, { owner: "acme", repo: "shop", headSha: "a".repeat(40) }, [file]);
  expect(asked).toEqual(["GET /repos/{owner}/{repo}/contents/{path} db/migrations/big.sql"]);
  expect(sources[0]).toMatchObject({ text: undefined, unreadable: "`db/migrations/big.sql` is 1.1 MiB; the limit is 1 MiB" });
  expect(overLimits).toEqual([expect.objectContaining({ input: "migrationFile", size: 1_200_000 })]);
});
