import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';

const registered: pulumi.runtime.MockResourceArgs[] = [];
const LAST_APPLY = { summary: { add: 3, change: 1, remove: 0 }, audit: { first: 7, last: 10 } };
const USERS = { managed: 4, active: 3, invited: 1, inactive: 0, suspended: 0 };

// The engine's side is mocked: this checks the example program's wiring (the package entry, paths, exported outputs).
await pulumi.runtime.setMocks(
  {
    newResource: async (args) => {
      registered.push(args);
      return {
        id: `${args.name}-id`,
        state: args.type.startsWith('pulumi-nodejs:dynamic') ? { ...args.inputs, storeId: 'store-1', lastApply: LAST_APPLY, users: USERS } : {},
      };
    },
    call: (args) => args.inputs,
  },
  'people',
  'dev',
);
const program = await import('../../examples/pulumi/index.ts');
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));

describe('examples/pulumi', () => {
  it('loads roster/pulumi by its package entry and exports the declaration outputs', async () => {
    expect(await value(program.summary)).toEqual(LAST_APPLY.summary);
    expect(await value(program.audit)).toEqual(LAST_APPLY.audit);
    expect(await value(program.users)).toEqual(USERS);
    expect(await value(program.storeId)).toBe('store-1');
    expect(registered.map((r) => r.type)).toEqual(['roster:index:RosterDeclaration', 'pulumi-nodejs:dynamic/roster:Declaration']);
  });

  it('points at the example declaration, relative to the Pulumi project folder', () => {
    const dir = registered[1]!.inputs.dir as string;
    expect(existsSync(resolve(import.meta.dirname, '../../examples/pulumi', dir, 'settings.yaml'))).toBe(true);
  });
});
