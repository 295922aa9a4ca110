import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyTrailFile } from '../../src/audit/file.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { plan } from '../../src/plan/index.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { spawnCli, type CliRun } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const INSTANT = '2026-11-23T12:00:00Z';
const NOW = ['--now', INSTANT];
const QUIET = ['--progress', 'never'];

/** Steps in the example's plan on an empty store: what the one apply that does the work applies. */
function exampleSteps(cwd: string): number {
  const d = loadDeclaration(`${cwd}/users`, { now: new Date(INSTANT), cwd }).declaration!;
  // A fresh postgres store records the default guard settings, so the example's own guards are a step.
  return plan(d, { ...emptyLiveState(), guards: {} }, new Date(INSTANT)).steps.length;
}

/** How many steps a `plan --format json` run saw. */
const stepsSeen = (r: CliRun) => (JSON.parse(r.stdout) as { steps: unknown[] }).steps.length;

describe('several runs started together on one embedded store', () => {
  it('applies run one at a time, plans wait their turn, nothing is corrupted', async () => {
    const cwd = tempTree();
    cpSync('users', `${cwd}/users`, { recursive: true });
    const env = { ROSTER_DATA_DIR: `${cwd}/.roster/live` };
    const total = exampleSteps(cwd);
    const [a, b, c, planned, detailed, impatient] = await Promise.all([
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...QUIET, ...NOW], cwd, env),
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...QUIET, ...NOW], cwd, env),
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...QUIET, ...NOW], cwd, env),
      spawnCli(['plan', '--format', 'json', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['plan', '--format', 'json', '--detailed-exitcode', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['apply', '--yes', ...QUIET, ...NOW], cwd, env), // no timeout: refused unless the store is free when it looks
    ]);
    expect([a, b, c].map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    // Exactly one apply did the work; every other that ran found nothing left.
    const workers = [a, b, c, impatient].filter((r) => r.stdout.includes(`Apply complete: ${total} applied, 0 failed, 0 skipped`));
    expect(workers).toHaveLength(1);
    for (const r of [a, b, c].filter((r) => r !== workers[0])) expect(r.stdout).toContain('No changes.');
    // The impatient one either found the store free (and did the work, or found none left) or was refused having done nothing.
    if (impatient.code === 5) {
      expect(impatient.stdout).toBe('');
      expect(impatient.stderr).toMatch(/^Error: the store .* is locked by another roster run \(pid \d+\); wait for it, or pass --lock-timeout\n$/);
    } else {
      expect([impatient.code, impatient.stderr]).toEqual([0, '']);
      if (workers[0] !== impatient) expect(impatient.stdout).toContain('No changes.');
    }
    // The plans waited for the lock, so each saw the store before the work or after it, never half-way;
    // --detailed-exitcode says which: 2 for the plan of every step, 0 for none.
    expect(planned.code).toBe(0);
    expect([0, total]).toContain(stepsSeen(planned));
    expect([0, total]).toContain(stepsSeen(detailed));
    expect(detailed.code).toBe(stepsSeen(detailed) === total ? 2 : 0);

    // The data dir still opens, the plan is empty, and both audit trails verify.
    const provider = await PostgresProvider.open({ dataDir: `${cwd}/.roster/live` });
    try {
      const events = await provider.auditStore.events();
      expect(events).toHaveLength(total);
      expect(verifyTrailFile(`${cwd}/.roster/audit.jsonl`)).toEqual({ ok: true, count: total });
    } finally {
      await provider.close();
    }
    expect((await spawnCli(['plan', '--detailed-exitcode', ...NOW], cwd, env)).code).toBe(0);
  });
});
