import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/engine/location.ts';
import { runCli } from '../helpers/cli.ts';
import { BASE } from '../helpers/declare.ts';
import { gitRepo } from '../helpers/git.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

describe('where the embedded store and the trail live', () => {
  it('is the repository root, found from the declaration, whatever the working dir', async () => {
    const repo = gitRepo({ 'org/users/base.yaml': BASE });
    const applied = await runCli(['apply', '--yes', '-d', 'org/users', ...NOW], repo.dir);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('trail in .roster/audit.jsonl.');
    // From inside the declaration folder: the same store (nothing to do), and no second store next to it.
    const inside = join(repo.dir, 'org/users');
    const again = await runCli(['plan', '-d', '.', ...NOW], inside);
    expect(again.stdout).toBe('No changes. The live system matches the declaration.\n');
    expect(existsSync(join(inside, '.roster'))).toBe(false);
    expect(existsSync(join(repo.dir, 'org/.roster'))).toBe(false);
    // The trail is found there too, and shown relative to where the person is.
    const list = await runCli(['audit', 'verify', '-d', '.'], inside);
    expect(list.stdout).toContain('../../.roster/audit.jsonl: OK, 11 event(s), hash chain intact');
  });

  it('outside a repository, is next to the declaration folder', () => {
    const dir = tempTree({ 'a/users/x.yaml': '' });
    expect(projectRoot(join(dir, 'a/users'))).toBe(join(dir, 'a'));
    const repo = gitRepo({ 'deep/er/users/x.yaml': '' });
    expect(projectRoot(join(repo.dir, 'deep/er/users'))).toBe(repo.dir);
  });
});

describe('in CI the embedded store must be asked for', () => {
  for (const env of [{ CI: 'true' }, { GITHUB_ACTIONS: 'true' }] as Record<string, string>[]) {
    it(`refuses it when ${Object.keys(env)[0]} is set and no database or data dir is named, creating nothing`, async () => {
      const cwd = tempTree({ 'users/base.yaml': BASE });
      for (const args of [['plan'], ['apply', '--yes'], ['audit', 'verify', '--store']]) {
        const r = await runCli([...args, ...NOW], cwd, env);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^Error: refusing the embedded store in CI \((CI|GITHUB_ACTIONS) is set\) without ROSTER_DATABASE_URL/);
        expect(r.stderr).toContain('--data-dir DIR or ROSTER_DATA_DIR=DIR');
        expect(r.stdout).toBe('');
      }
      expect(existsSync(join(cwd, '.roster'))).toBe(false);
      // validate needs no store.
      expect((await runCli(['validate'], cwd, env)).code).toBe(0);
    });
  }

  it('uses it when named, and takes CI=false as not CI', async () => {
    const cwd = tempTree({ 'users/base.yaml': BASE });
    mkdirSync(join(cwd, 'store'));
    const named = await runCli(['plan', ...NOW], cwd, { CI: 'true', ROSTER_DATA_DIR: 'store/live' });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('Plan: 11 to add');
    const flag = await runCli(['plan', '--data-dir', 'store/live', ...NOW], cwd, { GITHUB_ACTIONS: 'true' });
    expect(flag.code).toBe(0);
    expect((await runCli(['plan', ...NOW], cwd, { CI: 'false' })).code).toBe(0);
  });
});
