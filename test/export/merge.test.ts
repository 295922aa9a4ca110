import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { fragmentsIn } from '../../src/engine/export.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { converge } from '../helpers/apply.ts';
import { runCli } from '../helpers/cli.ts';
import { NOW } from '../helpers/declare.ts';
import { tempTree } from '../helpers/tree.ts';

const now = ['--now', NOW.toISOString()];
const REPO = new URL('../../', import.meta.url).pathname;

/** What changed in a file, as removed and added lines (the `diff` package is the oracle). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const out = { removed: [] as string[], added: [] as string[] };
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) out.removed.push(...lines);
    if (part.added) out.added.push(...lines);
  }
  return out;
}

/**
 * The repository's own example declaration, full of comments, applied to an
 * embedded store; then changes made behind roster's back with SQL, as a
 * console would: a role's permissions, a user's role, a membership, a
 * deactivation, and a new account.
 */
describe('roster export --merge', () => {
  let cwd: string;
  let before: Record<string, string>;
  const read = () => Object.fromEntries(fragmentsIn(join(cwd, 'users')).map((f) => [f, readFileSync(join(cwd, 'users', f), 'utf8')]));
  beforeAll(async () => {
    cwd = tempTree();
    cpSync(join(REPO, 'users'), join(cwd, 'users'), { recursive: true });
    cpSync(join(REPO, 'schema'), join(cwd, 'schema'), { recursive: true });
    const loaded = loadDeclaration(join(cwd, 'users'), { now: NOW, cwd });
    const store = await PostgresProvider.open({ dataDir: join(cwd, '.roster/live') });
    try {
      const result = await converge(store, loaded.declaration!);
      expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
      for (const sql of [
        `update roles set permissions = '{"datasources": ["view"], "analytics": ["view"]}' where name = 'auditor'`,
        `update users set role = 'manager' where email = 'ravi.menon@acme.test'`,
        `insert into workspace_members (workspace, email, role) values ('analytics', 'paul.reyes@acme.test', 'viewer')`,
        `update users set status = 'inactive' where email = 'quinn.harper@acme.test'`,
        `insert into users (email, name, role, status, organization, department, managed) values ('nina.west@acme.test', 'Nina West', 'member', 'active', 'acme', 'Sales', false)`,
      ]) {
        await store.client.query(sql);
      }
    } finally {
      await store.close();
    }
    before = read();
  }, 120_000);

  it('changes only the values that drifted, keeping every comment and line around them', async () => {
    const run = await runCli(['export', '--merge', '--include-unmanaged', ...now], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = read();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const changed = Object.fromEntries(Object.keys(before).flatMap((f) => (before[f] === after[f] ? [] : [[f, changedLines(before[f]!, after[f]!)]])));
    expect(changed).toEqual({
      'organizations.yaml': { removed: ['      analytics: [ view, export ]'], added: ['      analytics: [view]'] },
      'people/sales.yaml': {
        removed: ['    workspaces: { sales-ops: member }', '    role: member'],
        added: [
          '    workspaces: { sales-ops: member, analytics: viewer }',
          '    status: inactive',
          '    role: manager',
          '',
          '  - email: nina.west@acme.test',
          '    name: Nina West',
          '    role: member',
          '    department: Sales',
          '    workspaces: {}',
        ],
      },
    });
    // The new account goes after its department's last person, spaced like the others.
    expect(
      after['people/sales.yaml']!.endsWith(
        '    packages: [ deploy-modules ]\n\n  - email: nina.west@acme.test\n    name: Nina West\n    role: member\n    department: Sales\n    workspaces: {}\n',
      ),
    ).toBe(true);
    // Every comment, byte for byte, in its order.
    for (const f of Object.keys(before)) {
      const comments = (text: string) => text.split('\n').filter((l) => l.includes('#'));
      expect(comments(after[f]!)).toEqual(comments(before[f]!));
    }
  });

  it('leaves a plan with nothing to change but adopting the new account; a second merge changes nothing', async () => {
    const planned = await runCli(['plan', '--format', 'json', ...now], cwd);
    expect(planned.code).toBe(0);
    const p = JSON.parse(planned.stdout) as { steps: { kind: string; key: string }[] };
    expect(p.steps.map((s) => `${s.kind} ${s.key}`)).toEqual(['user.adopt user:nina.west@acme.test']);
    const apply = await runCli(['apply', '--yes', '--progress', 'never', ...now], cwd);
    expect(apply.code).toBe(0);
    const empty = await runCli(['plan', '--detailed-exitcode', ...now], cwd);
    expect(empty.code).toBe(0);
    const snapshot = read();
    const again = await runCli(['export', '--merge', ...now], cwd);
    expect(again.stdout).toContain('nothing to fold in');
    expect(read()).toEqual(snapshot);
  });
});
