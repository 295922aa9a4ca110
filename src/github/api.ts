import type { Review } from '../model/approvals.ts';

/**
 * What roster needs from GitHub, and nothing more: reads are async
 * iterables (paginated inside), writes are explicit methods. The octokit
 * implementation is the only code that talks to GitHub; everything else
 * depends on this interface.
 */
export interface GitHubApi {
  /** The repository, as `owner/name`. */
  readonly repository: string;
  listIssueComments(issue: number): AsyncIterable<Comment>;
  createIssueComment(issue: number, body: string): Promise<Comment>;
  updateIssueComment(commentId: number, body: string): Promise<Comment>;
  getPullRequest(pr: number): Promise<PullRequest>;
  /** Pull requests whose head or merge commit is this one (GET /repos/{o}/{r}/commits/{sha}/pulls). */
  pullRequestsForCommit(sha: string): Promise<PullRequest[]>;
  listReviews(pr: number): AsyncIterable<Review>;
  /** The names of the labels on an issue or pull request now (GET /repos/{o}/{r}/issues/{n}/labels). */
  listLabels(issue: number): Promise<string[]>;
  /** Who added and removed which label, and when (GET /repos/{o}/{r}/issues/{n}/events; other events are left out). */
  listLabelEvents(issue: number): AsyncIterable<LabelEvent>;
  /** Open issues carrying a label. Pull requests (which the issues API also returns) are left out. */
  listOpenIssues(label: string): AsyncIterable<Issue>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(issue: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<Issue>;
}

export interface Comment {
  id: number;
  body: string;
  url: string;
}

export interface PullRequest {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
  mergeCommitSha: string | null;
  merged: boolean;
  url: string;
}

export interface LabelEvent {
  event: 'labeled' | 'unlabeled';
  label: string;
  /** The login of who did it; null for a deleted account. */
  actor: string | null;
  createdAt: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  url: string;
}
