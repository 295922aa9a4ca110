import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A folder for fixtures made once per run and shared by the test files (test/helpers/run-cache.ts).
    globalSetup: ['test/helpers/run-cache-setup.ts'],
    // Timeouts catch a hang, not a slow machine: a test that needs a deadline
    // asserts a count of work instead. Eight runs sharing two cores made
    // single PGlite tests take over a minute.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // PGlite instances are heavy; two workers on the 2-core machines.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
