import { realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FRAGMENT_BYTES } from '../../src/declaration/files.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { NOW, load, messages } from '../helpers/declare.ts';
import { tempTree, yaml } from '../helpers/tree.ts';

const NAME_RULE = "is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";

/** Loads `<dir>/users` with messages relative to `dir`. */
const loadDir = (dir: string) => loadDeclaration(join(dir, 'users'), { now: NOW, cwd: dir });

describe('encoding', () => {
  it('reports a byte that is not UTF-8 at its line and column', () => {
    const bytes = Buffer.concat([Buffer.from('roles:\n  - name: admin\n    description: caf'), Buffer.from([0xff]), Buffer.from('e\n')]);
    // Line 3 is `    description: caf` + 0xff: 20 characters before the bad byte; offset 7 + 16 + 20 = 43.
    expect(messages(load({ 'users/a.yaml': bytes }))).toEqual([
      'users/a.yaml:3:21 error: users/a.yaml is not valid UTF-8 (byte 0xff at offset 43); save it as UTF-8',
    ]);
  });

  it('counts columns in characters, not bytes, before a truncated sequence', () => {
    // `é` is two bytes but one column; 0xc3 followed by `(` is a broken sequence.
    const bytes = Buffer.concat([Buffer.from('roles:\n  - name: admin\n    description: café '), Buffer.from([0xc3, 0x28]), Buffer.from(')\n')]);
    expect(messages(load({ 'users/a.yaml': bytes }))).toEqual([
      'users/a.yaml:3:23 error: users/a.yaml is not valid UTF-8 (byte 0xc3 at offset 46); save it as UTF-8',
    ]);
  });

  it('reports a UTF-16 file at its first byte', () => {
    const bytes = Buffer.from('\ufeffroles: []\n', 'utf16le');
    expect(messages(load({ 'users/a.yaml': bytes }))).toEqual([
      'users/a.yaml:1:1 error: users/a.yaml is not valid UTF-8 (byte 0xff at offset 0); save it as UTF-8',
    ]);
  });

  it('accepts a UTF-8 byte order mark and keeps columns of line 1 right', () => {
    const r = load({ 'users/a.yaml': '\ufeffrolez: []\n', 'users/b.yaml': '\ufeffroles:\n  - name: Admin\n' });
    expect(messages(r)).toEqual([
      'users/a.yaml:1:1 error: rolez: unknown key "rolez"; did you mean "roles"?',
      `users/b.yaml:2:11 error: roles[0].name: ${NAME_RULE}`,
    ]);
  });

  it('accepts CRLF line endings and keeps locations right', () => {
    const r = load({ 'users/a.yaml': '\ufeffroles:\r\n  - name: admin\r\n  - name: Bad\r\n    colour: red\r\n' });
    expect(messages(r)).toEqual([
      `users/a.yaml:3:11 error: roles[1].name: ${NAME_RULE}`,
      'users/a.yaml:4:5 error: roles[1].colour: unknown key "colour" (allowed: name, description, owner, admin, permissions)',
    ]);
  });

  it('reads a valid CRLF file with a BOM into the same declaration as LF', () => {
    const lf = yaml`
      roles:
        - name: member
      users:
        - email: a@acme.test
          name: Ann
          role: member
    `;
    const crlf = load({ 'users/a.yaml': '\ufeff' + lf.replace(/\n/g, '\r\n') });
    expect(messages(crlf)).toEqual([]);
    expect(crlf.declaration?.users).toEqual([
      { email: 'a@acme.test', name: 'Ann', role: 'member', status: 'active', organization: null, at: { file: 'users/a.yaml', line: 4, col: 5 } },
    ]);
  });
});

