import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import Module from 'node:module';
import { describe, expect, it } from 'vitest';
import { rosterProvider, type RosterInputs } from '../../src/pulumi/provider.ts';
import { assertNoSecrets, CANARY_SECRETS } from '../helpers/cli.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../users');
const NOW = '2026-11-23T12:00:00Z';

// The program's folder: a copy of the example declaration, and the store the provider applies to.
const cwd = tempTree();
cpSync(EXAMPLE, join(cwd, 'users'), { recursive: true });
const env = { ROSTER_ACTOR: 'test', ...CANARY_SECRETS };
const registered: pulumi.runtime.MockResourceArgs[] = [];

// Under mocks Pulumi calls no provider: the mock plays the engine, running roster's provider (check, then create) for the dynamic resource.
await pulumi.runtime.setMocks(
  {
    newResource: async (args) => {
      registered.push(args);
      if (!args.type.startsWith('pulumi-nodejs:dynamic')) return { id: `${args.name}-id`, state: {} };
      const provider = rosterProvider({ env, cwd });
      const { __provider: _code, ...inputs } = args.inputs as RosterInputs & { __provider: string };
      const checked = await provider.check({} as RosterInputs, inputs);
      if (checked.failures) throw new Error(JSON.stringify(checked.failures));
      const created = await provider.create(checked.inputs!);
      return { id: created.id, state: created.outs };
    },
    call: (args) => args.inputs,
  },
  'people',
  'dev',
);
const { RosterDeclaration, COMPONENT_TYPE, STATE_TYPE } = await import('../../src/pulumi/index.ts');

/** What the dynamic provider host does with the serialized text (require-from-string): compile it as a module of its own. */
function requireFromString(code: string): { handler: () => unknown } {
  const m = new Module(join(cwd, '__provider.js')) as Module & { _compile(code: string, file: string): void };
  m.filename = join(cwd, '__provider.js');
  m._compile(code, m.filename);
  return m.exports as { handler: () => unknown };
}

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));

describe('RosterDeclaration under Pulumi mocks', () => {
  const people = new RosterDeclaration('people', { dir: 'users', provider: { dataDir: '.roster/live' }, now: NOW });

  it('registers the component and one dynamic resource under it, with the outputs of a real apply of users/', async () => {
    const users = await value(people.users);
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      [COMPONENT_TYPE, 'people'],
      [STATE_TYPE, 'people'],
    ]);
    const state = registered[1]!;
    expect(state.inputs).toMatchObject({ dir: 'users', store: { dataDir: '.roster/live' }, now: NOW });
    expect(users.managed).toBeGreaterThanOrEqual(40);
    const summary = await value(people.summary);
    expect(summary.add).toBeGreaterThan(40);
    const audit = (await value(people.audit))!;
    expect(audit.first).toBe(1);
    expect(audit.last).toBeGreaterThanOrEqual(summary.add);
    expect(await value(people.storeId)).toMatch(/\S/);
  });

  it('the serialized provider captures no secret and no state, and runs roster in a fresh module context', async () => {
    const code = registered[1]!.inputs.__provider as string;
    expect(code).toContain('provider.ts');
    assertNoSecrets(env, code, JSON.stringify(registered));
    // What the dynamic provider host does with it: evaluate, build, call.
    const hosted = requireFromString(code).handler() as ReturnType<typeof rosterProvider>;
    const broken = tempTree();
    writeTree(broken, { 'users/a.yaml': 'users:\n  - email: a@acme.test\n    rol: admin\n' });
    const checked = await hosted.check({} as RosterInputs, { dir: join(broken, 'users'), store: {} });
    expect(checked.failures?.map((f) => f.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/a\.yaml:3:5: error: .*rol/)]));
  });
});
