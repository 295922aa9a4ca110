import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/model/audit.ts';
import { runCli } from '../helpers/cli.ts';
import { ACME } from '../helpers/declare.ts';
import { gitRepo } from '../helpers/git.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice = { name: 'Alice Admin', email: 'alice@acme.test' };

const person = (email: string) => `users:\n  - email: ${email}\n    role: member\n`;

/** The trail's events after the first `skip`. */
const events = (dir: string, skip = 0): AuditEvent[] =>
  readFileSync(join(dir, '.roster/audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .slice(skip);

async function ok(args: string[], cwd: string) {
  const r = await runCli(args, cwd);
  expect(r.stderr + r.stdout, args.join(' ')).not.toMatch(/^Error/m);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

describe('an apply from an uncommitted declaration', () => {
  it('marks every event dirty (edits and untracked fragments), a clean apply not, and the chain verifies', async () => {
    const repo = gitRepo();
    const head = repo.commit(alice, '2026-10-01T09:00:00Z', 'Declare the team', {
      'users/settings.yaml': ACME,
      'users/people/a.yaml': person('dana@acme.test'),
    });
    // Edited and not committed: dana's fragment changes, and a new fragment git does not know yet.
    writeFileSync(join(repo.dir, 'users/people/a.yaml'), person('dana@acme.test') + person('erin@acme.test').replace('users:\n', ''));
    writeFileSync(join(repo.dir, 'users/people/b.yaml'), person('fred@acme.test'));
    await ok(['apply', '--yes', ...NOW], repo.dir);
    const dirty = events(repo.dir);
    expect(dirty.length).toBeGreaterThanOrEqual(4);
    for (const e of dirty) expect(e).toMatchObject({ commit: head, dirty: true });

    const text = await ok(['audit', 'list'], repo.dir);
    expect(text.stdout).toContain(`commit ${head.slice(0, 7)} (dirty)`);
    const history = await ok(['history', 'fred@acme.test'], repo.dir);
    expect(history.stdout).toContain(`commit ${head.slice(0, 7)} (dirty)`);

    // Committed, then a change applied: its events name the commit and are not dirty.
    const next = repo.commit(alice, '2026-10-02T09:00:00Z', 'Add Gina', { 'users/people/c.yaml': person('gina@acme.test') });
    await ok(['apply', '--yes', ...NOW], repo.dir);
    const clean = events(repo.dir, dirty.length);
    expect(clean.length).toBeGreaterThan(0);
    for (const e of clean) {
      expect(e.commit).toBe(next);
      expect(e).not.toHaveProperty('dirty');
    }
    expect((await ok(['audit', 'list', '--user', 'gina@acme.test'], repo.dir)).stdout).not.toContain('(dirty)');
    await ok(['audit', 'verify'], repo.dir);
  });

  it('a plan saved from an uncommitted tree stays dirty when applied after the commit', async () => {
    const repo = gitRepo();
    const head = repo.commit(alice, '2026-10-01T09:00:00Z', 'Declare the team', { 'users/settings.yaml': ACME });
    writeFileSync(join(repo.dir, 'users/people.yaml'), person('hana@acme.test'));
    await ok(['plan', ...NOW, '--out', 'plan.json'], repo.dir);
    expect(JSON.parse(readFileSync(join(repo.dir, 'plan.json'), 'utf8'))).toMatchObject({ commit: head, dirty: true });
    repo.commit(alice, '2026-10-02T09:00:00Z', 'Add Hana', { 'users/people.yaml': person('hana@acme.test') });
    await ok(['apply', 'plan.json', ...NOW], repo.dir);
    const applied = events(repo.dir);
    expect(applied.length).toBeGreaterThan(0);
    for (const e of applied) expect(e).toMatchObject({ commit: head, dirty: true });
    await ok(['audit', 'verify'], repo.dir);
  });
});
