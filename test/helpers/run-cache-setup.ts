import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** vitest globalSetup: the folder oncePerRun (run-cache.ts) keeps this run's shared fixtures in. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-run-'));
  project.provide('rosterRunCache', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
