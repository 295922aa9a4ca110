import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { gitRepo } from '../helpers/git.ts';

// Issue 16: the approvals rule in force is the default branch's, whatever
// branch a pull request targets and whichever branch a run is started on.
const TOKEN = 'ghs_RULESOURCE0123456789abcdefghijklmnop';
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const who = { name: 'Bob', email: 'bob@acme.test' };
const RULE = 'settings:\n  organization: acme\n  approvals:\n    privileged: { approvers: [carol] }\n';
const declaration = (settings: string, bobRole: string) =>
  settings +
  BASE.replace('settings:\n  organization: acme\n', '').replace('  - email: bob@acme.test\n    role: member', `  - email: bob@acme.test\n    role: ${bobRole}`);

let github: FakeGitHub;
const repo = gitRepo();
let weak = '';
let head = '';

beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
  repo.commit(who, '2026-11-01T10:00:00Z', 'Declare the team', { 'users/team.yaml': declaration(RULE, 'member') });
  expect((await runCli(['apply', '--yes', ...NOW], repo.dir)).code).toBe(0);
  // A branch that drops the rule, and a pull request into it that makes Bob an admin.
  repo.git(['checkout', '-q', '-b', 'weak']);
  weak = repo.commit(who, '2026-11-02T10:00:00Z', 'Drop the rule', { 'users/team.yaml': declaration('settings:\n  organization: acme\n', 'member') });
  repo.git(['checkout', '-q', '-b', 'feature']);
  head = repo.commit(who, '2026-11-03T10:00:00Z', 'Make Bob an admin', { 'users/team.yaml': declaration('settings:\n  organization: acme\n', 'admin') });
  expect((await runCli(['plan', '--out', 'plan.json', ...NOW], repo.dir)).code).toBe(0);
});
afterAll(() => github.close());

function env(event: object, extra: Record<string, string> = {}): Record<string, string> {
  const path = join(repo.dir, '..', `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(event));
  return { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/people', GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: path, GITHUB_SHA: head, ...extra };
}
const prEvent = (defaultBranch: string) => ({
  action: 'synchronize',
  number: 21,
  repository: { default_branch: defaultBranch },
  pull_request: { number: 21, title: 'Make Bob an admin', user: { login: 'bob' }, head: { sha: head }, base: { sha: weak } },
});

describe('the approvals rule in force comes from the default branch', () => {
  it('judges a pull request into a branch without the rule by the default branch rule', async () => {
    const r = await runCli(['github', 'approvals', ...NOW], repo.dir, env(prEvent('main')));
    expect(r.stderr).toContain('needs 1 approving review(s) on pull request #21 from carol');
    expect(r.code).toBe(7);
  });

  it('says what to do when the default branch is not in the clone', async () => {
    const r = await runCli(['github', 'approvals', ...NOW], repo.dir, env(prEvent('trunk')));
    expect(r.stderr).toBe(
      'Error: the default branch trunk is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule in force\n',
    );
    expect(r.code).toBe(1);
  });

  it('refuses apply --github for a run on another branch (a workflow_dispatch of a branch), before it calls GitHub', async () => {
    const before = github.requests.length;
    const dispatch = env({ ref: 'refs/heads/feature', repository: { default_branch: 'main' }, inputs: {} }, { GITHUB_REF: 'refs/heads/feature' });
    const r = await runCli(['apply', '--yes', '--github', ...NOW], repo.dir, dispatch);
    expect(r.stderr).toBe('Error: roster apply --github runs on the default branch (main) only; this run is for refs/heads/feature\n');
    expect(r.code).toBe(1);
    expect(github.requests.length).toBe(before);
  });
});
