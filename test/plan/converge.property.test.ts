import fc from 'fast-check';
import { describe, it } from 'vitest';
import { convergenceProperty, PROPERTY_RUNS } from '../helpers/convergence.ts';
import { embeddedStoreForSuite } from '../helpers/store.ts';

describe('convergence (property, judged by an independent oracle)', () => {
  const suite = embeddedStoreForSuite();

  // A generous limit per case, not a speed requirement: a loaded machine must not fail the run.
  it(
    `${PROPERTY_RUNS} random sequences of declarations with drift between them: each apply leaves the store as declared, and planning again finds nothing`,
    async () => {
      await fc.assert(convergenceProperty({ store: suite.store }), { numRuns: PROPERTY_RUNS });
    },
    PROPERTY_RUNS * 10_000,
  );
});
