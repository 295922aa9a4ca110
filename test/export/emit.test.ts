import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mapLines, scalar } from '../../src/export/emit.ts';
import { personFile, slug } from '../../src/export/layout.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

/** The `yaml` package (YAML 1.2 core schema, as roster reads fragments) is the oracle for what the written text means. */
describe('export: YAML text', () => {
  it('writes any string so that it reads back as that same string, in block and flow places', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('true', 'null', '~', '1e3', '0x1F', '.inf', '2027-03-31', 'a: b', 'a #b', '- x', 'x ', ' x', "O'Neil", 'a,b', '{x}', '@home', '"q"'));
    fc.assert(
      fc.property(text, text, (key, value) => {
        const out: string[] = [];
        mapLines({ name: value, tags: [value, key], workspaces: { [key]: value } }, '', out);
        expect(parse(out.join('\n'))).toEqual({ name: value, tags: [value, key], workspaces: { [key]: value } });
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
});