describe('which files are read', () => {
  it('reads .yaml and .yml files in subfolders, in any letter case', () => {
    const r = load({
      'users/a.yml': 'roles:\n  - name: Bad\n',
      'users/b.YAML': 'roles:\n  - name: Worse\n',
      'users/teams/deep/c.yaml': 'roles:\n  - name: Worst\n',
    });
    expect(messages(r)).toEqual([
      `users/a.yml:2:11 error: roles[0].name: ${NAME_RULE}`,
      `users/b.YAML:2:11 error: roles[0].name: ${NAME_RULE}`,
      `users/teams/deep/c.yaml:2:11 error: roles[0].name: ${NAME_RULE}`,
    ]);
  });

  it('skips hidden files and folders, and files that are not YAML', () => {
    const r = load({
      'users/.draft.yaml': 'roles:\n  - name: Bad\n',
      'users/.git/config.yaml': 'garbage: [\n',
      'users/notes.txt': 'garbage: [\n',
      'users/roles.yaml': 'roles:\n  - name: member\n',
    });
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.files).toEqual(['users/roles.yaml']);
  });

  it('treats an empty file, or one of comments only, as an empty fragment', () => {
    const r = load({ 'users/empty.yaml': '', 'users/comments.yaml': '# nothing here yet\n' });
    expect(messages(r)).toEqual([]);
    expect(r.declaration).toMatchObject({ organizations: [], roles: [], users: [], credits: [], files: ['users/comments.yaml', 'users/empty.yaml'] });
  });

  it('reports a missing declaration folder', () => {
    const r = load({ 'elsewhere/a.yaml': 'roles: []\n' });
    expect(messages(r)).toEqual(['users:1:1 error: declaration folder users does not exist or is not a folder']);
    expect(r.declaration).toBeUndefined();
  });

  it('reports a declaration "folder" that is a file', () => {
    const r = load({ users: 'roles: []\n' });
    expect(messages(r)).toEqual(['users:1:1 error: declaration folder users does not exist or is not a folder']);
  });
});

describe('symbolic links', () => {
  it('refuses a link to a file outside the declaration folder, and a broken link', () => {
    const dir = tempTree({ 'users/a.yaml': 'roles: []\n', 'outside.yaml': 'roles:\n  - name: member\n' });
    symlinkSync(join(dir, 'outside.yaml'), join(dir, 'users/link.yaml'));
    symlinkSync(join(dir, 'missing.yaml'), join(dir, 'users/broken.yaml'));
    const r = loadDir(dir);
    expect(messages(r)).toEqual([
      'users/broken.yaml:1:1 error: users/broken.yaml is a broken symbolic link',
      `users/link.yaml:1:1 error: users/link.yaml links outside the declaration folder (to ${realpathSync(join(dir, 'outside.yaml'))}); copy the file in instead`,
    ]);
    expect(r.declaration).toBeUndefined();
  });

  it('refuses a link to a folder outside', () => {
    const dir = tempTree({ 'users/a.yaml': 'roles: []\n', 'shared/b.yaml': 'roles: []\n' });
    symlinkSync(join(dir, 'shared'), join(dir, 'users/shared'));
    expect(messages(loadDir(dir))).toEqual([
      `users/shared:1:1 error: users/shared links outside the declaration folder (to ${realpathSync(join(dir, 'shared'))}); copy the file in instead`,
    ]);
  });

  it('follows a link that stays inside the folder', () => {
    // Hidden folders are skipped, so the file is read once: through the link, under the link's name.
    const dir = tempTree({ 'users/.shared/roles.yaml': 'roles:\n  - name: member\n  - name: Bad\n' });
    symlinkSync(join(dir, 'users/.shared/roles.yaml'), join(dir, 'users/roles.yml'));
    expect(messages(loadDir(dir))).toEqual([`users/roles.yml:3:11 error: roles[1].name: ${NAME_RULE}`]);
  });
});

describe('size limit', () => {
  it(`refuses a fragment over ${MAX_FRAGMENT_BYTES} bytes and accepts one at the limit`, () => {
    const r = load({
      // Comments only: one byte over, and exactly at the limit.
      'users/big.yaml': '#' + ' '.repeat(MAX_FRAGMENT_BYTES - 1) + '\n',
      'users/limit.yaml': '#' + ' '.repeat(MAX_FRAGMENT_BYTES - 2) + '\n',
    });
    expect(messages(r)).toEqual([
      'users/big.yaml:1:1 error: users/big.yaml is 26214401 bytes; fragments may be at most 26214400 bytes (25 MB): split it into several files',
    ]);
  });
});
