import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { retryReporter, waitText } from '../../src/cli/retries.ts';
import { GitHubApiError } from '../../src/errors.ts';
import { GitHubClient, type RetryEvent } from '../../src/http/github.ts';
import { OctokitGitHub } from '../../src/github/octokit.ts';
import { GithubProvider } from '../../src/providers/github/index.ts';
import { mappingFrom } from '../../src/providers/github/mapping.ts';
import { declare } from '../helpers/declare.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { listenOnLoopback } from '../helpers/loopback.ts';
import { tempTree } from '../helpers/tree.ts';

const TOKEN = 'ghs_TESTTOKEN0123456789abcdefghijklmnopq';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fake(): Promise<FakeGitHub> {
  const github = await new FakeGitHub(TOKEN).start();
  cleanups.push(async () => {
    await github.close();
    github.openapi.assertClean();
  });
  return github;
}

/** A URL on 127.0.0.1 where nothing listens any more. */
async function refusedUrl(): Promise<string> {
  const { url, close } = await listenOnLoopback(createServer());
  await close();
  return url;
}

const repoClient = (apiUrl: string, events: RetryEvent[] = [], retries = 3) =>
  new OctokitGitHub({ token: TOKEN, repository: 'acme/people', apiUrl, retryBaseMs: 1, retries, onRetry: (e) => events.push(e) });

describe('the GitHub client says what happened', () => {
  it('a refused connection is reported as refused, not as HTTP 500, after its retries', async () => {
    const url = await refusedUrl();
    const events: RetryEvent[] = [];
    const e = await repoClient(url, events, 2)
      .getPullRequest(1)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GitHubApiError);
    expect(e).toMatchObject({ status: 0, failure: 'refused', attempts: 3 });
    const port = new URL(url).port;
    expect((e as Error).message).toBe(
      `GitHub API: cannot read pull request #1 in acme/people: connection refused by 127.0.0.1:${port} (tried 3 times; cannot reach the GitHub API at ${url}; check GITHUB_API_URL and the network)`,
    );
    expect((e as Error).message).not.toMatch(/500/);
    expect(events.map((x) => [x.request, x.reason, x.attempt, x.retries])).toEqual([
      ['GET /repos/acme/people/pulls/1', `connection refused by 127.0.0.1:${port}`, 1, 2],
      ['GET /repos/acme/people/pulls/1', `connection refused by 127.0.0.1:${port}`, 2, 2],
    ]);
  });

  it('a name that does not resolve is a DNS failure', async () => {
    const e = await repoClient('http://roster-no-such-host.invalid', [], 0)
      .getPullRequest(1)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 0, failure: 'dns' });
    expect((e as Error).message).toMatch(
      /^GitHub API: cannot read pull request #1 in acme\/people: DNS lookup failed( \(temporary\))? for roster-no-such-host\.invalid \(cannot reach the GitHub API at http:\/\/roster-no-such-host\.invalid; check GITHUB_API_URL and the network\)$/,
    );
  });

  it('a server that never answers is a timeout', async () => {
    const { url, close } = await listenOnLoopback(createServer(() => undefined));
    cleanups.push(close);
    const client = new GitHubClient({ token: TOKEN, apiUrl: url, limits: { timeoutMs: 100, retries: 0 } });
    const e = await client.call('read the organization', (o) => o.request('GET /orgs/{org}', { org: 'acme' })).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 0, failure: 'timeout' });
    expect((e as Error).message).toBe(
      'GitHub API: cannot read the organization: no answer before the request timeout (GitHub did not answer in time; run again later, or raise --request-timeout)',
    );
  });

  it('reports each retry before its wait: 5xx with backoff, a secondary rate limit for as long as Retry-After says', async () => {
    const github = await fake();
    const events: RetryEvent[] = [];
    github.failures.push({ status: 502, body: { message: 'Server Error' } }, { status: 500, body: { message: 'Server Error' } });
    github.failures.push({
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest',
      },
      headers: { 'retry-after': '0' },
    });
    expect((await repoClient(github.url, events).createIssueComment(4, 'hello')).id).toBe(1000);
    expect(events).toEqual([
      { request: 'POST /repos/acme/people/issues/4/comments', reason: 'HTTP 502: Server Error', attempt: 1, retries: 3, waitMs: 1 },
      { request: 'POST /repos/acme/people/issues/4/comments', reason: 'HTTP 500: Server Error', attempt: 2, retries: 3, waitMs: 2 },
      {
        request: 'POST /repos/acme/people/issues/4/comments',
        reason: 'HTTP 403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        attempt: 3,
        retries: 3,
        waitMs: 0,
      },
    ]);
  });

  it('does not retry what a retry cannot fix (401, 403 for a permission, 404, 422)', async () => {
    const github = await fake();
    const events: RetryEvent[] = [];
    github.failures.push({ status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } });
    const e = await repoClient(github.url, events)
      .createIssueComment(4, 'x')
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 403, failure: 'http', attempts: 1 });
    expect(events).toEqual([]);
  });

  it('is the client of the organization provider too: same error type, same retry reports', async () => {
    const url = await refusedUrl();
    const events: RetryEvent[] = [];
    const d = declare({ 'users/a.yaml': 'settings: { provider: github }\nroles: [{ name: member }]\nusers: []\n' });
    const provider = await GithubProvider.open({
      org: 'acme',
      token: TOKEN,
      apiUrl: url,
      mapping: mappingFrom(d),
      limits: { retries: 1, minRetryDelayMs: 1 },
      lockDir: tempTree(),
      onRetry: (x) => events.push(x),
    });
    const e = await provider.read().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GitHubApiError);
    expect(e).toMatchObject({ status: 0, failure: 'refused' });
    expect((e as Error).message).toMatch(
      /^GitHub API: cannot GET \/orgs\/acme\/\w+: connection refused by 127\.0\.0\.1:\d+ \(tried 2 times; cannot reach the GitHub API at http:\/\/127\.0\.0\.1:\d+; check ROSTER_GITHUB_API_URL and the network\)$/,
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((x) => x.request.startsWith('GET /orgs/acme/') && x.reason.startsWith('connection refused'))).toBe(true);
  });
});

