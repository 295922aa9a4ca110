import { ExitCode } from '../../errors.ts';
import { PostgresProvider } from '../../providers/postgres/index.ts';
import { CURRENT_VERSION } from '../../providers/postgres/migrations.ts';
import { openProvider, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

/**
 * Creates the postgres store (the server's schema, or the embedded data
 * dir) and brings it to this roster's schema version: the one step a plan
 * never takes, so that plans can run with a login that may only read.
 */
export async function migrateStore(opts: GlobalOptions, io: Io): Promise<number> {
  const provider = await openProvider(opts, io);
  try {
    const { target } = provider.describe();
    const versions = provider instanceof PostgresProvider ? (await provider.client.query<{ n: number }>('select count(*)::int as n from roster_migrations')).rows[0]!.n : CURRENT_VERSION;
    io.out(`The store ${target} is at schema version ${CURRENT_VERSION} (${versions} migration(s) applied); plans can now read it.\n`);
    return ExitCode.ok;
  } finally {
    await provider.close();
  }
}
