import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { gitRepo, type Person } from '../helpers/git.ts';
import { startScimServer, type ScimServer } from '../fakes/scim-server.ts';

/**
 * SCIM records no guard settings, so in `--github` runs the pull request's
 * base commit is the side a change starts from: a pull request cannot loosen
 * settings.guards in the same change the loosened guard would have caught.
 */
const TOKEN = 'ghs_BASEGUARDSTOKEN0123456789abcdefghijk';
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice: Person = { name: 'Alice Admin', email: 'alice@acme.test' };
const bob: Person = { name: 'Bob Builder', email: 'bob@acme.test' };
const SETUP_TIMEOUT = 300_000;

/** Eight people on a SCIM target, the first one admin; `keep` of them declared, `guards` and `approvers` as given. */
function declaration({ keep = 8, guards = '', approvers = '', adminRole = 'admin' } = {}): string {
  const users = Array.from({ length: keep }, (_, i) => `  - { email: p${i}@acme.test, name: P ${i}, role: ${i === 0 ? adminRole : 'member'} }`);
  const settings = [
    'settings:',
    '  provider: scim',
    ...(guards ? [`  guards: ${guards}`] : []),
    ...(approvers ? [`  approvals:\n    privileged: { minApprovals: 1, approvers: [${approvers}] }`] : []),
  ];
  return [...settings, 'organizations: [{ name: acme }]', 'roles: [{ name: admin, admin: true }, { name: member }]', 'users:', ...users, ''].join('\n');
}

let github: FakeGitHub;
const servers: ScimServer[] = [];
beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
});
afterAll(async () => {
  await github.close();
  for (const s of servers) await s.close();
});
const scimServer = async () => {
  const s = await startScimServer({ bulk: false, maxResults: 50 });
  servers.push(s);
  return s;
};

let prNumber = 100;
/** A repository applied by hand from `first`, then a merged pull request by bob that declares `second`. */
async function merged(first: string, second: string) {
  const repo = gitRepo();
  const scim = await scimServer();
  const scimEnv = { ROSTER_SCIM_URL: scim.url, ROSTER_SCIM_TOKEN: scim.token };
  const base = repo.commit(alice, '2026-11-01T10:00:00Z', 'Declare the team', { 'users/team.yaml': first });
  expect((await runCli(['apply', '--yes', ...NOW], repo.dir, scimEnv)).code).toBe(0);
  const pr = ++prNumber;
  const head = repo.commit(bob, '2026-11-21T08:00:00Z', `Change (#${pr})`, { 'users/team.yaml': second });
  github.pulls.push({ number: pr, title: 'Change', author: 'bob', headSha: head, baseSha: base, mergeCommitSha: head, merged: true, commits: [head] });
  const event = (name: string, body: object) => {
    const path = join(repo.dir, '..', `${name}-${pr}.json`);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };
  const env = {
    ...scimEnv,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_API_URL: github.url,
    GITHUB_SHA: head,
    GITHUB_ACTOR: 'merger',
    ROSTER_ACTOR: '',
  };
  const pushEvent = event('push', { ref: 'refs/heads/main', before: base, after: head });
  const prEvent = event('pr', {
    action: 'opened',
    number: pr,
    pull_request: { number: pr, title: 'Change', user: { login: 'bob' }, head: { sha: head }, base: { sha: base } },
  });
  return {
    repo,
    pr,
    head,
    scimEnv,
    planOnPullRequest: (...args: string[]) => runCli(['plan', '--github', ...args, ...NOW], repo.dir, { ...env, GITHUB_EVENT_PATH: prEvent }),
    onPullRequest: (...args: string[]) => runCli([...args, ...NOW], repo.dir, { ...env, GITHUB_EVENT_PATH: prEvent }),
    applyInCi: () => runCli(['apply', '--yes', '--github', '--progress', 'never', ...NOW], repo.dir, { ...env, GITHUB_EVENT_PATH: pushEvent }),
    activeUsers: () => [...scim.store.users.values()].filter((u) => u.active).length,
  };
}

