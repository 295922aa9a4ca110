import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { utf8Error } from '../../src/declaration/import-csv.ts';
import { plan } from '../../src/plan/index.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { runCli } from '../helpers/cli.ts';
import { NOW } from '../helpers/declare.ts';
import { tempTree, yaml } from '../helpers/tree.ts';

const BASE = yaml`
  # yaml-language-server: $schema=../schema/roster.schema.json
  settings:
    organization: acme
    exclude: [breakglass@acme.test]
  organizations:
    - name: acme
    - name: globex
  roles:
    - name: owner
      owner: true
    - name: member
    - name: partner
  workspaces:
    - name: analytics
    - name: research
      organization: globex
  users:
    - email: olivia@acme.test
      role: owner
`;
const PEOPLE = yaml`
  # Sales people, kept by hand. This comment must survive an import.
  users:
    - email: sam@acme.test   # the first hire
      name: "Sam"
      role: member
`;
const AT = ['--now', NOW.toISOString()];
const tree = (csv: string | Buffer) => tempTree({ 'users/base.yaml': BASE, 'users/people/sales.yaml': PEOPLE, 'people.csv': csv });
const files = (cwd: string) => ({ base: readFileSync(`${cwd}/users/base.yaml`, 'utf8'), sales: readFileSync(`${cwd}/users/people/sales.yaml`, 'utf8') });

