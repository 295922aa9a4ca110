import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTrail } from '../../src/audit/file.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const NOW = '2026-11-23T12:00:00Z';
/** Olivia, the only owner, is removed from the declaration: the last-owner guard blocks. */
/** Guards are read from the live side, so the removal threshold is raised before the change. */
const GUARDED = BASE.replace('  organization: acme\n', '  organization: acme\n  guards: { maxRemovalPercent: 100 }\n');
const WITHOUT_OWNER = GUARDED.replace('  - email: olivia@acme.test\n    role: owner\n', '');
/** What validation says about it on every run (a warning: the plan decides). */
const NO_OWNER_WARNING = 'users/base.yaml:9:5: warning: no active user holds an owner role (owner)\n\n0 error(s), 1 warning(s)\n';

/** A project applied once, then changed so that its plan is blocked by the owner guards. */
async function ownerLeaves() {
  const cwd = tempTree({ 'users/base.yaml': GUARDED });
  const run = (...args: string[]) => runCli([...args, '--now', NOW], cwd);
  expect((await run('apply', '--yes')).code).toBe(0);
  writeTree(cwd, { 'users/base.yaml': WITHOUT_OWNER });
  const pending = async () => JSON.parse((await run('plan', '--format', 'json')).stdout).steps.map((s: { kind: string; key: string }) => `${s.kind} ${s.key}`);
  return { cwd, run, pending };
}

describe('overrides come from the apply command line, never from a saved plan', () => {
  it('refuses a saved plan whose options were edited to grant --allow-owner-change', async () => {
    const { cwd, run, pending } = await ownerLeaves();
    expect((await run('plan', '--out', 'plan.json')).code).toBe(3);
    const saved = JSON.parse(readFileSync(`${cwd}/plan.json`, 'utf8'));
    saved.options.allowOwnerChange = true;
    for (const b of saved.plan.blocks) b.overridden = true;
    writeFileSync(`${cwd}/plan.json`, JSON.stringify(saved));

    const r = await run('apply', 'plan.json');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      NO_OWNER_WARNING +
        'Note: plan.json was saved with --allow-owner-change; a saved plan never grants an override: pass the flag to apply (or merge a pull request labelled for it and approved, see docs/overrides.md).\n' +
        'Error: the plan is blocked by ownerChange (--allow-owner-change), lastOwner (--allow-owner-change)\n',
    );
    expect(await pending()).toEqual(['user.deactivate user:olivia@acme.test']);
  });

  it('applies the same saved plan when apply itself is given the flag', async () => {
    const { run, pending } = await ownerLeaves();
    expect((await run('plan', '--out', 'plan.json')).code).toBe(3);
    const r = await run('apply', 'plan.json', '--allow-owner-change');
    expect(r.stderr).toBe(NO_OWNER_WARNING);
    expect(r.code).toBe(0);
    expect(await pending()).toEqual([]);
  });

  it('a plan saved with the flag still needs it on the apply command line', async () => {
    const { run, pending } = await ownerLeaves();
    expect((await run('plan', '--out', 'plan.json', '--allow-owner-change')).code).toBe(0);
    const r = await run('apply', 'plan.json');
    expect(r.code).toBe(3);
    expect(await pending()).toEqual(['user.deactivate user:olivia@acme.test']);
  });
});

describe('what the audit events record about the run', () => {
  it('every event an override let through names the guard, the flag and that it came from the command line', async () => {
    const { cwd, run } = await ownerLeaves();
    writeTree(cwd, { 'users/base.yaml': WITHOUT_OWNER.replace('    role: member\n', '    role: admin\n') });
    expect((await run('apply', '--yes', '--allow-owner-change')).code).toBe(0);
    const events = readTrail(`${cwd}/.roster/audit.jsonl`).events;
    const byKey = Object.fromEntries(events.slice(-2).map((e) => [`${e.step} ${e.key}`, e]));
    expect(Object.keys(byKey).sort()).toEqual(['user.deactivate user:olivia@acme.test', 'user.update user:bob@acme.test']);
    expect(byKey['user.deactivate user:olivia@acme.test']!.overrides).toEqual([
      { guard: 'ownerChange', flag: '--allow-owner-change', from: 'command-line' },
      { guard: 'lastOwner', flag: '--allow-owner-change', from: 'command-line' },
    ]);
    expect(byKey['user.update user:bob@acme.test']!.overrides).toBeUndefined();
    for (const e of events) expect(e.now).toBe('2026-11-23T12:00:00.000Z');
  });

  it('records no instant of its own when the plan was made for the clock', async () => {
    const cwd = tempTree({ 'users/base.yaml': BASE });
    expect((await runCli(['apply', '--yes'], cwd)).code).toBe(0);
    const events = readTrail(`${cwd}/.roster/audit.jsonl`).events;
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e).not.toHaveProperty('now');
      expect(e).not.toHaveProperty('overrides');
    }
  });
});
