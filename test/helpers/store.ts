import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPglite, type EmbeddedDb } from '../../src/providers/postgres/embedded.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { migratedStore } from './pglite-snapshots.ts';

/** Set by .ci/run (and by developers) to run the provider tests on a real PostgreSQL server too. */
export const SERVER_URL = process.env.ROSTER_TEST_DATABASE_URL;
/** Why the server's tests are skipped, when they are; shown in their names. */
export const SERVER_SKIP = SERVER_URL ? undefined : 'set ROSTER_TEST_DATABASE_URL to run them on a PostgreSQL server';

const noServer = (): never => {
  throw new Error(`no PostgreSQL server: ${SERVER_SKIP}`);
};

/** A migrated in-memory PGlite, cloned from one snapshot per test run (a fresh initdb costs ~5 s, a load ~1 s). */
export async function freshPglite(): Promise<EmbeddedDb> {
  return openPglite(undefined, { loadDataDir: await migratedStore() });
}

export interface Engine {
  name: string;
  /** Why this engine's tests cannot run here (no server configured); see describeEach. */
  skip?: string;
  /** Opens a provider on an empty, migrated store; `close()` also drops it. */
  open(): Promise<PostgresProvider>;
  /** The environment a child `roster` process needs to reach the same store, given a working dir. */
  env(cwd: string): Record<string, string>;
}

export const pgliteEngine: Engine = {
  name: 'pglite',
  open: async () => {
    const db = await freshPglite();
    const provider = await PostgresProvider.open({ pglite: db });
    const close = provider.close.bind(provider);
    provider.close = async () => {
      await close();
      await db.close();
    };
    return provider;
  },
  env: (cwd) => ({ ROSTER_DATA_DIR: `${cwd}/.roster/live` }),
};

/** Each test gets its own schema on the server, dropped afterwards. */
export function serverEngine(url: string): Engine {
  let schema = '';
  return {
    name: 'postgres-server',
    open: async () => {
      schema = `roster_test_${randomBytes(6).toString('hex')}`;
      const provider = await PostgresProvider.open({ databaseUrl: url, schema });
      const close = provider.close.bind(provider);
      const dropped = schema;
      provider.close = async () => {
        await close();
        await dropSchemas(url, [dropped]);
      };
      return provider;
    },
    env: () => ({ ROSTER_DATABASE_URL: url, ROSTER_DATABASE_SCHEMA: schema }),
  };
}

/** Drops test schemas from the server, with what is in them. */
export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`drop schema if exists ${s} cascade`);
  } finally {
    await client.end();
  }
}

/** PGlite, and the PostgreSQL server: skipped, saying why, unless ROSTER_TEST_DATABASE_URL is set. */
export function engines(): Engine[] {
  return [pgliteEngine, SERVER_URL ? serverEngine(SERVER_URL) : { name: 'postgres-server', skip: SERVER_SKIP, open: noServer, env: noServer }];
}

/** A store that both a child `roster` process (through `env`) and the test (through `open`) can reach. */
export interface SharedStore {
  env: Record<string, string>;
  open(): Promise<PostgresProvider>;
}

const sharedSchemas: string[] = [];
afterAll(async () => {
  if (SERVER_URL && sharedSchemas.length) await dropSchemas(SERVER_URL, sharedSchemas.splice(0));
});

/**
 * Kinds of shared store: an embedded data dir under the working dir, and a
 * fresh schema on the server (dropped after the test file), skipped, saying
 * why, unless ROSTER_TEST_DATABASE_URL is set. `embedded` says whether the
 * store is a copyable folder.
 */
export function sharedStores(prefix: string): { name: string; skip?: string; embedded: boolean; make: (cwd: string) => SharedStore }[] {
  const embedded = {
    name: 'pglite',
    embedded: true,
    make: (cwd: string): SharedStore => ({
      env: { ROSTER_DATA_DIR: `${cwd}/.roster/live` },
      open: () => PostgresProvider.open({ dataDir: `${cwd}/.roster/live` }),
    }),
  };
  if (!SERVER_URL) return [embedded, { name: 'postgres-server', skip: SERVER_SKIP, embedded: false, make: noServer }];
  const url = SERVER_URL;
  const server = {
    name: 'postgres-server',
    embedded: false,
    make: (): SharedStore => {
      const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
      sharedSchemas.push(schema);
      return { env: { ROSTER_DATABASE_URL: url, ROSTER_DATABASE_SCHEMA: schema }, open: () => PostgresProvider.open({ databaseUrl: url, schema }) };
    },
  };
  return [embedded, server];
}

/**
 * A provider on a migrated in-memory PGlite for the whole describe block:
 * opened before its tests, closed after them. Read `.store` inside tests.
 */
export function embeddedStoreForSuite(): { readonly store: PostgresProvider } {
  let db: EmbeddedDb | undefined;
  let store: PostgresProvider | undefined;
  beforeAll(async () => {
    db = await freshPglite();
    store = await PostgresProvider.open({ pglite: db });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });
  return {
    get store() {
      if (!store) throw new Error('the suite store is opened in beforeAll: read it inside a test');
      return store;
    },
  };
}
