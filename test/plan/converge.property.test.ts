import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EmbeddedDb } from '../../src/providers/postgres/embedded.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { convergenceProperty, PROPERTY_RUNS } from '../helpers/convergence.ts';
import { freshPglite } from '../helpers/store.ts';

describe('convergence (property, judged by an independent oracle)', () => {
  let db: EmbeddedDb;
  let store: PostgresProvider;
  beforeAll(async () => {
    db = await freshPglite();
    store = await PostgresProvider.open({ pglite: db });
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  // A generous limit per case, not a speed requirement: a loaded machine must not fail the run.
  it(`${PROPERTY_RUNS} random sequences of declarations with drift between them: each apply leaves the store as declared, and planning again finds nothing`, async () => {
    await fc.assert(convergenceProperty({ store }), { numRuns: PROPERTY_RUNS });
  }, PROPERTY_RUNS * 10_000);
});
