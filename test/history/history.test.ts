import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { ACME } from '../helpers/declare.ts';
import { gitRepo } from '../helpers/git.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice = { name: 'Alice Admin', email: 'alice@acme.test' };
const bob = { name: 'Bob Builder', email: 'bob@acme.test' };
const carol = { name: 'Carol Chen', email: 'carol@acme.test' };

/** The least chart, with a workspace for dana to join. */
const SETTINGS = `${ACME}workspaces:\n  - name: analytics\n`;
const dana = (extra = '') => `users:\n  - email: Dana@acme.test\n    name: Dana Scully\n    role: member\n${extra}`;

const repo = gitRepo();
const c: Record<string, string> = {};

beforeAll(async () => {
  c.declare = repo.commit(alice, '2026-10-01T09:00:00Z', 'Declare the team', { 'users/settings.yaml': SETTINGS, 'users/people/sales.yaml': dana() });
  // A pull request merged with a merge commit: the branch commit is attributed to #21.
  repo.git(['checkout', '-q', '-b', 'bob/analytics']);
  c.workspace = repo.commit(bob, '2026-10-05T09:00:00Z', 'Give Dana the analytics workspace', {
    'users/people/sales.yaml': dana('    workspaces: { analytics: member }\n'),
  });
  repo.git(['checkout', '-q', 'main']);
  repo.git(['merge', '-q', '--no-ff', '-m', 'Merge pull request #21 from bob/analytics', 'bob/analytics'], {
    GIT_AUTHOR_NAME: carol.name,
    GIT_AUTHOR_EMAIL: carol.email,
    GIT_COMMITTER_NAME: carol.name,
    GIT_COMMITTER_EMAIL: carol.email,
    GIT_AUTHOR_DATE: '2026-10-06T09:00:00Z',
    GIT_COMMITTER_DATE: '2026-10-06T09:00:00Z',
  });
  c.rename = repo.commit(carol, '2026-10-10T09:00:00Z', 'Split sales by region', {}, [['users/people/sales.yaml', 'users/people/emea-sales.yaml']]);
  c.credit = repo.commit(bob, '2026-10-15T09:00:00Z', 'Launch credits for Dana (#22)', {
    'users/credits.yaml':
      'credits:\n  - id: launch-dana\n    to: dana@acme.test\n    amount: 500\n    reason: Launch promotion\n  - id: analytics-pilot\n    to: { workspace: analytics }\n    amount: 100\n    reason: Pilot\n',
  });
  c.unrelated = repo.commit(alice, '2026-10-20T09:00:00Z', 'Add Erin', {
    'users/people/us-sales.yaml': 'users:\n  - email: erin@acme.test\n    role: member\n',
  });
  const applied = await runCli(['apply', '--yes', ...NOW], repo.dir, {
    ROSTER_ACTOR: 'ci',
    ROSTER_PR: '23',
    ROSTER_PR_TITLE: 'Add Erin',
    ROSTER_APPROVERS: 'carol',
  });
  expect(applied.code).toBe(0);
});

const short = (k: string) => c[k]!.slice(0, 7);
const masked = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<time>');

