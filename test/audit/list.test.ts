import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fileAuditStore } from '../../src/audit/file.ts';
import type { AuditDraft } from '../../src/model/audit.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const cwd = tempTree();
const draft = (
  at: string,
  step: string,
  key: string,
  after: AuditDraft['after'],
  result: 'applied' | 'failed' = 'applied',
  reason = 'declared',
): AuditDraft => ({
  at,
  step,
  key,
  before: null,
  after,
  reason,
  source: 'users/a.yaml:3:5',
  actor: { name: 'ci', pr: 12, prTitle: 'Promote Alice', prAuthor: 'bob', approvers: ['carol'] },
  commit: '3f2a1c9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  result,
  ...(result === 'failed' && { error: 'connection reset' }),
});

beforeAll(async () => {
  await fileAuditStore(`${cwd}/.roster/audit.jsonl`).append([
    draft('2026-11-01T10:00:00.000Z', 'user.create', 'user:alice@acme.test', { email: 'alice@acme.test', role: 'member' }),
    draft('2026-11-02T10:00:00.000Z', 'user.update', 'user:alice@acme.test', { email: 'alice@acme.test', role: 'admin' }, 'failed'),
    draft('2026-11-03T10:00:00.000Z', 'user.update', 'user:alice@acme.test', { email: 'alice@acme.test', role: 'admin' }),
    draft('2026-11-03T11:00:00.000Z', 'membership.set', 'membership:analytics:alice@acme.test', {
      workspace: 'analytics',
      user: 'alice@acme.test',
      role: 'admin',
    }),
    draft(
      '2026-11-04T09:00:00.000Z',
      'credit.grant',
      'credit:q4-bonus',
      {
        id: 'q4-bonus',
        amount: 200,
        entries: [
          { user: 'alice@acme.test', amount: 200 },
          { user: 'bob@acme.test', amount: 200 },
        ],
      },
      'applied',
      '=HYPERLINK("http://evil")',
    ),
    draft('2026-11-05T09:00:00.000Z', 'user.create', 'user:malice@acme.test', { email: 'malice@acme.test', role: 'member' }),
  ]);
});

const list = (...args: string[]) => runCli(['audit', 'list', ...args], cwd);
const seqs = async (...args: string[]) => JSON.parse((await list(...args, '--format', 'json')).stdout).events.map((e: { seq: number }) => e.seq);

describe('roster audit list', () => {
  it('filters by user (their account, memberships and grants that reached them), step, dates and result', async () => {
    expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqs('--user', 'Alice@acme.test')).toEqual([1, 2, 3, 4, 5]);
    expect(await seqs('--user', 'bob@acme.test')).toEqual([5]);
    expect(await seqs('--step', 'user.update')).toEqual([2, 3]);
    expect(await seqs('--step', 'user.*')).toEqual([1, 2, 3, 6]);
    expect(await seqs('--since', '2026-11-03', '--until', '2026-11-04')).toEqual([3, 4, 5]);
    expect(await seqs('--since', '2026-11-03T10:30:00Z')).toEqual([4, 5, 6]);
    expect(await seqs('--result', 'failed')).toEqual([2]);
    expect(await seqs('--user', 'alice@acme.test', '--step', 'user.update', '--result', 'applied', '--since', '2026-11-02')).toEqual([3]);
  });

  it('prints text for people', async () => {
    const r = await list('--result', 'failed');
    expect(r.stdout).toBe(
      [
        '#2 2026-11-02T10:00:00.000Z failed user.update user:alice@acme.test',
        '    by ci (PR #12 "Promote Alice" by bob, approved by carol), commit 3f2a1c9',
        '    null -> {"email":"alice@acme.test","role":"admin"}',
        '    # declared (users/a.yaml:3:5); error: connection reset',
        '',
        '1 event(s).',
        '',
      ].join('\n'),
    );
  });

  it('exports CSV a spreadsheet opens safely', async () => {
    const r = await list('--format', 'csv', '--step', 'credit.grant');
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        seq: '5',
        at: '2026-11-04T09:00:00.000Z',
        step: 'credit.grant',
        key: 'credit:q4-bonus',
        result: 'applied',
        actor: 'ci',
        git_author: '',
        pr: '12',
        pr_title: 'Promote Alice',
        pr_author: 'bob',
        approvers: 'carol',
        commit: '3f2a1c9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        reason: `'=HYPERLINK("http://evil")`,
        source: 'users/a.yaml:3:5',
        before: 'null',
        after: '{"id":"q4-bonus","amount":200,"entries":[{"user":"alice@acme.test","amount":200},{"user":"bob@acme.test","amount":200}]}',
        error: '',
        hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    ]);
    expect(r.stdout.split('\n')[0]).toBe(
      'seq,at,step,key,result,actor,git_author,pr,pr_title,pr_author,approvers,commit,reason,source,before,after,error,hash',
    );
  });

  it('rejects a date that does not exist, and fails on a tampered trail', async () => {
    const bad = await list('--since', '2026-02-30');
    expect(bad.stderr).toBe('Error: --since must be a date (YYYY-MM-DD) or an ISO time, got "2026-02-30"\n');
    expect(bad.code).toBe(1);
    const other = tempTree({ '.roster/audit.jsonl': '{"seq":1}\nnot json\n' });
    const r = await runCli(['audit', 'list'], other);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: .roster/audit.jsonl does not verify (line 2 is not valid JSON); run roster audit verify\n');
  });
});
