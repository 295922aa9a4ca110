import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAST_PATH_ASSUMES } from '../../src/declaration/fast-parse.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { fieldAt } from '../../src/model/field-location.ts';
import type { Declaration, LoadResult } from '../../src/model/declaration.ts';
import { NOW } from '../helpers/declare.ts';
import { fragments } from '../helpers/fragments.ts';
import { loadSchema } from '../../src/declaration/schema.ts';
import { tempTree, yaml } from '../helpers/tree.ts';
import { propertyRuns } from '../helpers/property.ts';

/** Loads the same files through both paths. */
function both(files: Record<string, string>): { fast: LoadResult; precise: LoadResult } {
  const dir = tempTree(files);
  return {
    fast: loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir }),
    precise: loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir, precise: true }),
  };
}

/** Every field, list item and map key of every entity, as fieldAt would be asked for it. */
function fieldPaths(entity: object): [string, boolean][] {
  const out: [string, boolean][] = [];
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'at' || value === undefined) continue;
    out.push([key, false], [key, true]);
    if (Array.isArray(value)) value.forEach((_, i) => out.push([`${key}/${i}`, false]));
    else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) out.push([`${key}/${k}`, false], [`${key}/${k}`, true]);
  }
  out.push(['no-such-field', false]);
  return out;
}

function expectSameLocations(fast: Declaration, precise: Declaration): void {
  const kinds = ['organizations', 'roles', 'workspaces', 'projects', 'packages', 'users', 'credits'] as const;
  for (const kind of kinds) {
    fast[kind].forEach((entity, i) => {
      const other = precise[kind][i]!;
      for (const [path, asKey] of fieldPaths(entity))
        expect([kind, path, asKey, fieldAt(entity, path, asKey)]).toEqual([kind, path, asKey, fieldAt(other, path, asKey)]);
    });
  }
  for (const [path, asKey] of [
    ['organization', false],
    ['guards', true],
    ['guards/minAdmins', false],
  ] as const)
    expect(fieldAt(fast.settings, path, asKey)).toEqual(fieldAt(precise.settings, path, asKey));
}

function expectAgreement({ fast, precise }: { fast: LoadResult; precise: LoadResult }): void {
  expect(fast.problems).toEqual(precise.problems);
  expect(fast.declaration).toEqual(precise.declaration);
  if (fast.declaration && precise.declaration) expectSameLocations(fast.declaration, precise.declaration);
}

