import { openPglite } from '../../src/providers/postgres/embedded.ts';
import { migrate } from '../../src/providers/postgres/migrations.ts';
import { pgliteClient } from '../../src/providers/postgres/sql.ts';
import { oncePerRun } from './run-cache.ts';

/**
 * PGlite data dirs to start in-memory databases from: an initdb costs ~5 s
 * of CPU, loading a dump ~1 s. Each is made once per test run (run-cache.ts),
 * and once per test file at most.
 */
let empty: Promise<Blob> | undefined;
let migrated: Promise<Blob> | undefined;

/** A cluster straight after initdb, with nothing in it. */
export function emptyCluster(): Promise<Blob> {
  return (empty ??= snapshot('pglite-empty.tar', async () => {
    const db = await openPglite();
    return dump(db);
  }));
}

/** A cluster holding an empty roster store, migrated to the latest version. */
export function migratedStore(): Promise<Blob> {
  return (migrated ??= snapshot('pglite-migrated.tar', async () => {
    const db = await openPglite(undefined, { loadDataDir: await emptyCluster() });
    await migrate(pgliteClient(db));
    return dump(db);
  }));
}

async function snapshot(name: string, make: () => Promise<Uint8Array<ArrayBuffer>>): Promise<Blob> {
  return new Blob([await oncePerRun(name, make)]);
}

async function dump(db: Awaited<ReturnType<typeof openPglite>>): Promise<Uint8Array<ArrayBuffer>> {
  const blob = await db.dumpDataDir('none');
  await db.close();
  return new Uint8Array(await blob.arrayBuffer());
}
