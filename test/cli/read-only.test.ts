import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreNotReadyError } from '../../src/errors.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { runCli } from '../helpers/cli.ts';
import { BASE } from '../helpers/declare.ts';
import { describeUnless } from '../helpers/each.ts';
import { dropSchemas, freshPglite, SERVER_SKIP, SERVER_URL } from '../helpers/store.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const WITH_PACKAGE =
  BASE.replace('  - email: bob@acme.test\n    role: member', '  - email: bob@acme.test\n    role: member\n    packages: [billing]') +
  'packages:\n  - { name: billing, createdBy: bob@acme.test }\n';
const ONE_MORE = WITH_PACKAGE.replace('users:\n', 'users:\n  - email: zed@acme.test\n    role: member\n');
const noTrace = (stderr: string) => expect(stderr).not.toMatch(/internal error|\n\s+at /);

describe('a plan on the embedded store writes nothing', () => {
  it('plans a store not created yet as empty, without creating it; audit --store says how to create it', async () => {
    const cwd = tempTree({ 'users/base.yaml': BASE });
    const first = await runCli(['plan', ...NOW], cwd);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Plan: 11 to add, 0 to change, 0 to remove.');
    expect((await runCli(['validate'], cwd)).code).toBe(0);
    const audit = await runCli(['audit', 'verify', '--store'], cwd);
    expect(audit.code).toBe(8);
    expect(audit.stderr).toMatch(/^Error: there is no embedded store at .*\/\.roster\/live yet: `roster apply` \(or `roster migrate`\) creates it/);
    expect(existsSync(join(cwd, '.roster'))).toBe(false);

    // migrate creates it; the plan is the same.
    const migrated = await runCli(['migrate'], cwd);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^The store pglite .*\/\.roster\/live is at schema version \d+ \(\d+ migration\(s\) applied\); plans can now read it\.\n$/);
    expect(existsSync(join(cwd, '.roster/live/PG_VERSION'))).toBe(true);
    expect((await runCli(['plan', ...NOW], cwd)).stdout).toBe(first.stdout);
  });

  it('refuses to read a store older than this roster, naming roster migrate, and does not migrate it', async () => {
    const db = await freshPglite();
    // The store as the roster before migration 5 left it.
    await db.exec('delete from roster_migrations where version = 5; drop policy packages_reader on packages');
    const error = await PostgresProvider.open({ pglite: db, access: 'read' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreNotReadyError);
    expect((error as Error).message).toMatch(
      /^the store is at schema version \d+; this roster needs version \d+\. Nothing was changed: run `roster migrate` \(or `roster apply`, which migrates first\)/,
    );
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from roster_migrations');
    const writer = await PostgresProvider.open({ pglite: db });
    expect((await db.query<{ n: number }>('select count(*)::int as n from roster_migrations')).rows[0]!.n).toBe(rows[0]!.n + 1);
    await writer.close();
    await db.close();
  });
});

