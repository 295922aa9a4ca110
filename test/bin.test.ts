import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempTree, yaml } from './helpers/tree.ts';
import { runCli } from './helpers/cli.ts';
import { SCHEMA_PATH, precompiledValidator } from '../src/declaration/schema.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A copy of bin/ beside a stand-in build and stand-in sources that say which one ran. */
function layout(): { dir: string; run: (env?: Record<string, string>) => string } {
  const dir = tempTree({
    'package.json': '{ "type": "module" }\n',
    'dist/cli/main.js': "export async function main() { process.stdout.write('from the build\\n'); return 0; }\n",
    'src/cli/main.ts': "export async function main(): Promise<number> { process.stdout.write('from the sources\\n'); return 0; }\n",
  });
  mkdirSync(join(dir, 'bin'));
  for (const file of ['roster.js', 'runtime.js']) copyFileSync(join(ROOT, 'bin', file), join(dir, 'bin', file));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const run = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(dir, 'bin/roster.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    return r.stdout + r.stderr;
  };
  return { dir, run };
}
const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('bin/roster.js runs the build when it is fresh, else the sources', () => {
  it('runs the sources when there is no build stamp (a checkout that was never built)', () => {
    expect(layout().run()).toBe('from the sources\n');
  });

  it('runs the build when its stamp is newer than every source, and the sources once one is edited after it', () => {
    const { dir, run } = layout();
    at(join(dir, 'src/cli/main.ts'), 1_000);
    writeFileSync(join(dir, 'dist/.built'), 'stamp\n');
    at(join(dir, 'dist/.built'), 2_000);
    expect(run()).toBe('from the build\n');
    expect(run({ ROSTER_FROM_SOURCES: '1' })).toBe('from the sources\n');
    at(join(dir, 'src/cli/main.ts'), 3_000);
    expect(run()).toBe('from the sources\n');
  });
});

// The real build (`npm ci` runs it through prepare; .ci/run fails without it).
const built = existsSync(join(ROOT, 'dist/.built'));
const fresh = built && statSync(join(ROOT, 'dist/.built')).mtimeMs >= newestSource(join(ROOT, 'src'));
describe.skipIf(!fresh)(`the build in dist/${fresh ? '' : ' (skipped: not built, or older than src/; run npm run build)'}`, () => {
  it('imports no .ts module and carries the worker bootstrap', () => {
    const offenders = jsFiles(join(ROOT, 'dist')).filter((f) => /from '\.{1,2}\/[^']*\.ts'|import\('\.{1,2}\/[^']*\.ts'\)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    expect(existsSync(join(ROOT, 'dist/util/worker-boot.mjs'))).toBe(true);
  });

  it('validates the example as the sources do', async () => {
    for (const args of [['validate'], ['validate', '--format', 'json']]) {
      const fromBuild = spawnSync(process.execPath, [join(ROOT, 'bin/roster.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NO_COLOR: '1', ROSTER_ACTOR: 'test' },
      });
      const fromSources = await runCli(args, ROOT);
      expect({ code: fromBuild.status, out: fromBuild.stdout, err: fromBuild.stderr }).toEqual({
        code: fromSources.code,
        out: fromSources.stdout,
        err: fromSources.stderr,
      });
    }
  });

  it('reports an invalid declaration as the sources do: the same problems at file:line:col, the same exit code', async () => {
    const dir = tempTree(INVALID);
    for (const args of [['validate'], ['validate', '--format', 'json']]) {
      const fromBuild = spawnSync(process.execPath, [join(ROOT, 'bin/roster.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NO_COLOR: '1', ROSTER_ACTOR: 'test' },
      });
      const fromSources = await runCli(args, dir);
      expect({ code: fromBuild.status, out: fromBuild.stdout, err: fromBuild.stderr }).toEqual({
        code: fromSources.code,
        out: fromSources.stdout,
        err: fromSources.stderr,
      });
      expect(fromBuild.status).toBe(1);
    }
    const text = spawnSync(process.execPath, [join(ROOT, 'bin/roster.js'), 'validate'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    }).stderr;
    expect(text).toContain('users/people.yaml:5:5: error: users[0].departement: unknown key "departement"; did you mean "department"?');
    expect(text).toContain('users/credits.yaml:5:11: error: credits[0].kind: must be one of: awarded, purchased');
  });

  it('carries the schema compiled, for the schema as committed', () => {
    expect(precompiledValidator(readFileSync(SCHEMA_PATH, 'utf8'), join(ROOT, 'dist/declaration/schema-validator.cjs'))).toBeTypeOf('function');
  });

  it('validates by a schema edited after the build, not by the validator the build compiled from the old one', () => {
    // A copy of the build beside an edited schema: credits may no longer be purchased.
    const dir = tempTree({ 'package.json': readFileSync(join(ROOT, 'package.json')), 'users/credits.yaml': readFileSync(join(ROOT, 'users/credits.yaml')) });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'src'));
    for (const file of ['roster.js', 'runtime.js']) copyFileSync(join(ROOT, 'bin', file), join(dir, 'bin', file));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const edited = readFileSync(SCHEMA_PATH, 'utf8').replace('"enum": ["awarded", "purchased"]', '"enum": ["awarded"]');
    expect(edited).not.toBe(readFileSync(SCHEMA_PATH, 'utf8'));
    mkdirSync(join(dir, 'schema'));
    writeFileSync(join(dir, 'schema/roster.schema.json'), edited);
    const r = spawnSync(process.execPath, [join(dir, 'bin/roster.js'), 'validate'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    expect(r.stderr).toContain('credits[2].kind: must be one of: awarded');
    expect(r.status).toBe(1);
  });
});

/** A declaration with schema problems of several kinds, in two files. */
const INVALID = {
  'users/people.yaml': yaml`
    users:
      - email: ada@acme.test
        name: Ada
        role: developer
        departement: Data
        projects: 5
        expires: 2026-02-30
      - email: not an email
        role: developer
  `,
  'users/credits.yaml': yaml`
    credits:
      - id: grant-1
        to: ada@acme.test
        amount: 100
        kind: bought
  `,
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}
function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
}
