import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readTrail } from '../../src/audit/file.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { gitRepo } from '../helpers/git.ts';

const TOKEN = 'ghs_APPLYTOKEN0123456789abcdefghijklmnop';
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice = { name: 'Alice Admin', email: 'alice@acme.test' };
const bob = { name: 'Bob Builder', email: 'bob@acme.test' };

const RULE = `settings:
  organization: acme
  approvals:
    privileged: { minApprovals: 1, approvers: [carol, dave] }
`;
const declaration = (settings: string, bobRole: string) =>
  settings +
  BASE.replace('settings:\n  organization: acme\n', '').replace('  - email: bob@acme.test\n    role: member', `  - email: bob@acme.test\n    role: ${bobRole}`);

let github: FakeGitHub;
const repo = gitRepo();
let base = '';
let head = '';

beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
  base = repo.commit(alice, '2026-11-01T10:00:00Z', 'Declare the team', { 'users/team.yaml': declaration(RULE, 'member') });
  // Bootstrap: the first apply is run by hand, before CI manages the store.
  const first = await runCli(['apply', '--yes', ...NOW], repo.dir);
  expect(first.code).toBe(0);
  head = repo.commit(bob, '2026-11-20T09:00:00Z', 'Make Bob an admin (#12)', { 'users/team.yaml': declaration(RULE, 'admin') });
  github.pulls.push({
    number: 12,
    title: 'Make Bob an admin',
    author: 'bob',
    headSha: head,
    baseSha: base,
    mergeCommitSha: head,
    merged: true,
    commits: [head],
  });
});
// Each test's traffic with the fake matches GitHub's OpenAPI description.
afterEach(() => github.openapi.assertClean());
afterAll(() => github.close());

function ciEnv(event: object): Record<string, string> {
  const eventPath = join(repo.dir, '..', `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(eventPath, JSON.stringify(event));
  return {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_API_URL: github.url,
    GITHUB_SHA: head,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTOR: 'merger',
    ROSTER_ACTOR: '',
  };
}
const push = () => ciEnv({ ref: 'refs/heads/main', before: base, after: head });
const applyInCi = () => runCli(['apply', '--yes', '--github', '--progress', 'never', ...NOW], repo.dir, push());
const pendingSteps = async () =>
  JSON.parse((await runCli(['plan', '--format', 'json', ...NOW], repo.dir)).stdout).steps.map((s: { kind: string; key: string }) => `${s.kind} ${s.key}`);

const refusal = (extra: string) =>
  'Error: refusing to apply: 1 privileged change(s) lack the approval settings.approvals requires; nothing was changed:\n' +
  `  user.update user:bob@acme.test (grants the admin role; users/team.yaml:25:5) needs 1 approving review(s) on pull request #12 from carol, dave (not the author, bob); ${extra}\n`;

describe('roster apply --github: the two-person rule', () => {
  it('refuses a privileged plan without an approval, saying which step needs which approval', async () => {
    const r = await applyInCi();
    expect(r.stderr).toBe(refusal('no counting approval yet'));
    expect(r.code).toBe(7);
    expect(await pendingSteps()).toEqual(['user.update user:bob@acme.test']);
    expect(github.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET /repos/acme/people/commits/${head}/pulls?per_page=100`,
      'GET /repos/acme/people/pulls/12/reviews?per_page=100',
      'GET /repos/acme/people/issues/12/labels?per_page=100',
    ]);
  });

  it('refuses when only the author (and people not listed, or approvals of older commits) approved', async () => {
    github.reviews.push(
      { pr: 12, reviewer: 'bob', state: 'APPROVED', commitId: head, submittedAt: '2026-11-20T10:00:00Z' },
      { pr: 12, reviewer: 'eve', state: 'APPROVED', commitId: head, submittedAt: '2026-11-20T10:01:00Z' },
      { pr: 12, reviewer: 'dave', state: 'APPROVED', commitId: base, submittedAt: '2026-11-20T10:02:00Z' },
    );
    const r = await applyInCi();
    expect(r.stderr).toBe(
      refusal(
        `no counting approval yet; not counted: bob (the author), dave (approved an earlier commit (${base.slice(0, 7)})), eve (not in settings.approvals)`,
      ),
    );
    expect(r.code).toBe(7);
    expect(await pendingSteps()).toEqual(['user.update user:bob@acme.test']);
  });

  it('applies with a listed approver, recording the pull request, its author and approvers in every event', async () => {
    github.reviews.push({ pr: 12, reviewer: 'carol', state: 'APPROVED', commitId: head, submittedAt: '2026-11-20T11:00:00Z' });
    const r = await applyInCi();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await pendingSteps()).toEqual([]);
    const last = readTrail(join(repo.dir, '.roster/audit.jsonl')).events.at(-1)!;
    expect(last).toMatchObject({
      step: 'user.update',
      key: 'user:bob@acme.test',
      commit: head,
      actor: {
        name: 'merger',
        gitAuthor: 'Bob Builder <bob@acme.test>',
        pr: 12,
        prTitle: 'Make Bob an admin',
        prAuthor: 'bob',
        approvers: ['bob', 'carol', 'dave', 'eve'],
      },
    });
    for (const q of github.requests) expect(q.authorization).toBe(`token ${TOKEN}`);
    expect(readFileSync(join(repo.dir, '.roster/audit.jsonl'), 'utf8')).not.toContain(TOKEN);
  });

  it('judges a pull request by the rule of its base commit, so it cannot remove the rule and escalate at once', async () => {
    base = head;
    head = repo.commit(bob, '2026-11-21T09:00:00Z', 'Simplify settings (#13)', {
      'users/team.yaml': declaration('settings:\n  organization: acme\n', 'owner'),
    });
    github.pulls.push({
      number: 13,
      title: 'Simplify settings',
      author: 'bob',
      headSha: head,
      baseSha: base,
      mergeCommitSha: head,
      merged: true,
      commits: [head],
    });
    const r = await applyInCi();
    expect(r.code).toBe(7);
    expect(r.stderr).toBe(
      'Error: refusing to apply: 2 privileged change(s) lack the approval settings.approvals requires; nothing was changed:\n' +
        '  user.update user:bob@acme.test (grants the owner role; users/team.yaml:23:5) needs 1 approving review(s) on pull request #13 from carol, dave (not the author, bob); no counting approval yet\n' +
        '  settings.approvals settings:approvals (changes the two-person rule itself; users/team.yaml:1:1) needs 1 approving review(s) on pull request #13 from carol, dave (not the author, bob); no counting approval yet\n',
    );
  });

  it('refuses the embedded store in GitHub Actions, where it would be lost with the job', async () => {
    // In CI the default embedded store is refused before anything opens it (engine/location.ts) …
    const r = await runCli(['apply', '--yes', '--github', ...NOW], repo.dir, { ...push(), GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: refusing the embedded store in CI \(GITHUB_ACTIONS is set\) without ROSTER_DATABASE_URL/);
    // … and apply --github refuses even one named explicitly.
    const named = await runCli(['apply', '--yes', '--github', ...NOW], repo.dir, { ...push(), GITHUB_ACTIONS: 'true', ROSTER_DATA_DIR: '.roster/live' });
    expect(named.code).toBe(1);
    expect(named.stderr).toBe(
      'Error: in GitHub Actions the embedded store lives in the job and is lost when it ends; set ROSTER_DATABASE_URL (a repository secret) to the platform database\n',
    );
  });
});
