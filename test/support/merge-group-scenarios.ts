// Builds merge groups the way GitHub's merge queue does, into the fake GitHub: each PR a branch off
// the base, each queue entry a merge commit (second parent: the PR's head) or a squashed commit on
// top of the previous entry, and a `merge_group.checks_requested` delivery from GitHub's own example.
import type { FakePullFile, FakeRepos } from "./fake-readiness-routes.js";
import type { FakeMergeQueue } from "./fake-merge-queue-routes.js";
import { webhookExample } from "./webhook-examples.js";

export const GOOD_BODY = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";
export const MIGRATION_CLAIM = "## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)\n";

export interface GroupPullSpec {
  number: number;
  title?: string;
  body?: string;
  /** Paths → text of new files (SQL is served as the files listing's patch, as GitHub does). */
  files: Record<string, string>;
}

export interface BuiltGroup {
  baseSha: string;
  headSha: string;
  headRef: string;
  pullHeads: Record<number, string>;
}

const hex = (seed: string) => {
  let h = "";
  for (let i = 0; h.length < 40; i++) h += ((seed.charCodeAt(i % seed.length) * 31 + i * 7) % 16).toString(16);
  return h;
};

function addedFile(text: string): FakePullFile {
  const lines = text.replace(/\n$/, "").split("\n");
  return { status: "added", additions: lines.length, deletions: 0, patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}` };
}

export function buildGroup(
  repos: FakeRepos,
  queue: FakeMergeQueue,
  where: { owner: string; repo: string; id: string },
  pulls: readonly GroupPullSpec[],
  method: "merge" | "squash" = "merge",
): BuiltGroup {
  const { owner, repo, id } = where;
  const baseSha = hex(`base-${id}`);
  queue.addCommit(owner, repo, { sha: baseSha, parents: [], message: "Initial commit" });
  let previous = baseSha;
  const pullHeads: Record<number, string> = {};
  for (const spec of pulls) {
    const details = Object.fromEntries(Object.entries(spec.files).map(([path, text]) => [path, addedFile(text)]));
    const head = hex(`pr-${id}-${spec.number}`);
    pullHeads[spec.number] = head;
    queue.addCommit(owner, repo, { sha: head, parents: [baseSha], message: spec.title ?? `PR ${spec.number}`, files: details });
    repos.addPull({
      owner,
      repo,
      number: spec.number,
      title: spec.title ?? `fix: change ${spec.number}`,
      body: spec.body ?? GOOD_BODY,
      headSha: head,
      labels: [],
      files: Object.keys(spec.files),
      fileDetails: details,
    });
    const entry = hex(`queue-${id}-${spec.number}`);
    queue.addCommit(
      owner,
      repo,
      method === "merge"
        ? { sha: entry, parents: [previous, head], message: `Merge pull request #${spec.number} from ${owner}/branch-${spec.number}\n\n${spec.title ?? ""}` }
        : { sha: entry, parents: [previous], message: `${spec.title ?? `PR ${spec.number}`} (#${spec.number})`, files: details },
    );
    previous = entry;
  }
  const last = pulls[pulls.length - 1]!;
  return { baseSha, headSha: previous, headRef: `refs/heads/gh-readonly-queue/main/pr-${last.number}-${pullHeads[last.number]}`, pullHeads };
}

/** GitHub's example `merge_group.checks_requested` delivery, pointed at a built group. */
export function mergeGroupEvent(owner: string, repo: string, group: BuiltGroup, installation = 42): any {
  const payload = webhookExample("merge_group", "checks_requested");
  payload.installation = { id: installation, node_id: "I" };
  payload.repository.owner.login = owner;
  payload.repository.name = repo;
  payload.repository.full_name = `${owner}/${repo}`;
  payload.repository.html_url = `https://github.com/${owner}/${repo}`;
  payload.merge_group.base_sha = group.baseSha;
  payload.merge_group.head_sha = group.headSha;
  payload.merge_group.head_ref = group.headRef;
  payload.merge_group.base_ref = "refs/heads/main";
  payload.merge_group.head_commit.id = group.headSha;
  return payload;
}