describe('guards on a SCIM target in --github runs: the base commit judges the change', () => {
  it(
    'a pull request that raises maxRemovalPercent and removes half the people is blocked, in plan and apply',
    async () => {
      const run = await merged(declaration(), declaration({ keep: 4, guards: '{ maxRemovalPercent: 100 }' }));
      const planned = await run.planOnPullRequest('--format', 'json');
      expect(planned.code).toBe(3);
      expect(JSON.parse(planned.stdout).blocks).toEqual([
        expect.objectContaining({
          guard: 'maxRemovalPercent',
          message: '4 of 8 active users (50.0%) would lose access; guards.maxRemovalPercent is 25%',
          overridden: false,
        }),
      ]);
      const applied = await run.applyInCi();
      expect(applied.stderr).toBe('Error: the plan is blocked by maxRemovalPercent (--allow-mass-removal)\n');
      expect(applied.code).toBe(3);
      expect(run.activeUsers()).toBe(8);
      // Without --github there is no base to compare with: the declaration's guards hold, as documented.
      expect((await runCli(['plan', ...NOW], run.repo.dir, run.scimEnv)).code).toBe(0);
    },
    SETUP_TIMEOUT,
  );

  it(
    'a pull request that lowers minAdmins to 0 and demotes the only admin is blocked',
    async () => {
      const run = await merged(declaration(), declaration({ guards: '{ minAdmins: 0 }', adminRole: 'member' }));
      const applied = await run.applyInCi();
      expect(applied.code).toBe(3);
      expect(applied.stderr).toBe('Error: the plan is blocked by minAdmins (--allow-owner-change)\n');
    },
    SETUP_TIMEOUT,
  );

  it(
    'a change to a guard alone is privileged: refused at apply and in the pull request check until approved',
    async () => {
      const run = await merged(declaration({ approvers: 'carol' }), declaration({ approvers: 'carol', guards: '{ maxRemovalPercent: 90 }' }));
      const want = `settings.update settings:guards.maxRemovalPercent (changes guards.maxRemovalPercent from 25 to 90, which decides what is guarded or privileged; users/team.yaml:1:1) needs 1 approving review(s) on pull request #${run.pr} from carol (not the author, bob); no counting approval yet`;
      const applied = await run.applyInCi();
      expect(applied.stderr).toBe(
        `Error: refusing to apply: 1 privileged change(s) lack the approval settings.approvals requires; nothing was changed:\n  ${want}\n`,
      );
      expect(applied.code).toBe(7);
      expect((await run.planOnPullRequest('--out', 'plan.json')).code).toBe(0);
      const check = await run.onPullRequest('github', 'approvals');
      expect(check.stderr).toBe(`Error: 1 privileged change(s) in pull request #${run.pr} need approval (settings.approvals):\n  ${want}\n`);
      expect(check.code).toBe(7);
      github.reviews.push({ pr: run.pr, reviewer: 'carol', state: 'APPROVED', commitId: run.head, submittedAt: '2026-11-21T09:00:00Z' });
      expect((await run.onPullRequest('github', 'approvals')).code).toBe(0);
      const approved = await run.applyInCi();
      expect(approved.stderr).toBe('');
      expect(approved.code).toBe(0);
    },
    SETUP_TIMEOUT,
  );
});

describe('a --github run with no base commit to read', () => {
  it('fails closed with a clear error rather than judging the change by its own settings', async () => {
    const repo = gitRepo();
    const scim = await scimServer();
    const only = repo.commit(alice, '2026-11-01T10:00:00Z', 'Declare the team', {
      'users/team.yaml': declaration({ keep: 2, guards: '{ maxRemovalPercent: 100 }' }),
    });
    const pushEvent = join(repo.dir, '..', 'push-root.json');
    writeFileSync(pushEvent, JSON.stringify({ ref: 'refs/heads/main', before: '0000000000000000000000000000000000000000', after: only }));
    const env = {
      ROSTER_SCIM_URL: scim.url,
      ROSTER_SCIM_TOKEN: scim.token,
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: 'acme/people',
      GITHUB_API_URL: github.url,
      GITHUB_SHA: only,
      GITHUB_EVENT_PATH: pushEvent,
      ROSTER_ACTOR: '',
    };
    const message =
      'Error: cannot tell the base commit of this run (no pull request base, push "before" or parent commit): roster --github judges a change by the approvals rule and guard settings of its base commit and will not run without them; apply the first commit without --github\n';
    for (const args of [
      ['apply', '--yes', '--github'],
      ['plan', '--github'],
    ]) {
      const r = await runCli([...args, ...NOW], repo.dir, env);
      expect(r.stderr).toBe(message);
      expect(r.code).toBe(1);
    }
    const missing = join(repo.dir, '..', 'pr-missing.json');
    writeFileSync(
      missing,
      JSON.stringify({
        action: 'opened',
        number: 5,
        pull_request: { number: 5, title: 'x', user: { login: 'bob' }, head: { sha: only }, base: { sha: 'f'.repeat(40) } },
      }),
    );
    const r = await runCli(['plan', '--github', ...NOW], repo.dir, { ...env, GITHUB_EVENT_PATH: missing });
    expect(r.stderr).toBe(
      `Error: the base commit ${'f'.repeat(40)} is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule and guard settings in force\n`,
    );
    expect(r.code).toBe(1);
  });
});
