import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyTrailFile } from '../../src/audit/file.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { spawnCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

describe('several runs started together on one embedded store', () => {
  it('applies run one at a time, plans wait their turn, nothing is corrupted', async () => {
    const cwd = tempTree();
    cpSync('users', `${cwd}/users`, { recursive: true });
    const env = { ROSTER_DATA_DIR: `${cwd}/.roster/live` };
    const runs = await Promise.all([
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['apply', '--yes', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['plan', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['plan', '--detailed-exitcode', '--lock-timeout', '3m', ...NOW], cwd, env),
      spawnCli(['apply', '--yes', ...NOW], cwd, env), // no timeout: refused if it is not first
    ]);
    const [a, b, c, , , impatient] = runs;
    expect([a, b, c].map((r) => r!.code)).toEqual([0, 0, 0]);
    // Exactly one apply did the work; the others found nothing left.
    expect([a, b, c, impatient].filter((r) => r!.stdout.includes('Apply complete: 233 applied'))).toHaveLength(1);
    expect([a, b, c].filter((r) => r!.stdout.includes('No changes.')).length).toBeGreaterThanOrEqual(2);
    if (impatient!.code !== 0) {
      expect(impatient!.code).toBe(5);
      expect(impatient!.stderr).toMatch(/^Error: the store .* is locked by another roster run \(pid \d+\); wait for it, or pass --lock-timeout\n$/);
    }
    expect([0, 2]).toContain(runs[4]!.code);

    // The data dir still opens, the plan is empty, and both audit trails verify.
    const provider = await PostgresProvider.open({ dataDir: `${cwd}/.roster/live` });
    try {
      const events = await provider.auditStore.events();
      expect(events).toHaveLength(233);
      expect(verifyTrailFile(`${cwd}/.roster/audit.jsonl`)).toEqual({ ok: true, count: 233 });
    } finally {
      await provider.close();
    }
    expect((await spawnCli(['plan', '--detailed-exitcode', ...NOW], cwd, env)).code).toBe(0);
  });
});
