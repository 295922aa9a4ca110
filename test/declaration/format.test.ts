import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify } from 'yaml';
import { formatFragment } from '../../src/declaration/format.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree, yaml } from '../helpers/tree.ts';

const UNFORMATTED = yaml`
  # yaml-language-server: $schema=../schema/roster.schema.json
  # People of the test. Every comment here must survive.
  users:
      -   role: 'member'          # role first: out of schema order
          email: "ann@acme.test"
          workspaces: {analytics: member}
          name: 'Ann: the first'

      -   email: bob@acme.test    # bob
          # before role
          role: "123"
  credits:
    - { reason: "Launch", id: launch, amount: 5, to: { all: true } }
`;

const fmt = (text: string) => formatFragment('users/a.yaml', text).text;

describe('formatFragment', () => {
  it('orders keys as the schema lists them, indents by two, quotes only where needed, and keeps every comment and blank line', () => {
    expect(fmt(UNFORMATTED)).toBe(yaml`
      # yaml-language-server: $schema=../schema/roster.schema.json
      # People of the test. Every comment here must survive.
      users:
        - email: ann@acme.test
          name: "Ann: the first"
          role: member # role first: out of schema order
          workspaces: { analytics: member }

        - email: bob@acme.test # bob
          # before role
          role: "123"
      credits:
        - { id: launch, to: { all: true }, amount: 5, reason: Launch }
    `);
    expect(parse(fmt(UNFORMATTED))).toEqual(parse(UNFORMATTED));
  });

  it('reports a file that is not YAML at its place and leaves it alone', () => {
    const out = formatFragment('users/a.yaml', 'users:\n  - email: a@acme.test\n   role: x\n');
    expect(out.problems.map((p) => [p.code, p.at?.line])).toEqual([['yaml', 3]]);
    expect(out.text).toBe('users:\n  - email: a@acme.test\n   role: x\n');
  });

  it('is idempotent and never changes the parsed value, whatever style the input was written in (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('yes', 'null', '123', '-1', '#x', 'a: b', "it's", ' lead', 'trail ', '@x', '= y'));
    const user = fc.record(
      {
        email: name.map((n) => `${n}@acme.test`),
        name: text,
        role: name,
        department: text,
        workspaces: fc.dictionary(name, fc.constantFrom('admin', 'member', 'viewer'), { maxKeys: 3 }),
        projects: fc.array(name, { maxLength: 3 }),
      },
      { requiredKeys: ['email', 'role'] },
    );
    const fragment = fc.record({
      users: fc.array(fc.tuple(user, fc.integer()), { maxLength: 4 }),
      credits: fc.array(fc.record({ id: name, to: fc.oneof(name, fc.record({ role: name })), amount: fc.integer({ min: 1, max: 9 }), reason: text }), {
        maxLength: 2,
      }),
    });
    const style = fc.record({
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      indent: fc.constantFrom(2, 3, 4),
      indentSeq: fc.boolean(),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
    });
    fc.assert(
      fc.property(fragment, style, fc.boolean(), (f, options, comment) => {
        // Keys in a shuffled order (by the integer each user came with), so the sort has work to do.
        const users = f.users.map(([u, seed]) =>
          Object.fromEntries(Object.entries(u).sort(([a], [b]) => ((a.charCodeAt(0) * 31 + seed) % 17) - ((b.charCodeAt(0) * 31 + seed) % 17))),
        );
        const input =
          (comment ? '# a comment\n' : '') + stringify({ users, credits: f.credits }, { ...options, defaultKeyType: 'PLAIN', lineWidth: 0 } as never);
        // The generator's own odd corners (an empty list in some block styles) are not YAML: not the formatter's input.
        fc.pre(parseDocument(input).errors.length === 0);
        const once = formatFragment('a.yaml', input);
        expect(once.problems).toEqual([]);
        expect(parse(once.text)).toEqual(parse(input));
        expect(fmt(once.text)).toBe(once.text);
        if (comment) expect(once.text.startsWith('# a comment\n')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('roster fmt', () => {
  it('--check fails naming the unformatted file and writes nothing; fmt formats it; --check then passes', async () => {
    const cwd = tempTree({ 'users/a.yaml': UNFORMATTED, 'users/b.yaml': fmt(UNFORMATTED).replace(/ann@|bob@/g, (m) => `${m[0]}x${m.slice(1)}`) });
    const check = await runCli(['fmt', '--check'], cwd);
    expect(check).toMatchObject({ code: 1, stdout: '', stderr: '1 file(s) not formatted (run roster fmt):\n  users/a.yaml\n' });
    expect(readFileSync(`${cwd}/users/a.yaml`, 'utf8')).toBe(UNFORMATTED);
    expect(await runCli(['fmt'], cwd)).toMatchObject({ code: 0, stdout: 'users/a.yaml\n' });
    expect(readFileSync(`${cwd}/users/a.yaml`, 'utf8')).toBe(fmt(UNFORMATTED));
    expect(await runCli(['fmt', '--check'], cwd)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await runCli(['fmt', '--check', 'users/b.yaml'], cwd)).toMatchObject({ code: 0 });
  });

  it('leaves the users/ example as it is: it is formatted', async () => {
    expect(await runCli(['fmt', '--check', '--dir', 'users'], process.cwd())).toMatchObject({ code: 0, stderr: '' });
  });
});
