import { describe, expect, it } from 'vitest';
import { engines, SERVER_URL, sharedStores } from './helpers/store.ts';
import { targets } from './helpers/targets.ts';

/**
 * The server's tests are reported as skipped, with the reason, when no server
 * is configured: never silently left out, so a run without it shows skipped
 * tests instead of fewer tests.
 */
describe('tests that need a PostgreSQL server', () => {
  const reason = SERVER_URL ? undefined : 'set ROSTER_TEST_DATABASE_URL to run them on a PostgreSQL server';

  it('are listed by every engine list, skipped with the reason when there is no server', () => {
    expect(engines().map((e) => [e.name, e.skip])).toEqual([
      ['pglite', undefined],
      ['postgres-server', reason],
    ]);
    expect(sharedStores('roster_skips').map((s) => [s.name, s.skip])).toEqual([
      ['pglite', undefined],
      ['postgres-server', reason],
    ]);
    expect(targets().map((t) => [t.name, t.skip])).toEqual([
      ['postgres on pglite', undefined],
      ['postgres on postgres-server', reason],
      ['scim with /Bulk', undefined],
      ['scim', undefined],
      ['scim on @better-auth/scim', undefined],
      ['github', undefined],
    ]);
  });
});