describe('the CLI shows retries on stderr while they happen', () => {
  it('says what is retried, why, and for how long', () => {
    let err = '';
    retryReporter({ err: (t) => (err += t) })({ request: 'GET /orgs/acme/members', reason: 'HTTP 502: Server Error', attempt: 2, retries: 5, waitMs: 1500 });
    expect(err).toBe('GitHub: GET /orgs/acme/members failed (HTTP 502: Server Error); retry 2 of 5 in 1.5s\n');
    expect([250, 1000, 61_000, 120_000].map(waitText)).toEqual(['250ms', '1s', '1m 1s', '2m']);
  });

  it('roster github comment prints the retry of a failing GitHub call', async () => {
    const github = await fake();
    github.failures.push({ status: 502, body: { message: 'Server Error' } });
    const dir = tempTree();
    let stderr = '';
    let stdout = '';
    const event = `${dir}/event.json`;
    (await import('node:fs')).writeFileSync(
      event,
      JSON.stringify({ pull_request: { number: 3, title: 't', user: { login: 'bob' }, head: { sha: 'a'.repeat(40) }, base: { sha: 'b'.repeat(40) } } }),
    );
    const code = await main(['github', 'comment'], {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      interactive: false,
      color: false,
      errIsTerminal: false,
      ask: async () => '',
      env: { PATH: process.env.PATH, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/people', GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: event },
      cwd: dir,
    });
    expect(stderr).toBe('GitHub: GET /repos/acme/people/issues/3/comments failed (HTTP 502: Server Error); retry 1 of 5 in 500ms\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Plan comment created on #3: /);
  });
});
