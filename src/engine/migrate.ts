import { PostgresProvider } from '../providers/postgres/index.ts';
import { CURRENT_VERSION } from '../providers/postgres/migrations.ts';
import type { RunContext } from './context.ts';
import { openLive, using } from './stores.ts';

/**
 * `roster migrate`: creates the postgres store (the server's schema, or
 * the embedded data dir) and brings it to this roster's schema version, the
 * one step a plan never takes, so that plans can run with a login that may
 * only read. Says where the store is, its version and the migrations it holds.
 */
export async function runMigrate(ctx: RunContext): Promise<{ target: string; version: number; applied: number }> {
  return using(await openLive(ctx), async (provider) => {
    const { target } = provider.describe();
    const applied =
      provider instanceof PostgresProvider
        ? (await provider.client.query<{ n: number }>('select count(*)::int as n from roster_migrations')).rows[0]!.n
        : CURRENT_VERSION;
    return { target, version: CURRENT_VERSION, applied };
  });
}