describe('the fast parse path and the precise path agree', () => {
  it('on generated fragments: same declaration, same problems, same locations of every field', () => {
    let fastFiles = 0;
    let preciseFiles = 0;
    let valid = 0;
    const agree = (files: Parameters<typeof both>[0]) => {
      const result = both(files);
      expectAgreement(result);
      fastFiles += result.fast.parsedBy.fast.length;
      preciseFiles += result.fast.parsedBy.precise.length;
      if (result.fast.declaration) valid++;
    };
    fc.assert(fc.property(fragments, agree), { numRuns: propertyRuns(150) });
    // About one generated tree in five is valid, so 150 runs hold 20 valid ones only most of the time:
    // more trees are drawn (and compared) until they do, rather than the check failing by chance.
    for (let extra = 0; valid <= 20 && extra < 500; extra++) agree(fc.sample(fragments, 1)[0]!);
    // Not vacuous: many files took the fast path, many the precise one, and some declarations were valid.
    expect(fastFiles).toBeGreaterThan(100);
    expect(preciseFiles).toBeGreaterThan(100);
    expect(valid).toBeGreaterThan(20);
  });

  it('on the example declaration in users/', () => {
    const fast = loadDeclaration('users', { now: NOW });
    const precise = loadDeclaration('users', { now: NOW, precise: true });
    expect(fast.parsedBy.precise).toEqual([]);
    expectAgreement({ fast, precise });
  });

  const HAND_WRITTEN: Record<string, string> = {
    'problems found by rules, located in the middle of entities': yaml`
      settings: { organization: acme }
      organizations: [{ name: acme }]
      roles:
        - name: member
      workspaces:
        - name: analytics
          previously: [analytics]
      users:
        # a comment between items
        - email: ann@acme.test
          role: membr          # a typo
          workspaces:
            analytics: member
            nowhere: viewer
          projects: [apollo]
          packages:
            - core
          expires: 2026-01-31

        -   email: ben@acme.test
            role: member
      credits:
        - { id: welcome, to: ann@acme.test, amount: 10, reason: "Welcome!" }
        - id: team
          to: { workspace: nowhere }
          amount: 5
          reason: 'Team bonus'
    `,
    'lists at the key indentation, CRLF line ends, quoted keys': yaml`
      organizations:
      - name: acme
      roles:
      - "name": member
      users:
      - email: "ANN@acme.test"
        role: 'member'
        status: inactive
      credits:
      - id: welcome
        to: ann@acme.test
        amount: 10
        reason: Welcome
    `.replace(/\n/g, '\r\n'),
    'values that look like other types': yaml`
      organizations: [{ name: acme }]
      roles: [{ name: member, description: 2027-03-31 }]
      users:
        - { email: a@acme.test, role: member, name: 0x1F, department: ~ }
        - { email: b@acme.test, role: member, name: "yes", department: '12' }
    `,
    'a duplicate user across files is reported with both places': yaml`
      organizations: [{ name: acme }]
      roles: [{ name: member }]
      users:
        - email: a@acme.test
          role: member
        - email: A@acme.test
          role: member
    `,
  };
  for (const [title, text] of Object.entries(HAND_WRITTEN)) {
    it(`on a hand-written fragment: ${title}`, () => {
      const result = both({ 'users/a.yaml': text, 'users/b.yaml': 'users:\n  - email: a@acme.test\n    role: member\n' });
      expect(result.fast.parsedBy.fast.length).toBeGreaterThan(0);
      expectAgreement(result);
    });
  }

  it('relies on a schema shape that still holds: unknown keys refused everywhere but the name maps, and only the known integers unbounded', () => {
    interface Node {
      type?: string | string[];
      properties?: Record<string, Node>;
      additionalProperties?: boolean | Node;
      items?: Node;
      oneOf?: Node[];
      maximum?: number;
      $ref?: string;
    }
    const schema = loadSchema() as unknown as Node & { definitions: Record<string, Node> };
    const maps: string[] = [];
    const unbounded: string[] = [];
    const walk = (node: Node, path: string) => {
      if (node.properties || node.additionalProperties !== undefined) {
        if (node.additionalProperties !== false) maps.push(path);
        for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, `${path}.${k}`);
      }
      if (node.items) walk(node.items, path);
      node.oneOf?.forEach((n) => walk(n, path));
      const types = [node.type ?? []].flat();
      if ((types.includes('integer') || types.includes('number')) && node.maximum === undefined) unbounded.push(path);
    };
    for (const [name, node] of Object.entries(schema.definitions)) walk(node, name);
    walk({ ...schema }, 'root');
    expect(maps.sort()).toEqual([...FAST_PATH_ASSUMES.nameMaps].sort());
    expect(unbounded.sort()).toEqual([...FAST_PATH_ASSUMES.unboundedIntegers].sort());
  });
});

describe('the fast path locates fields only for problems', () => {
  // A field's place costs a precise parse of its entity, or of its whole file past a budget:
  // a rule asking for places it does not report made 100,000 users take 25 s to validate.
  const people = (n: number, fields: string) =>
    Array.from({ length: n }, (_, i) => `  - { email: p${i}@acme.test, role: member, ${fields.replace(/#/g, String(i))} }\n`).join('');
  /** Every field the provider can hold, so each capability check looks at a used feature and finds it allowed. */
  const HOLDS = {
    postgres: {
      workspace: 'description: Ops',
      user: 'name: P #, department: ops, expires: 2027-01-01, projects: [], packages: [], resendInvitation: r1, status: suspended, workspaces: { ops: admin }',
    },
    scim: { workspace: 'organization: acme', user: 'name: P #, department: ops, status: suspended, workspaces: { ops: member }' },
    github: { workspace: 'organization: acme', user: 'github: login-#, workspaces: { ops: admin }' },
  };

  for (const [provider, holds] of Object.entries(HOLDS)) {
    it(`a valid declaration on ${provider} re-parses nothing`, () => {
      const dir = tempTree({
        'users/base.yaml': `settings: { provider: ${provider} }\norganizations: [{ name: acme }]\nroles: [{ name: member }]\nworkspaces: [{ name: ops, ${holds.workspace} }]\n`,
        'users/people.yaml': `users:\n${people(300, holds.user)}`,
      });
      const result = loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir });
      expect(result.problems).toEqual([]);
      expect(result.parsedBy.fast).toHaveLength(2);
      expect(result.parsedBy.located).toEqual({ regions: 0, files: 0 });
    });
  }

  it('one warning costs one entity', () => {
    const dir = tempTree({
      'users/base.yaml': 'organizations: [{ name: acme }]\nroles: [{ name: member }]\nworkspaces: [{ name: ops }]\n',
      'users/people.yaml': `users:\n${people(300, 'name: P #, expires: 2027-01-01')}  - { email: late@acme.test, role: member, expires: 2020-01-01 }\n`,
    });
    const result = loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir });
    expect(result.problems.map((p) => [p.code, p.at?.line, p.at?.col])).toEqual([['user.expired', 302, 53]]);
    expect(result.parsedBy.located).toEqual({ regions: 1, files: 0 });
  });
});
