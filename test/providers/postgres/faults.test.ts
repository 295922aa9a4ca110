import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeUnless } from '../../helpers/each.ts';
import { ExitCode, StoreFaultError } from '../../../src/errors.ts';
import { plan } from '../../../src/plan/index.ts';
import { PostgresProvider } from '../../../src/providers/postgres/index.ts';
import { converge } from '../../helpers/apply.ts';
import { runCli, type CliRun } from '../../helpers/cli.ts';
import { BASE, NOW, declare } from '../../helpers/declare.ts';
import { SERVER_SKIP, SERVER_URL, sharedStores } from '../../helpers/store.ts';
import { tempTree } from '../../helpers/tree.ts';

/**
 * Faults of the store itself — a full disk, a read-only one, a table lock
 * held by another session, a connection the server kills — each end in a
 * documented exit code with a message naming the cause and the fix, never a
 * stack trace or a wait without end; and a later run converges with every
 * grant exactly once. Timeouts here are the product's --lock-timeout; the
 * tests assert exit codes and messages, not wall time.
 */

const DECLARATION =
  BASE.replace('organization: acme', 'organization: acme\n  policies: { signupCredits: 100 }') +
  'credits:\n  - { id: launch, to: { all: true }, amount: 25, reason: Launch }\n';
const APPLY = ['apply', '--yes', '--now', NOW.toISOString()];

/** No stack trace, no internal error: what a person reads is a message. */
function expectCleanFailure(run: CliRun, code: number, message: RegExp): void {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code, stderr: expect.stringMatching(message) });
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
}

/** Ledger rows per grant: each grant reached each of its users exactly once. */
async function ledger(provider: PostgresProvider): Promise<Record<string, number>> {
  const { rows } = await provider.client.query<{ grant_id: string; n: number }>(
    'select grant_id, count(*)::int as n from credit_ledger group by grant_id order by grant_id',
  );
  return Object.fromEntries(rows.map((r) => [r.grant_id, r.n]));
}
/** The next apply succeeds and the ledger holds every grant exactly once (read through `open`, closed after). */
async function expectNextApplyPaysOnce(cwd: string, env: Record<string, string>, open: () => Promise<PostgresProvider>): Promise<void> {
  expect((await runCli(APPLY, cwd, env)).code).toBe(0);
  const provider = await open();
  try {
    expect(await ledger(provider)).toEqual(ONCE);
  } finally {
    await provider.close();
  }
}
const ONCE = { launch: 3, 'signup:alice@acme.test': 1, 'signup:bob@acme.test': 1, 'signup:olivia@acme.test': 1 };

describe('a full disk under the embedded store (injected through the provider)', () => {
  it('stops the apply with a StoreFaultError, keeps what was applied, and a later run converges exactly once', { timeout: 300_000 }, async () => {
    const dataDir = join(tempTree(), 'live');
    const d = declare({ 'users/a.yaml': DECLARATION });
    // Plenty of room to open the store and write the first phases, then the disk is full.
    let checks = 0;
    const fillsAfter = 3;
    const full = await PostgresProvider.open({ dataDir, freeBytes: () => (++checks > fillsAfter ? 1024 : 1e12) });
    try {
      await expect(converge(full, d)).rejects.toThrow(StoreFaultError);
      await expect(converge(full, d)).rejects.toThrow(/the disk holding the embedded store .* is full: 0\.0 MB free, roster needs 32\.0 MB/);
      const events = await full.auditStore.events();
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.result === 'applied')).toBe(true);
      expect(await ledger(full)).toEqual({});
    } finally {
      await full.close();
    }
    const freed = await PostgresProvider.open({ dataDir });
    try {
      await converge(freed, d);
      expect(await ledger(freed)).toEqual(ONCE);
      expect(plan(d, await freed.read(), NOW).steps).toEqual([]);
    } finally {
      await freed.close();
    }
  });
});

