import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plannerDroppingDepartment, writerDroppingDepartment } from '../fakes/mutants.ts';
import { convergenceProperty, OracleMismatch, type PropertyParts } from '../helpers/convergence.ts';
import { embeddedStoreForSuite } from '../helpers/store.ts';

/**
 * The oracle can fail: given a planner or a writer that loses a field, the
 * convergence property finds a counterexample, and it is the oracle that
 * finds it (planning again with a broken planner sees nothing wrong).
 * A fixed seed, no shrinking: the first failing case is enough.
 */
const SEED = 11;

describe('the convergence oracle catches mutants', () => {
  const suite = embeddedStoreForSuite();

  const counterexample = async (parts: Omit<PropertyParts, 'store'>) => {
    const result = await fc.check(convergenceProperty({ store: suite.store, ...parts }), { numRuns: 20, seed: SEED, endOnFailure: true });
    return { failed: result.failed, error: result.errorInstance };
  };

  it('a planner that drops department from user steps', async () => {
    const { failed, error } = await counterexample({ planner: plannerDroppingDepartment });
    expect(failed).toBe(true);
    expect(error).toBeInstanceOf(OracleMismatch);
    expect((error as Error).message).toMatch(/^users\.[a-z]+@acme\.test\.department: /m);
  }, 200_000);

  it('a writer that drops department when writing', async () => {
    const { failed, error } = await counterexample({ provider: writerDroppingDepartment(suite.store) });
    expect(failed).toBe(true);
    expect(error).toBeInstanceOf(OracleMismatch);
    expect((error as Error).message).toMatch(/^users\.[a-z]+@acme\.test\.department: /m);
  }, 200_000);
});