describe('roster import-csv', () => {
  it('refuses a file with bad rows whole, naming every problem at FILE:row:col, and writes nothing', async () => {
    const csv = [
      'Email,Full Name,Role,Department,Workspaces',
      'ann@acme.test,Ann,member,Sales,analytics:viewer',
      ',No Email,member,,',
      'bea@acme.test,Bea,wizard,,',
      'ANN@acme.test,Ann again,member,,',
      'sam@acme.test,Sam,member,,',
      'cid@acme.test,"=HYPERLINK(""http://x.test"")",member,,',
      'dan@acme.test,Dan,member,,research',
      'eve@acme.test,Eve,parnter,,analytics:boss',
    ].join('\n');
    const cwd = tree(csv);
    const before = files(cwd);
    const run = await runCli(['import-csv', 'people.csv', ...AT], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('people.csv:3:1: error: email is missing');
    expect(run.stderr).toContain('people.csv:4:3: error: unknown role "wizard" (declared: member, owner, partner)');
    expect(run.stderr).toContain('people.csv:5:1: error: ann@acme.test is also on row 2: one row per person');
    expect(run.stderr).toContain('people.csv:6:1: error: sam@acme.test is already declared at users/people/sales.yaml:3');
    expect(run.stderr).toContain('people.csv:7:2: error: cell "=HYPERLINK("http://x.test")" looks like a spreadsheet formula');
    expect(run.stderr).toContain('people.csv:8:5: error: workspace research belongs to organization globex, not acme');
    expect(run.stderr).toContain('people.csv:9:3: error: unknown role "parnter"; did you mean "partner"?');
    expect(run.stderr).toContain('people.csv:9:5: error: workspace role "boss" must be admin, member or viewer');
    expect(run.stdout).toBe('');
    expect(files(cwd)).toEqual(before);
    expect(() => readFileSync(`${cwd}/users/imported.yaml`)).toThrow();
  });

  it('refuses invalid UTF-8 at its line and byte, and an unknown column at the header', async () => {
    const latin1 = Buffer.concat([Buffer.from('email,name,role\nann@acme.test,Ren'), Buffer.from([0xe9]), Buffer.from('e,member\n')]);
    const bad = await runCli(['import-csv', 'people.csv', ...AT], tree(latin1));
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('people.csv:2:18: error: people.csv is not valid UTF-8 (byte 0xe9); save the spreadsheet as "CSV UTF-8"'),
    });
    const column = await runCli(['import-csv', 'people.csv', ...AT], tree('email,rol\nann@acme.test,member\n'));
    expect(column).toMatchObject({ code: 1, stderr: expect.stringContaining('people.csv:1:2: error: unknown column "rol"; did you mean "role"?') });
  });

  it('agrees with the platform decoder on which bytes are UTF-8', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array) => {
      try {
        decoder.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    const samples = [
      [0xc3, 0xa9],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98, 0x80],
      [0xe2, 0x82],
      [0xff],
      [0x41, 0x80],
    ];
    for (const s of samples) expect([s, utf8Error(Uint8Array.from(s)) === undefined]).toEqual([s, valid(Uint8Array.from(s))]);
  });

  it('writes a good file as a new fragment with the modeline, which validates and plans the expected invitations', async () => {
    const cwd = tree('\uFEFFemail,name,role,department,workspaces\nAnn@Acme.test , Ann Lee ,,Sales,analytics:admin\nbea@acme.test,Bea,partner,,\n');
    const run = await runCli(['import-csv', 'people.csv', '--role', 'member', '--workspace', 'analytics', ...AT], cwd);
    expect(run).toMatchObject({ code: 0, stdout: 'Added 2 user(s) to users/imported.yaml. Run roster plan to see the invitations.\n' });
    expect(readFileSync(`${cwd}/users/imported.yaml`, 'utf8')).toBe(yaml`
      # yaml-language-server: $schema=../schema/roster.schema.json
      # Invited from people.csv by roster import-csv.

      users:
        - email: ann@acme.test
          name: Ann Lee
          role: member
          department: Sales
          workspaces:
            analytics: admin
        - email: bea@acme.test
          name: Bea
          role: partner
          workspaces:
            analytics: member
    `);
    const loaded = loadDeclaration(`${cwd}/users`, { now: NOW, cwd });
    expect(loaded.problems).toEqual([]);
    const creates = plan(loaded.declaration!, emptyLiveState(), NOW)
      .steps.filter((s) => s.kind === 'user.create')
      .map((s) => s.key);
    expect(creates).toEqual(expect.arrayContaining(['user:ann@acme.test', 'user:bea@acme.test']));
    // Importing the same file again: everyone is already declared.
    expect(await runCli(['import-csv', 'people.csv', '--role', 'member', ...AT], cwd)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('people.csv:2:1: error: ann@acme.test is already declared at users/imported.yaml:5'),
    });
  });

  it('appends to an existing fragment with --into, keeping its comments, quoting and entries byte for byte', async () => {
    const cwd = tree('email,role,organization\ncid@globex.test,member,globex\n');
    const run = await runCli(['import-csv', 'people.csv', '--into', 'users/people/sales.yaml', ...AT], cwd);
    expect(run.code).toBe(0);
    expect(readFileSync(`${cwd}/users/people/sales.yaml`, 'utf8')).toBe(PEOPLE + '  - email: cid@globex.test\n    role: member\n    organization: globex\n');
  });

  it('adds to a users list that is not the last key through the document model, comments kept', async () => {
    const cwd = tree('email,role\ncid@acme.test,member\n');
    const middle = '# Middle.\nusers:\n  # Sam first.\n  - email: sam2@acme.test\n    role: member\ncredits: [] # none yet\n';
    const into = 'users/people/middle.yaml';
    writeFileSync(`${cwd}/${into}`, middle);
    expect((await runCli(['import-csv', 'people.csv', '--into', into, ...AT], cwd)).code).toBe(0);
    const text = readFileSync(`${cwd}/${into}`, 'utf8');
    for (const comment of ['# Middle.', '# Sam first.', '# none yet']) expect(text).toContain(comment);
    expect(loadDeclaration(`${cwd}/users`, { now: NOW, cwd }).declaration!.users.map((u) => u.email)).toContain('cid@acme.test');
  });

  it('refuses --into outside the declaration folder', async () => {
    expect(await runCli(['import-csv', 'people.csv', '--into', 'elsewhere.yaml', ...AT], tree('email,role\nann@acme.test,member\n'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--into must be a .yaml file under the declaration folder users'),
    });
  });
});
