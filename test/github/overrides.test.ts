import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readTrail } from '../../src/audit/file.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { gitRepo, type Person } from '../helpers/git.ts';

const TOKEN = 'ghs_OVERRIDETOKEN0123456789abcdefghijklm';
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice: Person = { name: 'Alice Admin', email: 'alice@acme.test' };
const bob: Person = { name: 'Bob Builder', email: 'bob@acme.test' };
const LABEL = 'roster:allow-delete';

/** BASE with deletion on removal and the two-person rule; `withBob: false` removes Bob, which the delete guard blocks. */
const declaration = (approvers: string, withBob: boolean) => {
  const text = BASE.replace(
    'settings:\n  organization: acme\n',
    `settings:\n  organization: acme\n  removal: delete\n  guards: { maxRemovalPercent: 100 }\n  approvals:\n    privileged: { minApprovals: 1, approvers: [${approvers}] }\n`,
  );
  return withBob ? text : text.replace(/  - email: bob@acme.test[\s\S]*$/, '');
};

/** A repository applied by hand, then a merged pull request by bob that deletes him: blocked unless overridden. */
async function mergedDeletion(github: FakeGitHub, pr: number, headApprovers: string) {
  const repo = gitRepo();
  const base = repo.commit(alice, '2026-11-01T10:00:00Z', 'Declare the team', { 'users/team.yaml': declaration('carol, dave', true) });
  expect((await runCli(['apply', '--yes', ...NOW], repo.dir)).code).toBe(0);
  const head = repo.commit(bob, '2026-11-21T08:00:00Z', `Delete Bob (#${pr})`, { 'users/team.yaml': declaration(headApprovers, false) });
  github.pulls.push({ number: pr, title: 'Delete Bob', author: 'bob', headSha: head, baseSha: base, mergeCommitSha: head, merged: true, commits: [head] });
  const eventPath = join(repo.dir, '..', `push-${pr}.json`);
  writeFileSync(eventPath, JSON.stringify({ ref: 'refs/heads/main', before: base, after: head }));
  const env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_API_URL: github.url,
    GITHUB_SHA: head,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTOR: 'merger',
    ROSTER_ACTOR: '',
  };
  const prEventPath = join(repo.dir, '..', `pr-${pr}.json`);
  writeFileSync(
    prEventPath,
    JSON.stringify({
      action: 'labeled',
      number: pr,
      pull_request: { number: pr, title: 'Delete Bob', user: { login: 'bob' }, head: { sha: head }, base: { sha: base } },
    }),
  );
  return {
    repo,
    head,
    onPullRequest: (args: string[]) => runCli([...args, ...NOW], repo.dir, { ...env, GITHUB_EVENT_PATH: prEventPath }),
    applyInCi: () => runCli(['apply', '--yes', '--github', ...NOW], repo.dir, env),
    pending: async () =>
      JSON.parse((await runCli(['plan', '--format', 'json', ...NOW], repo.dir)).stdout).steps.map((s: { kind: string; key: string }) => `${s.kind} ${s.key}`),
  };
}

/** These tests apply a first declaration before the case itself: a slow shared machine must not fail them. */
const SETUP_TIMEOUT = 300_000;
const BLOCKED = 'Error: the plan is blocked by delete (--allow-delete)\n';
const notYet = (labeler: string) =>
  `Note: pull request #20 asks for --allow-delete (label ${LABEL}), which does not take effect: needs 1 approving review(s) of the latest commit from carol, dave (not the author, bob) given after ${labeler} added the label; none yet.\n` +
  BLOCKED;

let github: FakeGitHub;
beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
});
// Each test's traffic with the fake matches GitHub's OpenAPI description.
afterEach(() => github.openapi.assertClean());
afterAll(() => github.close());

