// Follow-up issues the app opens (the post-mortem an override owes, the removal of a release flag),
// and what it reads and writes on them later (the open removal issues, their overdue label and comment).
import type { RemovalIssue } from "../core/flags/flag-lifetime.js";
import type { GitHubClient, RepoRef } from "./client.js";

export interface CreatedIssue {
  number: number;
  url: string;
}

export async function openIssue(
  octokit: GitHubClient,
  ref: RepoRef & { title: string; body: string; labels?: string[]; assignees?: string[] },
): Promise<CreatedIssue> {
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    title: ref.title.slice(0, 256),
    body: ref.body,
    ...(ref.labels && ref.labels.length > 0 ? { labels: ref.labels } : {}),
    ...(ref.assignees && ref.assignees.length > 0 ? { assignees: ref.assignees } : {}),
  });
  return { number: data.number, url: data.html_url };
}

/** One page, the most GitHub gives (100): the oldest open issues first, so the most overdue are never cut. */
export const ISSUE_LIST_PAGE = 100;

export interface ListedIssues {
  issues: RemovalIssue[];
  /** A full page: more may exist. */
  truncated: boolean;
}

/**
 * The open issues with one label, in one request (the flag-debt read of every readiness verdict and
 * scheduled run). GitHub lists pull requests as issues too; they come back marked `isPull`.
 */
export async function listOpenIssuesWithLabel(octokit: GitHubClient, ref: RepoRef & { label: string }): Promise<ListedIssues> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    state: "open",
    labels: ref.label,
    sort: "created",
    direction: "asc",
    per_page: ISSUE_LIST_PAGE,
  });
  return {
    issues: data.map((issue) => ({
      number: issue.number,
      url: issue.html_url,
      title: issue.title,
      body: issue.body ?? null,
      createdAt: issue.created_at,
      labels: issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
      author: { creator: issue.user?.login ?? null, viaApp: issue.performed_via_github_app?.id ?? null },
      isPull: issue.pull_request !== undefined,
    })),
    truncated: data.length >= ISSUE_LIST_PAGE,
  };
}

export async function addIssueLabels(octokit: GitHubClient, ref: RepoRef & { issueNumber: number; labels: string[] }): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    labels: ref.labels,
  });
}

export async function commentOnIssue(octokit: GitHubClient, ref: RepoRef & { issueNumber: number; body: string }): Promise<{ id: number }> {
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    body: ref.body,
  });
  return { id: Number(data.id) };
}
