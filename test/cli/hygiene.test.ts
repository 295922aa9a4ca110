import MarkdownIt from 'markdown-it';
import { expect, it } from 'vitest';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { firstApplyOnce } from '../helpers/applied.ts';
import { describeEach } from '../helpers/each.ts';
import { sharedStores, type SharedStore } from '../helpers/store.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

/** Anything a terminal would act on or hide, other than line breaks. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}]/u;
const rawCharacters = (text: string) => [...text.replace(/\n/g, '')].filter((c) => RAW.test(c));

/** BASE with a credit grant: the users live and the grant to pay. */
const WITH_POLICY = BASE.replace('  organization: acme\n', '  organization: acme\n  policies:\n    signupCredits: 10\n');

describeEach(sharedStores('roster_hygiene'))('hostile text through the CLI on $name', ({ make, embedded }) => {
  function project(files: Record<string, string>) {
    const cwd = tempTree(files);
    const store: SharedStore = make(cwd);
    const run = (...args: string[]) => runCli([...args, ...NOW], cwd, store.env);
    const sql = async <T>(fn: (query: (text: string, values?: unknown[]) => Promise<{ rows: T[] }>) => Promise<void>) => {
      const provider = await store.open();
      try {
        await fn((text, values) => provider.client.query<T & object>(text, values as never) as never);
      } finally {
        await provider.close();
      }
    };
    return { cwd, run, sql };
  }

  const firstApply = firstApplyOnce();
  /** project(files) with them applied; an embedded store is copied after the first time. */
  async function applied(files: Record<string, string>) {
    const p = project(files);
    const apply = async () => {
      expect((await p.run('apply', '--yes')).code).toBe(0);
    };
    await (embedded ? firstApply(JSON.stringify(files), p.cwd, apply) : apply());
    return p;
  }

  it('a NUL department is refused at validation, located, and apply changes nothing (defect 5)', async () => {
    const { run, sql } = project({ 'users/a.yaml': WITH_POLICY.replace('name: Alice', 'name: Alice\n    department: "\\u0000"') });
    const validate = await run('validate');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toBe(
      'users/a.yaml:24:17: error: users[1].department holds U+0000, a control character, at character 1: text may hold newlines and tabs but no other control character\n\n1 error(s), 0 warning(s)\n',
    );
    const apply = await run('apply', '--yes');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('users[1].department holds U+0000');
    await sql<{ n: number }>(async (query) => expect((await query('select count(*)::int as n from users')).rows[0]!.n).toBe(0));
  });

  it('an address with a zero-width space beside the real one cannot become a second owner (defect 6)', async () => {
    const { run } = project({
      'users/a.yaml': BASE + '  - email: "olivia@acme.test\\u200b"\n    role: owner\n  - email: "bob@acme.test\\u202e"\n    role: admin\n',
    });
    const validate = await run('validate');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('users/a.yaml:26:12: error: users[3].email "olivia@acme.test\\u200b" holds U+200B, an invisible or control character');
    expect(validate.stderr).toContain('users/a.yaml:28:12: error: users[4].email "bob@acme.test\\u202e" holds U+202E, an invisible or control character');
    expect((await run('plan')).code).toBe(1);
  });

  it('an exclude entry with an invisible character is refused, and the account it meant is not deactivated (defect 6)', async () => {
    const { cwd, run, sql } = await applied({ 'users/a.yaml': BASE });
    await sql(async (query) => {
      await query(`insert into users (email, role, status, organization, managed) values ('svc@acme.test', 'member', 'active', 'acme', false)`);
    });
    writeTree(cwd, {
      'users/a.yaml': BASE.replace('  organization: acme\n', '  organization: acme\n  unmanaged: deactivate\n  exclude: ["svc@acme.test\\u200b"]\n'),
    });
    const apply = await run('apply', '--yes');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('users/a.yaml:5:13: error: settings.exclude[0] "svc@acme.test\\u200b" holds U+200B');
    await sql<{ status: string }>(async (query) =>
      expect((await query(`select status from users where email = 'svc@acme.test'`)).rows).toEqual([{ status: 'active' }]),
    );
  });

  it('a file name with terminal escapes is shown escaped by validate and in the plan a person confirms (defect 7)', async () => {
    const evil = 'users/\u001b[2K\u001b[1Aevil.yaml';
    const { cwd, run } = project({ 'users/a.yaml': BASE, [evil]: 'users:\n  - email: eve@acme.test\n    role: membr\n' });
    const validate = await run('validate');
    expect(validate.stderr).toContain('users/\\u001b[2K\\u001b[1Aevil.yaml:3:11: error: user eve@acme.test refers to role "membr"');
    expect(rawCharacters(validate.stderr)).toEqual([]);

    writeTree(cwd, { [evil]: 'users:\n  - email: eve@acme.test\n    role: member\n' });
    const apply = await run('apply');
    expect(apply.code).not.toBe(0);
    expect(apply.stdout).toContain('# declared; the platform sends an invitation (users/\\u001b[2K\\u001b[1Aevil.yaml:2:5)');
    expect(rawCharacters(apply.stdout + apply.stderr)).toEqual([]);
  });

  it('a multi-line reason with a fence and a fake summary stays inside its cell and its line (defect 7)', async () => {
    const reason = 'Bonus\n```\n</details>\n\n### roster plan\n\n**Plan: 0 to add, 0 to change, 0 to remove.** \u202eevil | x';
    const grant = `credits:\n  - id: bonus\n    to: bob@acme.test\n    amount: 5\n    reason: ${JSON.stringify(reason)}\n`;
    const { run } = project({ 'users/a.yaml': BASE + grant });
    expect((await run('validate')).code).toBe(0);
    // plan only reads: a server schema must exist first (roster migrate), as in CI.
    expect((await run('migrate')).code).toBe(0);

    const markdown = (await run('plan', '--format', 'markdown')).stdout;
    const tokens = new MarkdownIt({ html: true }).parse(markdown, {});
    expect(tokens.filter((t) => t.type === 'heading_open')).toHaveLength(1);
    expect(tokens.filter((t) => t.type === 'fence')).toHaveLength(1);
    const planLines = markdown.split('\n').filter((l) => l.includes('Plan: '));
    // The real summary, bold above the table and plain in the details; the reason's is inside a cell and a line of its own step.
    expect(planLines.filter((l) => /^(\*\*)?Plan: /.test(l))).toEqual([
      '**Plan: 12 to add, 0 to change, 0 to remove.**',
      'Plan: 12 to add, 0 to change, 0 to remove.',
    ]);
    const rows = tokens.filter((t) => t.type === 'tr_open').length;
    expect(rows).toBe(1 + 12);

    const text = (await run('plan')).stdout;
    expect(text.split('\n').filter((l) => l.startsWith('Plan: '))).toEqual(['Plan: 12 to add, 0 to change, 0 to remove.']);
    expect(text).toContain('# Bonus\\n```\\n</details>\\n\\n### roster plan\\n\\n**Plan: 0 to add, 0 to change, 0 to remove.** \\u202eevil | x (users/a.yaml:');
    expect(rawCharacters(text)).toEqual([]);

    expect((await run('apply', '--yes')).code).toBe(0);
    const list = await run('audit', 'list', '--step', 'credit.grant');
    expect(list.stdout).toContain('# Bonus\\n```\\n</details>');
    expect(rawCharacters(list.stdout)).toEqual([]);
    expect(list.stdout.split('\n').filter((l) => /event\(s\)/.test(l))).toEqual(['1 event(s).']);
  });

  it('text that validation refuses still reaches the renderers from a store edited by hand, and is shown escaped', async () => {
    const { run, sql } = await applied({ 'users/a.yaml': BASE });
    await sql(async (query) => {
      await query(`update users set name = $1 where email = 'alice@acme.test'`, ['\u001b[31mred\u009b0m\u202e\nPlan: 0 to add']);
      await query(`insert into users (email, role, status, organization, managed) values ($1, 'member', 'active', 'acme', false)`, [
        'alice@acme.test\u200b\u001b[0m',
      ]);
    });
    const text = await run('plan');
    expect(text.stdout).toContain('~ name = "\\u001b[31mred\\u009b0m\\u202e\\nPlan: 0 to add" -> "Alice"');
    expect(text.stdout).toContain('? alice@acme.test\\u200b\\u001b[0m');
    expect(rawCharacters(text.stdout)).toEqual([]);
    const markdown = (await run('plan', '--format', 'markdown')).stdout;
    expect(rawCharacters(markdown)).toEqual([]);
    expect(new MarkdownIt({ html: true }).parse(markdown, {}).filter((t) => t.type === 'heading_open')).toHaveLength(1);
  });
});
