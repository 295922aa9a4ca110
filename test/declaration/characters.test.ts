import { describe, expect, it } from 'vitest';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { loadSchema } from '../../src/declaration/schema.ts';
import type { LoadResult } from '../../src/model/declaration.ts';
import { BASE, NOW, messages } from '../helpers/declare.ts';
import { tempTree } from '../helpers/tree.ts';

/** Loads the files through the fast path and the precise path; both must say the same. */
function load(files: Record<string, string>): LoadResult {
  const dir = tempTree(files);
  const fast = loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir });
  const precise = loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir, precise: true });
  expect(fast.problems).toEqual(precise.problems);
  expect(fast.declaration).toEqual(precise.declaration);
  return fast;
}

const IDENTIFIER_RULE =
  'an invisible or control character: identifiers (emails, names, ids, keys) may not hold control, zero-width or bidirectional characters';
const TEXT_RULE = 'a control character, at character';

describe('identifiers refuse invisible characters', () => {
  it('an address with a zero-width space beside the real one, written raw or escaped, is refused where it is', () => {
    const r = load({
      'users/a.yaml': BASE + '  - email: bob@acme.test\u200b\n    role: owner\n  - email: "alice@acme.test\\u200b"\n    role: member\n',
    });
    expect(messages(r)).toEqual([
      `users/a.yaml:26:12 error: users[3].email "bob@acme.test\\u200b" holds U+200B, ${IDENTIFIER_RULE}`,
      `users/a.yaml:28:12 error: users[4].email "alice@acme.test\\u200b" holds U+200B, ${IDENTIFIER_RULE}`,
    ]);
    expect(r.declaration).toBeUndefined();
  });

  it('the raw one is read by the fast path, which reaches the check as the precise path does', () => {
    const dir = tempTree({ 'users/a.yaml': BASE + '  - email: bob@acme.test\u200b\n    role: owner\n' });
    const r = loadDeclaration(`${dir}/users`, { now: NOW, cwd: dir });
    expect(r.parsedBy.fast).toEqual(['users/a.yaml']);
    expect(r.problems.map((p) => p.code)).toEqual(['identifier.invisible']);
  });

  it('bidirectional overrides and isolates, marks, joiners, the BOM, the soft hyphen and controls, wherever an identifier is', () => {
    const r = load({
      'users/a.yaml':
        BASE.replace('  organization: acme\n', '  organization: acme\n  exclude: ["svc@acme.test\\u2060", "break\\u00adglass@acme.test"]\n') +
        '  - email: eve\u202e@acme.test\n    role: member\n    resendInvitation: "2026\\u200e"\n' +
        'projects:\n  - { name: p1, owner: "olivia@acme.test\\u2066" }\n' +
        'packages:\n  - { name: k1, createdBy: "olivia@acme.test\\ufeff" }\n' +
        'credits:\n  - { id: c1, to: "bob@acme.test\\u001b", amount: 5, reason: Fine }\n',
    });
    expect(messages(r).filter((m) => m.includes('holds U+'))).toEqual([
      `users/a.yaml:4:13 error: settings.exclude[0] "svc@acme.test\\u2060" holds U+2060, ${IDENTIFIER_RULE}`,
      `users/a.yaml:4:36 error: settings.exclude[1] "break\\u00adglass@acme.test" holds U+00AD, ${IDENTIFIER_RULE}`,
      `users/a.yaml:27:12 error: users[3].email "eve\\u202e@acme.test" holds U+202E, ${IDENTIFIER_RULE}`,
      `users/a.yaml:29:23 error: users[3].resendInvitation "2026\\u200e" holds U+200E, ${IDENTIFIER_RULE}`,
      `users/a.yaml:31:24 error: projects[0].owner "olivia@acme.test\\u2066" holds U+2066, ${IDENTIFIER_RULE}`,
      `users/a.yaml:33:28 error: packages[0].createdBy "olivia@acme.test\\ufeff" holds U+FEFF, ${IDENTIFIER_RULE}`,
      `users/a.yaml:35:19 error: credits[0].to "bob@acme.test\\u001b" holds U+001B, ${IDENTIFIER_RULE}`,
    ]);
  });

  it('keys and names the schema already holds to ASCII are refused too (by the schema)', () => {
    const r = load({ 'users/a.yaml': BASE.replace('workspaces: { analytics: member }', 'workspaces: { "analytics\\u200b": member }') });
    expect(r.problems.map((p) => [p.code, p.at?.line])).toEqual([['schema.key-pattern', 25]]);
  });

  it('the schema admits no key that could hold one: only its own property names, or names (ASCII) for the maps keyed by names', () => {
    const schema = loadSchema() as { definitions: Record<string, { pattern?: string }> };
    const maps: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as { type?: string; properties?: object; additionalProperties?: unknown; propertyNames?: { $ref?: string } };
      if (n.type === 'object' || n.properties) {
        if (n.additionalProperties !== false) {
          expect([at, n.propertyNames]).toEqual([at, { $ref: '#/definitions/Name' }]);
          maps.push(at);
        }
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(schema, '');
    expect(maps).toEqual(['/definitions/Role/properties/permissions', '/definitions/User/properties/workspaces']);
    // Names are a class of ASCII letters, digits and marks: nothing invisible matches.
    const name = new RegExp(schema.definitions.Name!.pattern!);
    for (const invisible of ['\u200b', '\u202e', '\u00ad', '\u0000', '\ufeff']) expect(name.test(`a${invisible}b`)).toBe(false);
    expect(name.test('analytics')).toBe(true);
  });

  it('accented and non-Latin letters stay allowed', () => {
    const r = load({ 'users/a.yaml': BASE + '  - email: josé@acme.test\n    role: member\n  - email: 李@acme.test\n    role: member\n' });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('free text refuses controls but newline and tab', () => {
  it('a NUL department, an escape sequence in a reason, a C1 control in a name, DEL in a description', () => {
    const r = load({
      'users/a.yaml':
        BASE.replace('name: Alice', 'name: "Ali\\x9bce"\n    department: "\\u0000"').replace(
          '  - name: member\n',
          '  - name: member\n    description: "del\\x7f"\n',
        ) + 'credits:\n  - { id: c1, to: bob@acme.test, amount: 5, reason: "Bonus \\e[2K\\e[1APlan: 0 to add" }\n',
    });
    expect(messages(r)).toEqual([
      `users/a.yaml:13:18 error: roles[2].description holds U+007F, ${TEXT_RULE} 4: text may hold newlines and tabs but no other control character`,
      `users/a.yaml:22:11 error: users[1].name holds U+009B, ${TEXT_RULE} 4: text may hold newlines and tabs but no other control character`,
      `users/a.yaml:23:17 error: users[1].department holds U+0000, ${TEXT_RULE} 1: text may hold newlines and tabs but no other control character`,
      `users/a.yaml:29:53 error: credits[0].reason holds U+001B, ${TEXT_RULE} 7: text may hold newlines and tabs but no other control character`,
    ]);
  });

  it('newlines, tabs, bidirectional marks and emoji in free text are fine (the renderers show them escaped)', () => {
    const r = load({
      'users/a.yaml':
        BASE.replace('name: Alice', 'name: "\u0627\u0644\u0633\u200f Alice \u2764\ufe0f"') +
        'credits:\n  - id: c1\n    to: bob@acme.test\n    amount: 5\n    reason: |\n      Line one\n      \tand two ``` | `\n',
    });
    expect(messages(r)).toEqual([]);
    expect(r.declaration!.credits[0]!.reason).toBe('Line one\n\tand two ``` | `\n');
  });
});
