import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { PRECOMPILED_PATH, SCHEMA_PATH, compileValidator, precompiledValidator, validatorModuleSource } from '../../src/declaration/schema.ts';
import { tempTree } from '../helpers/tree.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const schemaText = readFileSync(SCHEMA_PATH, 'utf8');

let built: string | undefined;
/** The module the build writes (scripts/build.mjs), in a folder that finds ajv's run-time helpers as dist/ does; made once. */
function builtModule(): string {
  if (!built) {
    const dir = tempTree({ 'schema-validator.cjs': validatorModuleSource(schemaText) });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    built = join(dir, 'schema-validator.cjs');
  }
  return built;
}

/** Values that pass, and values that break each kind of rule the schema has (the error texts of schema.ts map each). */
const SAMPLES: unknown[] = [
  ...['users/credits.yaml', 'users/people/engineering.yaml', 'users/settings.yaml'].map((f) => parseYaml(readFileSync(join(ROOT, f), 'utf8'))),
  {},
  [],
  'text',
  { organisations: [{ name: 'acme' }] },
  {
    users: [
      {
        email: 'not an email',
        role: 'Admin!',
        departement: 'x',
        projects: 5,
        workspaces: { 'Bad Name': 'admin' },
        expires: '2026-02-30',
        packages: ['a', 'a'],
      },
    ],
  },
  { users: [{ role: 'developer' }] },
  {
    credits: [
      { id: 'UPPER', to: { team: 'a' }, amount: 0, kind: 'bought' },
      { id: 'b', to: ['a@x.test', 'nope'], amount: 1.5 },
    ],
  },
  { settings: { guards: { minAdmins: -1, maxRemovalPercent: 'ten' }, provider: 'ldap' } },
  { roles: [{ name: 'a', permissions: { tokens: 'x', 'Bad Key': 'read' }, password: 'x' }] },
];

describe("the build's compiled schema validator", () => {
  it('is used when it was compiled from the schema on disk, and judges every value as a run-time compile does, with the same errors', () => {
    const fromBuild = precompiledValidator(schemaText, builtModule());
    expect(fromBuild).toBeTypeOf('function');
    const compiled = compileValidator(JSON.parse(schemaText) as Record<string, unknown>);
    for (const value of SAMPLES) {
      expect({ valid: fromBuild!(value), errors: fromBuild!.errors }).toEqual({ valid: compiled(value), errors: compiled.errors });
    }
    expect(SAMPLES.filter((v) => !compiled(v))).toHaveLength(SAMPLES.length - 3);
  });

  it('is ignored once the schema differs from the one it was compiled from: a schema edited after the build is compiled at run time', () => {
    const file = builtModule();
    expect(precompiledValidator(schemaText.replace('"enum": ["awarded", "purchased"]', '"enum": ["awarded"]'), file)).toBeUndefined();
    expect(precompiledValidator(`${schemaText}\n`, file)).toBeUndefined();
    expect(precompiledValidator(schemaText, file)).toBeTypeOf('function');
  });

  it('is absent beside the sources, which always compile the schema', () => {
    expect(precompiledValidator(schemaText, join(tempTree(), 'schema-validator.cjs'))).toBeUndefined();
    expect(existsSync(PRECOMPILED_PATH)).toBe(false);
  });
});
