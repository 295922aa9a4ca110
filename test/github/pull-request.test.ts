import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_LABEL, driftMarker } from '../../src/github/drift.ts';
import { planMarker } from '../../src/github/comment.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { gitRepo } from '../helpers/git.ts';

const TOKEN = 'ghs_PRTOKEN0123456789abcdefghijklmnopqrs';
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const who = { name: 'Alice Admin', email: 'alice@acme.test' };
const withRule = (bobRole: string) =>
  BASE.replace('settings:\n  organization: acme\n', 'settings:\n  organization: acme\n  approvals:\n    privileged: { approvers: [carol] }\n').replace(
    '  - email: bob@acme.test\n    role: member',
    `  - email: bob@acme.test\n    role: ${bobRole}`,
  );

let github: FakeGitHub;
const repo = gitRepo();
let base = '';
let head = '';
const runs: CliRun[] = [];

beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
  base = repo.commit(who, '2026-11-01T10:00:00Z', 'Declare the team', { 'users/team.yaml': withRule('member') });
  expect((await runCli(['apply', '--yes', ...NOW], repo.dir)).code).toBe(0);
  head = repo.commit({ name: 'Bob', email: 'bob@acme.test' }, '2026-11-20T09:00:00Z', 'Make Bob an admin', { 'users/team.yaml': withRule('admin') });
  expect((await runCli(['plan', '--out', 'plan.json', ...NOW], repo.dir)).code).toBe(0);
});
// Each test's traffic with the fake matches GitHub's OpenAPI description.
afterEach(() => github.openapi.assertClean());
afterAll(async () => {
  await github.close();
  // No output of any run, nor any file roster wrote, holds the token.
  for (const r of runs) expect(r.stdout + r.stderr).not.toContain(TOKEN);
});

const summary = join(repo.dir, 'summary.md');
function env(event: object): Record<string, string> {
  const path = join(repo.dir, 'event.json');
  writeFileSync(path, JSON.stringify(event));
  return {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_API_URL: github.url,
    GITHUB_EVENT_PATH: path,
    GITHUB_SHA: head,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '77',
    GITHUB_STEP_SUMMARY: summary,
  };
}
const prEvent = () =>
  env({
    action: 'synchronize',
    number: 12,
    pull_request: { number: 12, title: 'Make Bob an admin', user: { login: 'bob' }, head: { sha: head }, base: { sha: base } },
  });
async function roster(args: string[], e: Record<string, string>): Promise<CliRun> {
  const r = await runCli([...args, ...NOW], repo.dir, e);
  runs.push(r);
  return r;
}

