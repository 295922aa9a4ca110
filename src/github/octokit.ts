import { Octokit } from 'octokit';
import { ConfigError, GitHubApiError } from '../errors.ts';
import type { Comment, GitHubApi, Issue, LabelEvent, PullRequest, Review, ReviewState } from './api.ts';

type Client = Octokit;

export interface OctokitOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** GITHUB_API_URL; https://api.github.com by default, GitHub Enterprise otherwise. */
  apiUrl?: string;
  /** Base of the backoff on 5xx answers, in ms (squared per attempt). */
  retryBaseMs?: number;
  retries?: number;
}

const HINTS: Record<number, string> = {
  401: 'GITHUB_TOKEN is missing, expired or not valid for this API',
  403: 'the token lacks a permission: the workflow needs `permissions:` pull-requests: write and issues: write (read for apply)',
  404: 'not found: check GITHUB_REPOSITORY and that the token can see the repository',
};

/**
 * The only octokit code in roster. Every call goes through `call`, which
 * turns any octokit or network error into a GitHubApiError naming the
 * operation, GitHub's own message and a hint, and never the token.
 */
export class OctokitGitHub implements GitHubApi {
  readonly repository: string;
  private readonly owner: string;
  private readonly repo: string;
  private readonly client: Client;
  private readonly token: string;

  constructor(options: OctokitOptions) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length) throw new ConfigError(`GITHUB_REPOSITORY must be owner/name, got "${options.repository}"`);
    this.repository = options.repository;
    this.owner = owner;
    this.repo = repo;
    this.token = options.token;
    // `octokit` bundles the retry and throttling plugins (the GitHub provider uses the same package).
    const retryRateLimited = (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < (options.retries ?? 3);
    this.client = new Octokit({
      auth: options.token,
      baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
      userAgent: 'roster',
      // Only 5xx and the like are retried (the plugin's doNotRetry list); a per-request `retries` would retry 4xx too.
      retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000, retries: options.retries ?? 3 },
      throttle: { onRateLimit: retryRateLimited, onSecondaryRateLimit: retryRateLimited },
      // Only the CLI prints: octokit's own warnings would go straight to the console.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  }

  async *listIssueComments(issue: number): AsyncIterable<Comment> {
    const pages = this.client.paginate.iterator(this.client.rest.issues.listComments, { ...this.where(), issue_number: issue, per_page: 100 });
    for await (const page of this.pages(`list the comments of #${issue}`, pages)) for (const c of page.data) yield toComment(c);
  }

  createIssueComment(issue: number, body: string): Promise<Comment> {
    return this.call(`comment on #${issue}`, async () => toComment((await this.client.rest.issues.createComment({ ...this.where(), issue_number: issue, body })).data));
  }

  updateIssueComment(commentId: number, body: string): Promise<Comment> {
    return this.call(`update comment ${commentId}`, async () => toComment((await this.client.rest.issues.updateComment({ ...this.where(), comment_id: commentId, body })).data));
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
        if ((e.event === 'labeled' || e.event === 'unlabeled') && 'label' in e && e.label) yield { event: e.event, label: e.label.name, actor: e.actor?.login ?? null, createdAt: e.created_at };
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
    return this.call(`update issue #${issue}`, async () => toIssue((await this.client.rest.issues.update({ ...this.where(), issue_number: issue, ...change })).data));
  }

  private where() {
    return { owner: this.owner, repo: this.repo };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.wrap(operation, e);
    }
  }

  private async *pages<T>(operation: string, pages: AsyncIterable<T>): AsyncIterable<T> {
    try {
      for await (const page of pages) yield page;
    } catch (e) {
      throw this.wrap(operation, e);
    }
  }

  /** The one place an octokit error becomes a roster error. */
  private wrap(operation: string, e: unknown): GitHubApiError {
    const err = e as { status?: number; message?: string; response?: { data?: unknown } };
    // octokit reports a network failure as status 500 without a response: that is "unreachable", not a GitHub error.
    const status = typeof err.status === 'number' && err.response ? err.status : 0;
    const data = err.response?.data as { message?: string; errors?: { message?: string; code?: string; field?: string }[] } | undefined;
    const details = [data?.message ?? err.message ?? String(e), ...(data?.errors ?? []).map((x) => x.message ?? [x.field, x.code].filter(Boolean).join(' '))].filter(Boolean).join('; ');
    const hint = HINTS[status] ?? (status === 0 ? 'cannot reach the GitHub API (GITHUB_API_URL)' : status >= 500 ? 'GitHub is failing; it was retried, run the job again later' : '');
    const message = `GitHub API: cannot ${operation} in ${this.repository}: ${status ? `HTTP ${status}: ` : ''}${details}${hint ? ` (${hint})` : ''}`;
    return new GitHubApiError(this.token ? message.split(this.token).join('[REDACTED]') : message, status);
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
