/**
 * Worker thread: reads the embedded store's tables (early-read.ts) and
 * closes it before it answers, so the store is never open twice.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './embedded.ts';
import { isMigrated } from './migrations.ts';
import { fetchLiveTables, type LiveTables } from './read.ts';
import { pgliteClient } from './sql.ts';

const db = await openPglite((workerData as { dataDir: string }).dataDir);
let tables: LiveTables | undefined;
try {
  const sql = pgliteClient(db);
  // A store an older roster wrote is migrated first, on the main thread, and only once the declaration is known to be valid.
  if (await isMigrated(sql)) tables = await fetchLiveTables(sql);
} finally {
  await db.close();
}
// The COPY outputs are handed over, not copied.
parentPort!.postMessage(tables, tables ? Object.values(tables.copies).map((bytes) => bytes.buffer as ArrayBuffer) : []);
