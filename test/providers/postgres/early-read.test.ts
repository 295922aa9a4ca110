import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/errors.ts';
import { plan } from '../../../src/plan/index.ts';
import { discardEarlyRead, EARLY_READ_MIN_BYTES, startEarlyRead, worthReadingEarly } from '../../../src/providers/postgres/early-read.ts';
import { openPglite } from '../../../src/providers/postgres/embedded.ts';
import { PostgresProvider } from '../../../src/providers/postgres/index.ts';
import { acquireFileLock } from '../../../src/providers/postgres/lock.ts';
import { MIGRATIONS } from '../../../src/providers/postgres/migrations.ts';
import { converge } from '../../helpers/apply.ts';
import { BASE, NOW, declare } from '../../helpers/declare.ts';
import { tempTree, writeTree } from '../../helpers/tree.ts';

const declaration = declare({
  'users/a.yaml': `${BASE}  - { email: zoe@acme.test, role: member, name: "tab\\there, Zoë 😀", workspaces: { analytics: member } }\n`,
});

describe('reading the embedded store on a worker thread while the declaration loads', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(tempTree(), 'live');
    const provider = await PostgresProvider.open({ dataDir });
    await converge(provider, declaration);
    await provider.close();
  }, 60_000);

  it('reads what the provider reads, holds the store’s lock until the provider that takes over is closed, and opens the store only when asked for more', async () => {
    const usual = await PostgresProvider.open({ dataDir });
    const expected = await usual.read();
    await usual.close();

    const early = await startEarlyRead(dataDir);
    expect(early).toBeDefined();
    await expect(acquireFileLock(`${dataDir}.lock`, 0, 'the store')).rejects.toThrow(LockedError);
    const provider = await PostgresProvider.open({ dataDir, early });
    expect(await provider.read()).toEqual(expected);
    expect(plan(declaration, expected, NOW).steps).toEqual([]);
    // A second read, and anything else, goes to the store itself, opened now on this thread.
    await provider.client.exec(`update users set department = 'moved' where email = 'zoe@acme.test'`);
    expect((await provider.read()).users.find((u) => u.email === 'zoe@acme.test')?.department).toBe('moved');
    await provider.client.exec(`update users set department = null where email = 'zoe@acme.test'`);
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    await provider.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 60_000);

  it('leaves a store that needs migrating to the provider, which migrates it under the same lock', async () => {
    // A store no roster has migrated yet: PGlite's own database, nothing else.
    const bare = join(tempTree(), 'bare');
    await (await openPglite(bare)).close();

    const early = await startEarlyRead(bare);
    expect(early).toBeDefined();
    expect(await early!.tables).toBeUndefined();
    const provider = await PostgresProvider.open({ dataDir: bare, early });
    expect((await provider.client.query<{ version: number }>('select version from roster_migrations order by version')).rows.map((r) => r.version)).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    await converge(provider, declaration);
    expect(plan(declaration, await provider.read(), NOW).steps).toEqual([]);
    await provider.close();
    expect(existsSync(`${bare}.lock`)).toBe(false);
  }, 60_000);

  it('does not start without a store, nor while another run holds it; a discarded read lets the store go', async () => {
    expect(await startEarlyRead(join(tempTree(), 'none'))).toBeUndefined();
    const release = await acquireFileLock(`${dataDir}.lock`, 0, 'the store');
    expect(await startEarlyRead(dataDir)).toBeUndefined();
    await release();

    const early = await startEarlyRead(dataDir);
    await discardEarlyRead(early);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const provider = await PostgresProvider.open({ dataDir });
    expect(plan(declaration, await provider.read(), NOW).steps).toEqual([]);
    await provider.close();
  }, 60_000);

  it('is worth it only for a declaration of a megabyte or more, counting YAML files in sub-folders', () => {
    const dir = tempTree({ 'users/a.yaml': BASE, 'users/notes.txt': 'x'.repeat(EARLY_READ_MIN_BYTES) });
    expect(worthReadingEarly(join(dir, 'users'))).toBe(false);
    writeTree(dir, { 'users/people/b.yml': `# ${'x'.repeat(EARLY_READ_MIN_BYTES)}\n` });
    expect(worthReadingEarly(join(dir, 'users'))).toBe(true);
    expect(worthReadingEarly(join(dir, 'none'))).toBe(false);
  });
});
