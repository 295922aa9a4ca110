import { Alias } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { load, messages } from '../helpers/declare.ts';
import { yaml } from '../helpers/tree.ts';

const one = (text: string) => load({ 'users/a.yaml': text });

describe('malformed YAML', () => {
  it('locates a syntax error at the offending token', () => {
    const r = one(yaml`
      users:
        - email: a@acme.test
          role: admin: owner
    `);
    expect(messages(r)).toEqual(['users/a.yaml:3:11 error: Nested mappings are not allowed in compact mappings']);
    expect(r.declaration).toBeUndefined();
  });

  it('locates bad indentation and tabs at their line', () => {
    const r = load({
      'users/a.yaml': 'users:\n  - email: a@acme.test\n    role: admin\n  name: x\n',
      'users/b.yaml': 'users:\n  - email: b@acme.test\n    role: admin\n\tname: x\n',
    });
    expect(messages(r)).toEqual([
      'users/a.yaml:4:1 error: All mapping items must start at the same column',
      'users/b.yaml:4:1 error: Tabs are not allowed as indentation',
    ]);
  });

  it('reports an unknown alias at the alias', () => {
    expect(messages(one('roles:\n  - name: *nope\n'))).toEqual(['users/a.yaml:2:11 error: unknown alias *nope']);
  });

  it('reports a key repeated in one map at the second occurrence', () => {
    const r = one(yaml`
      users:
        - email: a@acme.test
          role: admin
          "role": member
    `);
    expect(messages(r)).toEqual(['users/a.yaml:4:5 error: Map keys must be unique']);
  });
});

describe('keys that could reach Object.prototype', () => {
  it('rejects __proto__, constructor and prototype keys, block or flow, and pollutes nothing', () => {
    const r = one(yaml`
      constructor:
        prototype: { polluted: true }
      roles:
        - { name: admin, __proto__: { polluted: true } }
        - name: member
          permissions: { prototype: [view] }
      users:
        - email: a@acme.test
          role: admin
          __proto__:
            polluted: true
    `);
    expect(messages(r)).toEqual([
      'users/a.yaml:1:1 error: constructor: the key "constructor" is not allowed',
      'users/a.yaml:4:20 error: roles[0].__proto__: the key "__proto__" is not allowed',
      'users/a.yaml:6:20 error: roles[1].permissions.prototype: the key "prototype" is not allowed',
      'users/a.yaml:10:5 error: users[0].__proto__: the key "__proto__" is not allowed',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('resource exhaustion', () => {
  it('refuses a billion-laughs alias bomb after bounded work', () => {
    // a0 is one node; each further level holds 10 aliases of the previous: 10^9 nodes if expanded.
    const lines = ['a0: &a0 [lol]'];
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    // Expanding it would resolve 1,111,111,110 aliases; the loader stops after about 10,000 nodes.
    const resolved = vi.spyOn(Alias.prototype, 'resolve');
    const r = one(lines.join('\n') + '\n');
    expect(messages(r)).toEqual(['users/a.yaml:1:9 error: aliases expand to more than 10000 nodes; refusing to expand (alias bomb?)']);
    expect(resolved.mock.calls.length).toBeGreaterThan(0);
    expect(resolved.mock.calls.length).toBeLessThanOrEqual(10_000);
    resolved.mockRestore();
  });

  it('accepts a few honest aliases', () => {
    const r = one(yaml`
      organizations:
        - name: acme
      roles:
        - name: member
      users:
        - email: a@acme.test
          role: member
          workspaces: &teams {}
        - email: b@acme.test
          role: member
          workspaces: *teams
    `);
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.users.map((u) => u.workspaces)).toEqual([{}, {}]);
  });

  it('reports 200 nested flow sequences as too deep, located, without throwing', () => {
    // `users: ` is 7 columns; the 65th `[` (depth 65, one past the limit) is at column 7 + 65.
    const r = one('users: ' + '['.repeat(200) + ']'.repeat(200) + '\n');
    expect(messages(r)).toEqual([`users/a.yaml:1:72 error: users${'[0]'.repeat(64)}: nesting deeper than 64 levels`]);
  });

  it('reports deeply nested block mappings as too deep', () => {
    const lines = ['users:'];
    for (let i = 0; i < 70; i++) lines.push(`${'  '.repeat(i + 1)}k${i}:`);
    const r = one(lines.join('\n') + ' x\n');
    // users is depth 1, k0 depth 2, ... k63 (line 65) depth 65: its value (the k64 map) starts on line 66.
    const path = ['users', ...Array.from({ length: 64 }, (_, i) => `k${i}`)].join('.');
    expect(messages(r)).toEqual([`users/a.yaml:66:131 error: ${path}: nesting deeper than 64 levels`]);
  });

  it('refuses an integer too large to represent exactly', () => {
    const r = one(yaml`
      settings:
        guards:
          minAdmins: 99999999999999999999
      credits:
        - id: big
          to: a@acme.test
          amount: 9007199254740993
          reason: overflow
    `);
    expect(messages(r)).toEqual([
      'users/a.yaml:3:16 error: settings.guards.minAdmins: 99999999999999999999 is too large to be represented exactly',
      'users/a.yaml:7:13 error: credits[0].amount: 9007199254740993 is too large to be represented exactly',
    ]);
  });

  it('treats a key that is not a string as an error', () => {
    expect(messages(one('true: 1\n'))).toEqual(['users/a.yaml:1:1 error: document: keys must be plain strings']);
  });
});
