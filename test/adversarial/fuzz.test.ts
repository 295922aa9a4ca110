import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';
import { propertyRuns } from '../helpers/property.ts';

const NOW = new Date('2026-11-23T12:00:00Z');

/** Every problem must say where it is: a file, and a line and column inside it. */
function expectLocated(dir: string): void {
  const result = loadDeclaration('users', { now: NOW, cwd: dir });
  for (const p of result.problems) {
    expect(p.at, p.message).toBeDefined();
    expect(p.at!.file).toMatch(/^users\//);
    expect(p.at!.line).toBeGreaterThanOrEqual(1);
    expect(p.at!.col).toBeGreaterThanOrEqual(1);
  }
  if (result.declaration === undefined) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
}

// Shapes close to real fragments, so the fuzzer reaches the schema and the rules, not just the parser.
const name = fc.constantFrom('acme', 'globex', 'admin', 'member', 'analytics', 'Bad Name', '', '__proto__', 'constructor');
const email = fc.constantFrom('a@acme.test', 'A@ACME.TEST', 'b@acme.test', 'not-an-email', '\u0430@acme.test', 'jose\u0301@acme.test');
const user = fc.record(
  {
    email,
    role: name,
    status: fc.constantFrom('active', 'invited', 'gone', 1),
    organization: name,
    workspaces: fc.dictionary(name, fc.constantFrom('admin', 'owner')),
    expires: fc.constantFrom('2027-02-29', '2026-01-01', 'tomorrow'),
    password: fc.string(),
  },
  { requiredKeys: [] },
);
const fragment = fc.record(
  {
    settings: fc.record({ organization: name, removal: fc.constantFrom('delete', 'explode'), exclude: fc.array(email) }, { requiredKeys: [] }),
    organizations: fc.array(fc.record({ name })),
    roles: fc.array(fc.record({ name, admin: fc.boolean(), owner: fc.anything() }, { requiredKeys: ['name'] })),
    workspaces: fc.array(fc.record({ name, previously: fc.array(name) }, { requiredKeys: ['name'] })),
    users: fc.array(user),
    credits: fc.array(
      fc.record(
        { id: fc.string(), to: fc.oneof(email, fc.record({ role: name }), fc.anything()), amount: fc.oneof(fc.integer(), fc.double()), reason: fc.string() },
        { requiredKeys: [] },
      ),
    ),
    junk: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('fuzzing the loader and validator', () => {
  it('structured fragments: never throws, every problem located', () => {
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 3 }), (fragments) => {
        const dir = tempTree(Object.fromEntries(fragments.map((f, i) => [`users/f${i}.yaml`, stringify(f)])));
        expectLocated(dir);
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('arbitrary values and arbitrary text: never throws, every problem located', () => {
    const dir = tempTree();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything().map((v) => stringify(v) ?? ''),
          fc.string({ unit: 'binary' }),
          fc.stringMatching(/^[\s\-:[\]{}&*!|>'"%@`#,?a-z0-9]{0,80}$/),
        ),
        (text) => {
          writeTree(dir, { 'users/f.yaml': text });
          expectLocated(dir);
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });

  it('arbitrary bytes: never throws, every problem located', () => {
    const dir = tempTree();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        writeTree(dir, { 'users/f.yaml': Buffer.from(bytes) });
        expectLocated(dir);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
