import { ConfigError } from '../errors.ts';
import type { Comment, GitHubApi, Issue, LabelEvent, PullRequest } from './api.ts';
import type { Review, ReviewState } from '../model/approvals.ts';
import { GitHubClient, type GitHubLimits, type RetryEvent } from '../http/github.ts';

export interface OctokitOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default, GitHub Enterprise otherwise. */
  apiUrl?: string;
  /** First backoff on 5xx answers and lost connections, in ms (doubled per attempt). */
  retryBaseMs?: number;
  retries?: number;
  limits?: Partial<GitHubLimits>;
  /** Each retry as it is about to wait; the CLI prints it on stderr. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * What the pull-request commands need from GitHub (GitHubApi), over the one
 * GitHub client (client.ts), which owns pacing, retries and errors. Each
 * method names its operation so that an error says what could not be done.
 */
export class OctokitGitHub implements GitHubApi {
  readonly repository: string;
  private readonly owner: string;
  private readonly repo: string;
  private readonly github: GitHubClient;

  constructor(options: OctokitOptions) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length) throw new ConfigError(`GITHUB_REPOSITORY must be owner/name, got "${options.repository}"`);
    this.repository = options.repository;
    this.owner = owner;
    this.repo = repo;
    const limits: Partial<GitHubLimits> = {
      ...options.limits,
      ...(options.retryBaseMs !== undefined && { minRetryDelayMs: options.retryBaseMs }),
      ...(options.retries !== undefined && { retries: options.retries }),
    };
    this.github = new GitHubClient({
      token: options.token,
      ...(options.apiUrl && { apiUrl: options.apiUrl }),
      limits,
      ...(options.onRetry && { onRetry: options.onRetry }),
      hints: {
        apiUrlVariable: 'GITHUB_API_URL',
        notFound: 'not found: check GITHUB_REPOSITORY and that the token can see the repository',
        forbidden: 'the token lacks a permission: the workflow needs `permissions:` pull-requests: write and issues: write (read for apply)',
      },
    });
  }

  private get client() {
    return this.github.octokit;
  }

  async *listIssueComments(issue: number): AsyncIterable<Comment> {
    const pages = this.client.paginate.iterator(this.client.rest.issues.listComments, { ...this.where(), issue_number: issue, per_page: 100 });
    for await (const page of this.pages(`list the comments of #${issue}`, pages)) for (const c of page.data) yield toComment(c);
  }

  createIssueComment(issue: number, body: string): Promise<Comment> {
    return this.call(`comment on #${issue}`, async () =>
      toComment((await this.client.rest.issues.createComment({ ...this.where(), issue_number: issue, body })).data),
    );
  }

  updateIssueComment(commentId: number, body: string): Promise<Comment> {
    return this.call(`update comment ${commentId}`, async () =>
      toComment((await this.client.rest.issues.updateComment({ ...this.where(), comment_id: commentId, body })).data),
    );
  }

  getPullRequest(pr: number): Promise<PullRequest> {
    return this.call(`read pull request #${pr}`, async () => toPullRequest((await this.client.rest.pulls.get({ ...this.where(), pull_number: pr })).data));
  }

  pullRequestsForCommit(sha: string): Promise<PullRequest[]> {
    return this.call(`list the pull requests of commit ${sha.slice(0, 12)}`, async () =>
      (await this.client.rest.repos.listPullRequestsAssociatedWithCommit({ ...this.where(), commit_sha: sha, per_page: 100 })).data.map(toPullRequest),
    );
  }

  async *listReviews(pr: number): AsyncIterable<Review> {
    const pages = this.client.paginate.iterator(this.client.rest.pulls.listReviews, { ...this.where(), pull_number: pr, per_page: 100 });
    for await (const page of this.pages(`list the reviews of #${pr}`, pages)) {
      for (const r of page.data) {
        if (!r.user) continue; // a deleted account's review cannot count
        yield { reviewer: r.user.login, state: r.state as ReviewState, commitId: r.commit_id ?? '', submittedAt: r.submitted_at ?? null };
      }
    }
  }

  listLabels(issue: number): Promise<string[]> {
    return this.call(`list the labels of #${issue}`, async () =>
      (await this.client.paginate(this.client.rest.issues.listLabelsOnIssue, { ...this.where(), issue_number: issue, per_page: 100 })).map((l) => l.name),
    );
  }

  async *listLabelEvents(issue: number): AsyncIterable<LabelEvent> {
    const pages = this.client.paginate.iterator(this.client.rest.issues.listEvents, { ...this.where(), issue_number: issue, per_page: 100 });
    for await (const page of this.pages(`list the events of #${issue}`, pages)) {
      for (const e of page.data) {
        if ((e.event === 'labeled' || e.event === 'unlabeled') && 'label' in e && e.label)
          yield { event: e.event, label: e.label.name, actor: e.actor?.login ?? null, createdAt: e.created_at };
      }
    }
  }

  async *listOpenIssues(label: string): AsyncIterable<Issue> {
    const pages = this.client.paginate.iterator(this.client.rest.issues.listForRepo, { ...this.where(), state: 'open', labels: label, per_page: 100 });
    for await (const page of this.pages(`list the open issues labelled ${label}`, pages)) {
      for (const i of page.data) if (!i.pull_request) yield toIssue(i);
    }
  }

  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<Issue> {
    return this.call('open an issue', async () => toIssue((await this.client.rest.issues.create({ ...this.where(), ...issue })).data));
  }

  updateIssue(issue: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<Issue> {
    return this.call(`update issue #${issue}`, async () =>
      toIssue((await this.client.rest.issues.update({ ...this.where(), issue_number: issue, ...change })).data),
    );
  }

  private where() {
    return { owner: this.owner, repo: this.repo };
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return this.github.call(`${operation} in ${this.repository}`, fn);
  }

  private pages<T>(operation: string, pages: AsyncIterable<T>): AsyncIterable<T> {
    return this.github.pages(`${operation} in ${this.repository}`, pages);
  }
}

function toComment(c: { id: number; body?: string | null; html_url: string }): Comment {
  return { id: c.id, body: c.body ?? '', url: c.html_url };
}

function toIssue(i: { number: number; title: string; body?: string | null; state: string; html_url: string }): Issue {
  return { number: i.number, title: i.title, body: i.body ?? '', state: i.state === 'closed' ? 'closed' : 'open', url: i.html_url };
}

type ApiPull = {
  number: number;
  title: string;
  user: { login: string } | null;
  head: { sha: string };
  base: { sha: string };
  merge_commit_sha?: string | null;
  merged_at: string | null;
  html_url: string;
};

function toPullRequest(p: ApiPull): PullRequest {
  return {
    number: p.number,
    title: p.title,
    author: p.user?.login ?? '',
    headSha: p.head.sha,
    baseSha: p.base.sha,
    mergeCommitSha: p.merge_commit_sha ?? null,
    merged: p.merged_at !== null,
    url: p.html_url,
  };
}
