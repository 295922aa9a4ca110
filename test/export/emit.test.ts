import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from '../../src/providers/postgres/embedded.ts';
import { CURRENT_VERSION } from '../../src/providers/postgres/migrations.ts';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { listSection, mapLines, scalar, usersSection } from '../../src/export/emit.ts';
import type { ExportedUser } from '../../src/export/model.ts';
import { personFile, slug } from '../../src/export/layout.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

/** The `yaml` package (YAML 1.2 core schema, as roster reads fragments) is the oracle for what the written text means. */
describe('export: YAML text', () => {
  it('writes any string so that it reads back as that same string, in block and flow places', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('true', 'null', '~', '1e3', '0x1F', '.inf', '2027-03-31', 'a: b', 'a #b', '- x', 'x ', ' x', "O'Neil", 'a,b', '{x}', '@home', '"q"'),
    );
    fc.assert(
      fc.property(text, text, (key, value) => {
        const out: string[] = [];
        mapLines({ name: value, tags: [value, key], workspaces: { [key]: value } }, '', out);
        expect(parse(out.join('\n'))).toEqual({ name: value, tags: [value, key], workspaces: { [key]: value } });
      }),
      { numRuns: 500 },
    );
  });

  it('writes people through its fast path byte for byte as the general one does, and they read back', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('member', 'Ana Nguyen', 'true', 'null', '2027-03-31', 'a: b', 'a,b', "O'Neil", 'x ', '1e3', '0'),
    );
    const opt = (arb: fc.Arbitrary<unknown>) => fc.option(arb, { nil: undefined });
    const user = fc
      .record({
        email: text,
        name: opt(text),
        github: opt(text),
        role: text,
        status: opt(fc.constantFrom('invited', 'inactive', 'suspended')),
        organization: opt(text),
        department: opt(text),
        expires: opt(text),
        resendInvitation: opt(text),
        workspaces: opt(fc.dictionary(text, fc.constantFrom('member', 'admin', 'viewer'))),
        projects: opt(fc.array(text, { minLength: 1, maxLength: 3 })),
        packages: opt(fc.array(text, { minLength: 1, maxLength: 3 })),
      })
      // As model.ts builds them: a field without a value is not there at all.
      .map((u) => Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) as unknown as ExportedUser);
    fc.assert(
      fc.property(fc.array(user, { maxLength: 4 }), (users) => {
        const fast: string[] = [];
        const general: string[] = [];
        usersSection(users, fast);
        listSection('users', users as unknown as Record<string, unknown>[], true, general);
        expect(fast.join('\n')).toBe(general.join('\n'));
        expect(parse(fast.join('\n'))).toEqual({ users: users.length ? users : null });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves ordinary text plain, as people write it', () => {
    expect(scalar('Chloé Dubois')).toBe('Chloé Dubois');
    expect(scalar('2027-03-31')).toBe('2027-03-31');
    expect(scalar('Team lead; manages projects.')).toBe('Team lead; manages projects.');
    expect(scalar('true')).toBe('"true"');
    expect(scalar('a: b')).toBe('"a: b"');
    expect(scalar('a,b', true)).toBe('"a,b"');
  });

  it('files people under slugs that cannot leave the folder', () => {
    expect(personFile('acme', 'R&D / Labs')).toBe('people/acme/r-d-labs.yaml');
    expect(personFile(null, null)).toBe('people/no-organization/no-department.yaml');
    expect(slug('../..')).toBe('other');
    expect(slug('Développement')).toBe('developpement');
  });
});

describe('export: read-only', () => {
  it('refuses, rather than creates, an embedded store that is not there', async () => {
    const cwd = tempTree();
    const run = await runCli(['export', '--out', 'out'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no embedded store at \.roster\/live/);
    expect(existsSync(`${cwd}/.roster`)).toBe(false);
    expect(existsSync(`${cwd}/out`)).toBe(false);
  });

  it('refuses a store an older roster wrote, naming roster migrate, and does not migrate it', async () => {
    const cwd = tempTree();
    expect((await runCli(['migrate'], cwd)).code).toBe(0);
    const migrations = async (change?: string) => {
      const db = await openPglite(join(cwd, '.roster/live'));
      try {
        // The store as the roster before migration 5 left it.
        if (change) await db.exec(change);
        return (await db.query<{ n: number }>('select count(*)::int as n from roster_migrations')).rows[0]!.n;
      } finally {
        await db.close();
      }
    };
    const before = await migrations('delete from roster_migrations where version = 5; drop policy packages_reader on packages');
    const run = await runCli(['export', '--out', 'out'], cwd);
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(
      new RegExp(`is at schema version 4; this roster needs version ${CURRENT_VERSION}\\. Nothing was changed: run \`roster migrate\``),
    );
    expect(await migrations()).toBe(before);
    expect(existsSync(`${cwd}/out`)).toBe(false);
  });
});
