import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubApiError } from '../../src/errors.ts';
import { COMMENT_LIMIT, fitsComment, planBody, planMarker, upsertComment } from '../../src/github/comment.ts';
import { OctokitGitHub } from '../../src/github/octokit.ts';
import { plan } from '../../src/plan/index.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { BASE, declare, NOW } from '../helpers/declare.ts';
import { FakeGitHub } from '../fakes/github-server.ts';

const TOKEN = 'ghs_TESTTOKEN0123456789abcdefghijklmnopq';
const MARKER = planMarker('users');

let github: FakeGitHub;
beforeEach(async () => {
  github = await new FakeGitHub(TOKEN).start();
});
afterEach(async () => {
  await github.close();
  github.openapi.assertClean();
});

const client = (token = TOKEN) => new OctokitGitHub({ token, repository: 'acme/people', apiUrl: github.url, retryBaseMs: 1 });

function manyUsers(n: number): string {
  const users = Array.from(
    { length: n },
    (_, i) =>
      `  - email: person${i}@acme.test\n    name: Person Number ${i} With A Longer Display Name\n    role: member\n    department: Department of Long Names ${i % 7}\n`,
  );
  return `${BASE}${users.join('')}`;
}

describe('the sticky plan comment', () => {
  it('is created once, then found by its marker (past the first page) and updated in place', async () => {
    for (let i = 0; i < 120; i++) github.comments.push({ id: i + 1, issue: 7, body: `chatter ${i}`, login: 'someone' });
    const small = plan(declare({ 'users/a.yaml': BASE }), emptyLiveState(), NOW);
    const first = await upsertComment(client(), 7, MARKER, planBody(MARKER, { plan: small }, fitsComment), { create: true });
    expect(first).toEqual({ action: 'created', url: 'https://github.com/acme/people/pull/7#issuecomment-1000' });

    const changed = plan(declare({ 'users/a.yaml': manyUsers(3) }), emptyLiveState(), NOW);
    const second = await upsertComment(client(), 7, MARKER, planBody(MARKER, { plan: changed }, fitsComment), { create: true });
    expect(second).toEqual({ action: 'updated', url: 'https://github.com/acme/people/pull/7#issuecomment-1000' });
    const ours = github.comments.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('**Plan: 14 to add, 0 to change, 0 to remove.**');

    const again = await upsertComment(client(), 7, MARKER, ours[0]!.body, { create: true });
    expect(again.action).toBe('unchanged');
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/people/issues/7/comments?per_page=100',
      'GET /repos/acme/people/issues/7/comments?per_page=100&page=2',
      'POST /repos/acme/people/issues/7/comments',
      'GET /repos/acme/people/issues/7/comments?per_page=100',
      'GET /repos/acme/people/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/people/issues/comments/1000',
      'GET /repos/acme/people/issues/7/comments?per_page=100',
      'GET /repos/acme/people/issues/7/comments?per_page=100&page=2',
    ]);
  });

  it('opens no comment for a plan without changes, but updates an existing one', async () => {
    const body = planBody(MARKER, { plan: plan(declare({ 'users/a.yaml': 'users: []\n' }), emptyLiveState(), NOW) }, fitsComment);
    expect(await upsertComment(client(), 3, MARKER, body, { create: false })).toEqual({ action: 'skipped' });
    github.comments.push({ id: 5, issue: 3, body: `${MARKER}\nold plan`, login: 'github-actions[bot]' });
    expect((await upsertComment(client(), 3, MARKER, body, { create: false })).action).toBe('updated');
    expect(github.comments[0]!.body).toContain('No changes. The live system matches the declaration.');
  });

  it('shortens an over-long plan to fit, says how many steps are left out and where the full plan is', async () => {
    const big = plan(declare({ 'users/a.yaml': manyUsers(1500) }), emptyLiveState(), NOW);
    const report = {
      plan: big,
      artifactUrl: 'https://github.com/acme/people/actions/runs/9/artifacts/42',
      runUrl: 'https://github.com/acme/people/actions/runs/9',
      commit: 'abcdef1234567',
    };
    const body = planBody(MARKER, report, fitsComment);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT - 1000); // filled, not cut to a stub
    expect(body.startsWith(`${MARKER}\n### roster plan\n\n**Plan: 1511 to add, 0 to change, 0 to remove.**`)).toBe(true);
    const shown = body.split('\n').filter((l) => l.startsWith('| + |')).length;
    expect(body).toContain(
      `**${1511 - shown} more step(s) not shown here.** The full plan is in the [plan artifact](https://github.com/acme/people/actions/runs/9/artifacts/42) and the job summary.`,
    );
    expect(
      body.endsWith(
        '<sub>Plan for abcdef1 · [workflow run](https://github.com/acme/people/actions/runs/9) · [full plan](https://github.com/acme/people/actions/runs/9/artifacts/42)</sub>\n',
      ),
    ).toBe(true);
    // GitHub accepts it; the full text would have been refused.
    const full = `${MARKER}\n${JSON.stringify(big)}`;
    await expect(client().createIssueComment(1, full)).rejects.toThrow(
      'GitHub API: cannot comment on #1 in acme/people: HTTP 422: Validation Failed; body is too long (maximum is 65536 characters)',
    );
    expect((await upsertComment(client(), 1, MARKER, body, { create: true })).action).toBe('created');
  });

  it('drops the field diffs first when the table alone fits', () => {
    const medium = plan(declare({ 'users/a.yaml': manyUsers(200) }), emptyLiveState(), NOW);
    const body = planBody(MARKER, { plan: medium, runUrl: 'https://github.com/acme/people/actions/runs/9' }, fitsComment);
    expect(body).not.toContain('<details>');
    expect(body.split('\n').filter((l) => l.startsWith('| + |'))).toHaveLength(211);
    expect(body).toContain(
      '_The field-by-field details are left out to fit. The full plan is in the job summary of the [workflow run](https://github.com/acme/people/actions/runs/9)._',
    );
  });
});