describe('roster github comment and approvals on a pull request', () => {
  it('comments the plan once with the privileged step marked, and writes the job summary', async () => {
    const r = await roster(['github', 'comment', '--artifact-url', 'https://github.com/acme/people/actions/runs/77/artifacts/5'], prEvent());
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Plan comment created on #12: https://github.com/acme/people/pull/12#issuecomment-1000\n');
    expect(r.code).toBe(0);
    const body = github.comments[0]!.body;
    expect(body.startsWith(`${planMarker('users')}\n### roster plan\n\n**Plan: 0 to add, 1 to change, 0 to remove.**`)).toBe(true);
    expect(body).toContain('| ~ | `user.update` | `user:bob@acme.test` | declared role differs | users/team.yaml:25:5 | privileged |');
    expect(body).toContain(
      '**Waiting for approval:** 1 privileged change(s) need 1 approving review(s) on the latest commit from `carol`, other than the author `bob`. `roster apply` refuses them until then.\n\n' +
        '| needs approval | key | why | source |\n|---|---|---|---|\n| `user.update` | `user:bob@acme.test` | grants the admin role | users/team.yaml:25:5 |',
    );
    expect(body).toContain(
      `<sub>Plan for ${head.slice(0, 7)} · [workflow run](https://github.com/acme/people/actions/runs/77) · [full plan](https://github.com/acme/people/actions/runs/77/artifacts/5)</sub>`,
    );
    expect(readFileSync(summary, 'utf8').startsWith('### roster plan\n\n**Plan: 0 to add, 1 to change, 0 to remove.**')).toBe(true);
  });

  it('fails the approvals check until a listed approver approves, then updates the same comment', async () => {
    const waiting = await roster(['github', 'approvals'], prEvent());
    expect(waiting.code).toBe(7);
    expect(waiting.stderr).toBe(
      'Error: 1 privileged change(s) in pull request #12 need approval (settings.approvals):\n' +
        '  user.update user:bob@acme.test (grants the admin role; users/team.yaml:25:5) needs 1 approving review(s) on pull request #12 from carol (not the author, bob); no counting approval yet\n',
    );
    github.reviews.push({ pr: 12, reviewer: 'carol', state: 'APPROVED', commitId: head, submittedAt: '2026-11-20T12:00:00Z' });
    const approved = await roster(['github', 'approvals'], prEvent());
    expect(approved.stdout).toBe('Two-person rule: 1 privileged change(s) approved by carol.\n');
    expect(approved.code).toBe(0);

    const again = await roster(['github', 'comment'], prEvent());
    expect(again.stdout).toBe('Plan comment updated on #12: https://github.com/acme/people/pull/12#issuecomment-1000\n');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('**Approved** by `carol`.');
  });

  it('says so in the comment when there is no plan (the declaration is invalid)', async () => {
    const r = await roster(['github', 'comment', '--plan', 'missing.json'], prEvent());
    expect(r.code).toBe(0);
    expect(github.comments[0]!.body).toBe(
      `${planMarker('users')}\n### roster plan\n\n**No plan.** roster could not make a plan for ${head.slice(0, 7)}: the declaration is invalid or the live system could not be read. See the annotations and the log of the [workflow run](https://github.com/acme/people/actions/runs/77).\n\n<sub>Plan for ${head.slice(0, 7)} · [workflow run](https://github.com/acme/people/actions/runs/77)</sub>\n`,
    );
  });

  it('refuses outside a pull request and without a token, naming what is missing', async () => {
    const push = await roster(['github', 'comment'], env({ ref: 'refs/heads/main', before: base }));
    expect(push.stderr).toBe('Error: roster github comment runs on pull_request and pull_request_review events; GITHUB_EVENT_PATH holds no pull request\n');
    const bare = await runCli(['github', 'approvals'], repo.dir, { GITHUB_TOKEN: '' });
    expect(bare.stderr).toBe(
      "Error: GITHUB_TOKEN and GITHUB_REPOSITORY must be set: roster github commands run in GitHub Actions (pass GITHUB_TOKEN: ${{ github.token }} in the step's env)\n",
    );
    expect(bare.code).toBe(1);
  });
});

describe('roster github drift', () => {
  const schedule = () => env({ schedule: '17 6 * * *' });
  const drift = async () => {
    rmSync(join(repo.dir, 'drift.json'), { force: true });
    await runCli(['plan', '--out', 'drift.json', ...NOW], repo.dir);
    return roster(['github', 'drift', '--plan', 'drift.json'], schedule());
  };

  it('opens one issue on drift, updates it while drift remains, and closes it when it is gone', async () => {
    github.issues.push({ number: 1, title: 'Unrelated', body: 'hello', state: 'open', labels: ['bug'] });
    const opened = await drift();
    expect(opened.stdout).toBe('Drift issue #2 opened: https://github.com/acme/people/issues/2\n');
    const issue = github.issues[1]!;
    expect(issue).toMatchObject({ title: 'roster: the live system has drifted from users/', state: 'open', labels: [DRIFT_LABEL] });
    expect(issue.body.startsWith(`${driftMarker('users')}\nThe live system has drifted from \`users/\``)).toBe(true);
    expect(issue.body).toContain('| ~ | `user.update` | `user:bob@acme.test` |');

    issue.body = `${driftMarker('users')}\nan older drift report`;
    const updated = await drift();
    expect(updated.stdout).toBe('Drift issue #2 updated: https://github.com/acme/people/issues/2\n');
    expect(github.issues).toHaveLength(2);
    expect(issue.body).toContain('| ~ | `user.update` | `user:bob@acme.test` |');

    expect((await runCli(['apply', '--yes', ...NOW], repo.dir)).code).toBe(0);
    const closed = await drift();
    expect(closed.stdout).toBe('Drift issue #2 closed: https://github.com/acme/people/issues/2\n');
    expect(issue.state).toBe('closed');
    expect(github.comments.at(-1)).toMatchObject({
      issue: 2,
      body: 'The drift is gone: the live system matches `users/` again ([scheduled plan](https://github.com/acme/people/actions/runs/77)). Closing.',
    });
    expect((await drift()).stdout).toBe('No drift.\n');
    expect(existsSync(summary)).toBe(true);
  });
});