describe('an override asked for by a pull request label (roster apply --github)', () => {
  let run: Awaited<ReturnType<typeof mergedDeletion>>;
  let head = '';
  const review = (reviewer: string, at: string) => github.reviews.push({ pr: 20, reviewer, state: 'APPROVED', commitId: head, submittedAt: at });
  beforeAll(async () => {
    run = await mergedDeletion(github, 20, 'carol, dave');
    head = run.head;
  }, SETUP_TIMEOUT);

  it('does not count a label without an approval', async () => {
    github.label(20, LABEL, 'dave', '2026-11-21T09:00:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe(notYet('dave'));
    expect(r.code).toBe(3);
    expect(github.requests.slice(-4).map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET /repos/acme/people/commits/${head}/pulls?per_page=100`,
      'GET /repos/acme/people/pulls/20/reviews?per_page=100',
      'GET /repos/acme/people/issues/20/labels?per_page=100',
      'GET /repos/acme/people/issues/20/events?per_page=100',
    ]);
  });

  it('does not count the author approving their own pull request', async () => {
    review('bob', '2026-11-21T09:10:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe(notYet('dave'));
    expect(r.code).toBe(3);
  });

  it('does not count an approved label that is no longer on the pull request when apply runs', async () => {
    review('carol', '2026-11-21T09:20:00Z');
    github.unlabel(20, LABEL, 'dave', '2026-11-21T09:25:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe(BLOCKED);
    expect(r.code).toBe(3);
  });

  it('does not count a label the author added after the approval', async () => {
    github.label(20, LABEL, 'bob', '2026-11-21T09:30:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe(
      `Note: pull request #20 asks for --allow-delete (label ${LABEL}), which does not take effect: the label was added by the author, bob; someone else must add it.\n` +
        BLOCKED,
    );
    expect(r.code).toBe(3);
  });

  it('does not count an approval given before the label was added, even by someone else', async () => {
    github.unlabel(20, LABEL, 'dave', '2026-11-21T09:40:00Z');
    github.label(20, LABEL, 'dave', '2026-11-21T09:41:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe(notYet('dave'));
    expect(r.code).toBe(3);
    expect(await run.pending()).toEqual(['user.delete user:bob@acme.test']);
  });

  it('applies once a listed approver other than the author approves after the label, and every affected event says so', async () => {
    review('carol', '2026-11-21T09:50:00Z');
    const r = await run.applyInCi();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await run.pending()).toEqual([]);
    const events = readTrail(join(run.repo.dir, '.roster/audit.jsonl')).events.filter((e) => e.commit === head);
    const deletion = events.find((e) => e.step === 'user.delete')!;
    expect(deletion.overrides).toEqual([
      { guard: 'delete', flag: '--allow-delete', from: 'pull-request', pr: 20, label: LABEL, labeledBy: 'dave', approvers: ['carol'] },
    ]);
    expect(deletion.actor).toMatchObject({ pr: 20, prAuthor: 'bob' });
    for (const e of events.filter((x) => x !== deletion)) expect(e.overrides).toBeUndefined();
  });
});

describe('a pull request that names its own approvers', () => {
  it(
    'is judged by the approvers of the base branch: an approver it adds cannot grant its override',
    async () => {
      const run = await mergedDeletion(github, 30, 'eve');
      github.label(30, LABEL, 'eve', '2026-11-21T09:00:00Z');
      github.reviews.push({ pr: 30, reviewer: 'eve', state: 'APPROVED', commitId: run.head, submittedAt: '2026-11-21T09:05:00Z' });
      const r = await run.applyInCi();
      expect(r.stderr).toBe(
        `Note: pull request #30 asks for --allow-delete (label ${LABEL}), which does not take effect: needs 1 approving review(s) of the latest commit from carol, dave (not the author, bob) given after eve added the label; none yet.\n` +
          BLOCKED,
      );
      expect(r.code).toBe(3);
      expect(await run.pending()).toEqual(['user.delete user:bob@acme.test']);
    },
    SETUP_TIMEOUT,
  );
});

describe('the pull request plan and its comment (roster plan --github, roster github comment)', () => {
  it(
    'say which overrides the pull request asks for and whether they take effect',
    async () => {
      const run = await mergedDeletion(github, 40, 'carol, dave');
      github.label(40, LABEL, 'dave', '2026-11-21T09:00:00Z');
      github.label(40, 'roster:allow-owner-change', 'bob', '2026-11-21T09:01:00Z');
      github.reviews.push({ pr: 40, reviewer: 'carol', state: 'APPROVED', commitId: run.head, submittedAt: '2026-11-21T09:05:00Z' });
      const planned = await run.onPullRequest(['plan', '--github', '--format', 'markdown', '--out', 'plan.json']);
      expect(planned.stderr).toBe(
        'Note: pull request #40 asks for --allow-owner-change (label roster:allow-owner-change), which does not take effect: the label was added by the author, bob; someone else must add it.\n' +
          'Saved the plan to plan.json. Apply exactly these steps with: roster apply plan.json\n',
      );
      expect(planned.code).toBe(0);
      expect(planned.stdout).toContain('> Guard `delete` overridden by `--allow-delete`');
      const commented = await run.onPullRequest(['github', 'comment']);
      expect(commented.code).toBe(0);
      const body = github.comments.find((c) => c.issue === 40)!.body;
      expect(body).toContain(
        '#### Overrides asked for by label\n\n| label | flag | takes effect | needed by | why |\n|---|---|---|---|---|\n' +
          '| `roster:allow-delete` | `--allow-delete` | yes | `delete` | added by dave, approved after that by carol |\n' +
          '| `roster:allow-owner-change` | `--allow-owner-change` | **no** | no guard of this plan | the label was added by the author, bob; someone else must add it |\n',
      );
    },
    SETUP_TIMEOUT,
  );
});