describeUnless(SERVER_SKIP, 'a plan on a PostgreSQL server reads only', () => {
  const url = SERVER_URL!;
  const suffix = randomBytes(5).toString('hex');
  const schema = `roster_ro_${suffix}`;
  const reader = `roster_ro_reader_${suffix}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const asReader = () => {
    const u = new URL(url);
    u.username = reader;
    u.password = '';
    return u.toString();
  };
  afterAll(async () => {
    await dropSchemas(url, [schema, `${schema}_typo`]);
    await admin(async (c) => {
      await c.query(`drop owned by ${reader}`).catch(() => undefined);
      await c.query(`drop role if exists ${reader}`);
    });
  });

  it('plans with a login that has only SELECT; apply with it fails with a permission error', async () => {
    const cwd = tempTree({ 'users/base.yaml': WITH_PACKAGE });
    const owner = { ROSTER_DATABASE_URL: url, ROSTER_DATABASE_SCHEMA: schema };
    expect((await runCli(['migrate'], cwd, owner)).code).toBe(0);
    expect((await runCli(['apply', '--yes', ...NOW], cwd, owner)).code).toBe(0);
    await admin(async (c) => {
      await c.query(`create role ${reader} login`);
      // Only the read-only role the store creates (docs/providers.md): SELECT, no DML, no DDL.
      await c.query(`grant roster_reader to ${reader}`);
    });
    const readOnly = { ROSTER_DATABASE_URL: asReader(), ROSTER_DATABASE_SCHEMA: schema };
    const same = await runCli(['plan', '--detailed-exitcode', ...NOW], cwd, readOnly);
    expect(same.stderr).toBe('');
    expect(same.stdout).toBe('No changes. The live system matches the declaration.\n');
    expect(same.code).toBe(0);
    expect((await runCli(['audit', 'verify', '--store'], cwd, readOnly)).stdout).toContain('the postgres audit store: OK, 13 event(s), hash chain intact');

    writeTree(cwd, { 'users/base.yaml': ONE_MORE });
    const changed = await runCli(['plan', ...NOW], cwd, readOnly);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('Plan: 1 to add, 0 to change, 0 to remove.');
    const refused = await runCli(['apply', '--yes', ...NOW], cwd, readOnly);
    expect(refused.code).toBe(8);
    expect(refused.stderr).toMatch(/permission denied/);
    noTrace(refused.stderr);
    expect((await runCli(['plan', ...NOW], cwd, readOnly)).stdout).toContain('Plan: 1 to add, 0 to change, 0 to remove.');
  });

  it('a mistyped schema is an error naming roster migrate, and is not created', async () => {
    const cwd = tempTree({ 'users/base.yaml': BASE });
    const r = await runCli(['plan', ...NOW], cwd, { ROSTER_DATABASE_URL: url, ROSTER_DATABASE_SCHEMA: `${schema}_typo` });
    expect(r.code).toBe(8);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Error: there is no schema "${schema}_typo" on `);
    expect(r.stderr).toContain('check ROSTER_DATABASE_SCHEMA (default public). Nothing was created; to create a new store there, run `roster migrate`');
    noTrace(r.stderr);
    expect(await admin(async (c) => (await c.query('select 1 from pg_namespace where nspname = $1', [`${schema}_typo`])).rowCount)).toBe(0);
  });

  it('a store older than this roster is an error naming roster migrate, until migrated', async () => {
    const cwd = tempTree({ 'users/base.yaml': WITH_PACKAGE });
    const owner = { ROSTER_DATABASE_URL: url, ROSTER_DATABASE_SCHEMA: schema };
    const version = await admin(async (c) => {
      const max = (await c.query<{ v: number }>(`select max(version) as v from ${schema}.roster_migrations`)).rows[0]!.v;
      await c.query(`delete from ${schema}.roster_migrations where version = $1`, [max]);
      return max;
    });
    const r = await runCli(['plan', ...NOW], cwd, owner);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(`is at schema version ${version - 1}; this roster needs version ${version}. Nothing was changed: run \`roster migrate\``);
    noTrace(r.stderr);
  });
});

describe('a plan with errors', () => {
  it('puts its problems on stderr and never says "No changes"', async () => {
    const negative = BASE + 'credits:\n  - id: oops\n    to: bob@acme.test\n    amount: -5\n    reason: a correction with nothing to correct\n';
    const cwd = tempTree({ 'users/base.yaml': negative });
    const r = await runCli(['plan', ...NOW], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^users\/base\.yaml:\d+:\d+: error: credit grant oops would take bob@acme\.test's awarded balance to -5 \(it is 0\)\n/);
    expect(r.stdout).not.toContain('error:');
    expect(r.stdout).not.toContain('No changes');
    expect(r.stdout).toMatch(/^The plan has 1 error\(s\); fix them, then plan again\. Nothing can be applied until then\.\n\nroster will perform/);
    expect(existsSync(join(cwd, '.roster'))).toBe(false);
  });
});