/** Whether this machine lets the tests mount a size-limited tmpfs (as root in a container, usually). */
function canMount(): boolean {
  const probe = tempTree();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describeUnless(
  canMount() ? undefined : 'this machine does not let the tests mount a tmpfs (run as root in a container)',
  'a real size-limited, then read-only, disk (tmpfs) under the embedded store',
  () => {
    const mounted: string[] = [];
    afterAll(() => {
      for (const m of mounted) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    });

    it('full: exit 8 naming the data dir; read-only: exit 8 naming it; freed and writable: converges exactly once', { timeout: 600_000 }, async () => {
      const cwd = tempTree({ 'users/a.yaml': DECLARATION });
      const disk = join(cwd, 'disk');
      mkdirSync(disk);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', disk]);
      mounted.push(disk);
      const dataDir = join(disk, 'live');
      const env = { ROSTER_DATA_DIR: dataDir };
      // A new store (about 40 MB; a plan no longer creates one), then a file that leaves it 8 MB.
      expect((await runCli(['migrate'], cwd, env)).code).toBe(0);
      const free = Number(execFileSync('df', ['-k', '--output=avail', disk]).toString().trim().split('\n')[1]) * 1024;
      writeFileSync(join(disk, 'filler'), Buffer.alloc(free - 8 * 1024 * 1024));

      expectCleanFailure(
        await runCli(APPLY, cwd, env),
        ExitCode.unavailable,
        /^Error: the disk holding the embedded store .*\/disk\/live is full: .* free space on that disk/,
      );
      expectCleanFailure(await runCli(['plan'], cwd, env), ExitCode.unavailable, /is full/);
      rmSync(join(disk, 'filler'));

      execFileSync('mount', ['-o', 'remount,ro', disk]);
      expectCleanFailure(
        await runCli(APPLY, cwd, env),
        ExitCode.unavailable,
        /^Error: cannot write .*\/disk\/live\S*: the file system is read-only \(EROFS\); mount it writable/,
      );
      execFileSync('mount', ['-o', 'remount,rw', disk]);

      await expectNextApplyPaysOnce(cwd, env, () => PostgresProvider.open({ dataDir }));
    });

    it('a trail file on a read-only disk: exit 8 naming the file, and the next run writes the trail', { timeout: 300_000 }, async () => {
      const cwd = tempTree({ 'users/a.yaml': DECLARATION });
      const disk = join(cwd, 'trail');
      mkdirSync(disk);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', disk]);
      mounted.push(disk);
      const env = { ROSTER_DATA_DIR: join(cwd, 'live') };
      const trail = ['--audit-log', join(disk, 'audit.jsonl')];
      expectCleanFailure(
        await runCli([...APPLY, ...trail], cwd, env),
        ExitCode.unavailable,
        /cannot write .*\/trail\/audit\.jsonl: the file system is read-only \(EROFS\)/,
      );
      execFileSync('mount', ['-o', 'remount,rw', disk]);
      expect((await runCli([...APPLY, ...trail], cwd, env)).code).toBe(0);
      const verified = await runCli(['audit', 'verify', join(disk, 'audit.jsonl'), '--store'], cwd, env);
      expect(verified.code).toBe(0);
    });
  },
);

describeUnless(SERVER_SKIP, 'a PostgreSQL server whose tables are locked, or whose connections are killed', () => {
  const server = sharedStores('roster_faults').find((s) => !s.embedded)!;

  /** A second session, as an operator's migration or a long report would hold one. */
  async function holdLock(schema: string, table: string, mode: 'access exclusive' | 'exclusive'): Promise<pg.Client> {
    const other = new pg.Client({ connectionString: SERVER_URL });
    await other.connect();
    await other.query('begin');
    await other.query(`lock table ${schema}.${table} in ${mode} mode`);
    return other;
  }

  it(
    'a held table lock ends the apply with exit 5 within --lock-timeout; once it is released, the apply converges exactly once',
    { timeout: 300_000 },
    async () => {
      const cwd = tempTree({ 'users/a.yaml': DECLARATION });
      const store = server.make(cwd);
      const opened = await store.open(); // migrated, so the table exists to be locked
      const schema = store.env.ROSTER_DATABASE_SCHEMA!;
      const locked = /a table or row roster needs stayed locked by another session for longer than --lock-timeout \(1000 ms\)/;
      // Not even readable: the apply stops before its first step.
      let other = await holdLock(schema, 'credit_grants', 'access exclusive');
      try {
        expectCleanFailure(await runCli([...APPLY, '--lock-timeout', '1s'], cwd, store.env), ExitCode.locked, locked);
        expect(await opened.auditStore.events()).toEqual([]);
      } finally {
        await other.query('rollback');
        await other.end();
      }
      // Readable, not writable: the phases before the credits are applied and audited, then the apply stops.
      other = await holdLock(schema, 'credit_grants', 'exclusive');
      try {
        expectCleanFailure(await runCli([...APPLY, '--lock-timeout', '1s'], cwd, store.env), ExitCode.locked, locked);
        const events = await opened.auditStore.events();
        expect(events.length).toBeGreaterThan(0);
        expect(events.filter((e) => e.step === 'credit.grant' || e.result !== 'applied')).toEqual([]);
      } finally {
        await other.query('rollback');
        await other.end();
      }
      await expectNextApplyPaysOnce(cwd, store.env, async () => opened);
    },
  );

  it('sessions killed mid-apply (pg_terminate_backend) end it with exit 8; the next apply converges exactly once', { timeout: 300_000 }, async () => {
    const cwd = tempTree({ 'users/a.yaml': DECLARATION });
    const store = server.make(cwd);
    const opened = await store.open();
    const schema = store.env.ROSTER_DATABASE_SCHEMA!;
    // The apply waits behind this lock (its timeout is long), so the kill lands mid-apply.
    const other = await holdLock(schema, 'credit_grants', 'exclusive');
    try {
      const running = runCli([...APPLY, '--lock-timeout', '10m'], cwd, store.env);
      for (let waiting = 0; waiting === 0;) {
        await new Promise((r) => setTimeout(r, 200));
        // The lock's session is inside its transaction, where pg_stat_activity would stay one snapshot.
        await other.query('select pg_stat_clear_snapshot()');
        const { rows } = await other.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where application_name = 'roster' and wait_event_type = 'Lock'`,
        );
        waiting = rows[0]!.n;
      }
      await other.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'roster'`);
      expectCleanFailure(
        await running,
        ExitCode.unavailable,
        /the connection to the store was lost or the store failed \(terminating connection due to administrator command\)/,
      );
    } finally {
      await other.query('rollback');
      await other.end();
    }
    await expectNextApplyPaysOnce(cwd, store.env, async () => opened);
  });
});