describe('roster history', () => {
  it("joins the git history of a person's entry and grants with the applied audit events", async () => {
    const r = await runCli(['history', 'dana@ACME.test'], repo.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(masked(r.stdout)).toBe(
      [
        'History of dana@acme.test: 4 commit(s) in users/, 4 audit event(s) from .roster/audit.jsonl (10 in all, hash chain intact).',
        '',
        `2026-10-01T09:00:00+00:00 commit ${short('declare')} by Alice Admin <alice@acme.test>`,
        '    Declare the team',
        '    user added at users/people/sales.yaml:2',
        '      + email: Dana@acme.test',
        '      + name: Dana Scully',
        '      + role: member',
        '',
        `2026-10-05T09:00:00+00:00 commit ${short('workspace')} by Bob Builder <bob@acme.test>, PR #21`,
        '    Give Dana the analytics workspace',
        '    user changed at users/people/sales.yaml:2',
        '        email: Dana@acme.test',
        '        name: Dana Scully',
        '        role: member',
        '      + workspaces:',
        '      +   analytics: member',
        '',
        `2026-10-10T09:00:00+00:00 commit ${short('rename')} by Carol Chen <carol@acme.test>`,
        '    Split sales by region',
        '    user moved from users/people/sales.yaml to users/people/emea-sales.yaml:2',
        '',
        `2026-10-15T09:00:00+00:00 commit ${short('credit')} by Bob Builder <bob@acme.test>, PR #22`,
        '    Launch credits for Dana (#22)',
        '    credit launch-dana added at users/credits.yaml:2',
        '      + id: launch-dana',
        '      + to: dana@acme.test',
        '      + amount: 500',
        '      + reason: Launch promotion',
        '    credit analytics-pilot added at users/credits.yaml:6',
        '      + id: analytics-pilot',
        '      + to:',
        '      +   workspace: analytics',
        '      + amount: 100',
        '      + reason: Pilot',
        '',
        `#5 <time> applied user.create user:dana@acme.test`,
        `    by ci (PR #23 "Add Erin", approved by carol), commit ${short('unrelated')}, git author Alice Admin <alice@acme.test>`,
        '    null -> {"name":"Dana Scully","role":"member","email":"dana@acme.test","status":"invited","expires":null,"department":null,"organization":"acme","invitationKey":null,"signupCredits":0}',
        '    # declared; the platform sends an invitation (users/people/emea-sales.yaml:2:5)',
        '',
        `#8 <time> applied membership.set membership:analytics:dana@acme.test`,
        `    by ci (PR #23 "Add Erin", approved by carol), commit ${short('unrelated')}, git author Alice Admin <alice@acme.test>`,
        '    null -> {"role":"member","user":"dana@acme.test","workspace":"analytics"}',
        '    # joins analytics as member (users/people/emea-sales.yaml:2:5)',
        '',
        `#9 <time> applied credit.grant credit:analytics-pilot`,
        `    by ci (PR #23 "Add Erin", approved by carol), commit ${short('unrelated')}, git author Alice Admin <alice@acme.test>`,
        '    null -> {"id":"analytics-pilot","kind":"awarded","amount":100,"reason":"Pilot","target":{"workspace":"analytics"},"entries":[{"user":"dana@acme.test","amount":100}]}',
        '    # Pilot (users/credits.yaml:6:5)',
        '',
        `#10 <time> applied credit.grant credit:launch-dana`,
        `    by ci (PR #23 "Add Erin", approved by carol), commit ${short('unrelated')}, git author Alice Admin <alice@acme.test>`,
        '    null -> {"id":"launch-dana","kind":"awarded","amount":500,"reason":"Launch promotion","target":"dana@acme.test","entries":[{"user":"dana@acme.test","amount":500}]}',
        '    # Launch promotion (users/credits.yaml:2:5)',
      ].join('\n') + '\n',
    );
  });

  it('starts at --since, and gives the same timeline as JSON', async () => {
    const r = await runCli(['history', 'dana@acme.test', '--since', '2026-10-10', '--format', 'json'], repo.dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      formatVersion: 1,
      email: 'dana@acme.test',
      declaration: 'users',
      trail: { source: '.roster/audit.jsonl', events: 10, intact: true },
    });
    expect(report.entries.map((e: { type: string; commit?: string; event?: { seq: number } }) => (e.type === 'commit' ? e.commit : e.event!.seq))).toEqual([
      c.rename,
      c.credit,
      5,
      8,
      9,
      10,
    ]);
    expect(report.entries[0]).toEqual({
      type: 'commit',
      at: '2026-10-10T09:00:00+00:00',
      commit: c.rename,
      author: 'Carol Chen',
      authorEmail: 'carol@acme.test',
      subject: 'Split sales by region',
      pr: null,
      changes: [{ what: 'user', action: 'moved', file: 'users/people/emea-sales.yaml', line: 2, from: 'users/people/sales.yaml', diff: [] }],
    });
  });

  it('shows the timeline of a tampered trail but fails, and refuses a folder outside git', async () => {
    const trail = join(repo.dir, '.roster/audit.jsonl');
    const original = readFileSync(trail, 'utf8');
    writeFileSync(trail, original.replace('"amount":500', '"amount":5000'));
    const r = await runCli(['history', 'dana@acme.test'], repo.dir);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      'History of dana@acme.test: 4 commit(s) in users/, 4 audit event(s) from .roster/audit.jsonl (10 in all, TAMPERED: event 10: its content does not match its hash (edited)).',
    );
    writeFileSync(trail, original);
    const outside = await runCli(['history', 'dana@acme.test', '--dir', '/'], repo.dir);
    expect(outside.stderr).toBe("Error: / is not in a git repository: roster history reads the declaration's git log\n");
    expect(outside.code).toBe(1);
  });
});
