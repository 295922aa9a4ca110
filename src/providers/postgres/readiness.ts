import { StoreNotReadyError } from '../../errors.ts';
import { CURRENT_VERSION, schemaState } from './migrations.ts';
import type { SqlClient } from './sql.ts';

/**
 * What a run may do to the store's schema. `read` (plan, audit, history)
 * never creates a schema, runs a migration or creates a role, so a login
 * with only SELECT can plan; `write` (apply, migrate) creates and migrates
 * as needed.
 */
export type Access = 'read' | 'write';

const MIGRATE = 'run `roster migrate` (or `roster apply`, which migrates first) with a login that may change the schema';

/** Whether the store is a roster store at this roster's schema version (read only). */
export async function isCurrent(sql: SqlClient): Promise<boolean> {
  const state = await schemaState(sql);
  return state.store && state.pending.length === 0;
}

/** Throws StoreNotReadyError, naming the fix, unless the store is at this roster's schema version. */
export async function requireCurrent(sql: SqlClient, store: string, noStore: string): Promise<void> {
  const state = await schemaState(sql);
  if (!state.store) throw new StoreNotReadyError(noStore);
  if (state.pending.length > 0) {
    throw new StoreNotReadyError(
      `${store} is at schema version ${state.version}; this roster needs version ${CURRENT_VERSION}. Nothing was changed: ${MIGRATE}`,
    );
  }
}

/**
 * The server's schema must exist, be usable by this login, and hold a
 * current roster store: a mistyped ROSTER_DATABASE_SCHEMA is an error, never
 * an empty store whose plan calls everything new.
 */
export async function requireServerStore(sql: SqlClient, schema: string, target: string): Promise<void> {
  const { rows } = await sql.query<{ present: boolean; usable: boolean | null; login: string }>(
    `select n.oid is not null as present, has_schema_privilege(current_user, n.oid, 'USAGE') as usable, current_user as login
       from (select 1) one left join pg_namespace n on n.nspname = $1`,
    [schema],
  );
  const found = rows[0]!;
  if (!found.present) {
    throw new StoreNotReadyError(
      `there is no schema "${schema}" on ${target}: check ROSTER_DATABASE_SCHEMA (default public). Nothing was created; to create a new store there, ${MIGRATE}`,
    );
  }
  if (!found.usable)
    throw new StoreNotReadyError(
      `the login ${found.login} may not use the schema "${schema}" on ${target}: grant it USAGE on the schema and SELECT on its tables (docs/providers.md)`,
    );
  await requireCurrent(
    sql,
    `the store in schema "${schema}" on ${target}`,
    `the schema "${schema}" on ${target} holds no roster store (no roster_migrations table): check ROSTER_DATABASE_SCHEMA, or, to create a store there, ${MIGRATE}`,
  );
}

/** An embedded store that must exist (audit and history read it; a plan reads a missing one as empty). */
export const noEmbeddedStore = (dataDir: string): StoreNotReadyError =>
  new StoreNotReadyError(
    `there is no embedded store at ${dataDir} yet: \`roster apply\` (or \`roster migrate\`) creates it; check --data-dir / ROSTER_DATA_DIR if it should exist`,
  );