describe('GitHub API errors', () => {
  it("are typed, name the operation and GitHub's message, and never the token", async () => {
    github.failures.push({ status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } });
    const e = await client()
      .createIssueComment(4, 'x')
      .catch((x) => x);
    expect(e).toBeInstanceOf(GitHubApiError);
    expect(e.status).toBe(403);
    expect(e.message).toBe(
      'GitHub API: cannot comment on #4 in acme/people: HTTP 403: Resource not accessible by integration (the token lacks a permission: the workflow needs `permissions:` pull-requests: write and issues: write (read for apply))',
    );
    const bad = await client('ghp_WRONG_TOKEN_abcdef')
      .getPullRequest(1)
      .catch((x) => x);
    expect(bad.message).toBe(
      'GitHub API: cannot read pull request #1 in acme/people: HTTP 401: Bad credentials (GITHUB_TOKEN is missing, expired or not valid for this API)',
    );
    for (const err of [e, bad]) expect(`${err.message}${err.stack}${JSON.stringify(err)}`).not.toMatch(/ghs_TESTTOKEN|ghp_WRONG/);
  });

  it('retries a server error, and reports one that persists', async () => {
    github.failures.push({ status: 502, body: { message: 'Server Error' } });
    expect((await client().createIssueComment(4, 'hello')).id).toBe(1000);
    github.failures.push(...Array.from({ length: 6 }, () => ({ status: 500, body: { message: 'Server Error' } })));
    await expect(client().listIssueComments(4)[Symbol.asyncIterator]().next()).rejects.toThrow(
      'GitHub API: cannot list the comments of #4 in acme/people: HTTP 500: Server Error (tried 6 times; GitHub is failing; run again later)',
    );
  });

  it('reports an unreachable API as such', async () => {
    const closed = await new FakeGitHub(TOKEN).start();
    await closed.close();
    const gone = new OctokitGitHub({ token: TOKEN, repository: 'acme/people', apiUrl: closed.url, retries: 0 });
    const e = await gone.getPullRequest(1).catch((x) => x);
    expect(e).toBeInstanceOf(GitHubApiError);
    // Said as what it is: refused, not an HTTP 500 (the client's own tests cover DNS failures and timeouts).
    expect(e.message).toMatch(
      /^GitHub API: cannot read pull request #1 in acme\/people: connection refused by 127\.0\.0\.1:\d+ \(cannot reach the GitHub API at http:\/\/127\.0\.0\.1:\d+; check GITHUB_API_URL and the network\)$/,
    );
    expect(e.message).not.toContain(TOKEN);
  });
});
