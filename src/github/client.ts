// The slice of Octokit the gateways use. Probot's context octokit, an `app.auth()` client and
// @actions/github's client all satisfy it, and test doubles stay small.
import type { Octokit } from "@octokit/rest";

export type GitHubClient = Pick<Octokit, "request" | "paginate">;

export interface RepoRef {
  owner: string;
  repo: string;
}
