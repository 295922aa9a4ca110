import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rosterProvider, type RosterInputs, type RosterOutputs, type RuntimeContext } from '../../src/pulumi/provider.ts';
import { assertNoSecrets, CANARY_SECRETS, runCli } from '../helpers/cli.ts';
import { SERVER_SKIP, SERVER_URL, dropSchemas } from '../helpers/store.ts';
import { tempTree } from '../helpers/tree.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../users');
const NOW = '2026-11-23T12:00:00Z';
const ENV = { ROSTER_ACTOR: 'test', ...CANARY_SECRETS };

/** A program folder holding a copy of the example declaration, and the provider as the dynamic provider host runs it. */
function program(env: Record<string, string> = {}) {
  const cwd = tempTree();
  cpSync(EXAMPLE, join(cwd, 'users'), { recursive: true });
  const ctx: RuntimeContext = { env: { ...ENV, ...env }, cwd };
  const edit = (file: string, from: string, to: string) => {
    const path = join(cwd, 'users', file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
  };
  return { cwd, ctx, provider: recorded(rosterProvider(ctx)), edit };
}

/** Every result and error message of every call, to scan for secrets. */
const seen: string[] = [];

function recorded<P extends object>(provider: P): P {
  const wrapped = { ...provider } as Record<string, unknown>;
  for (const [name, method] of Object.entries(provider)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        const result = await (method as (...a: unknown[]) => Promise<unknown>)(...args);
        seen.push(JSON.stringify(result ?? null));
        return result;
      } catch (e) {
        seen.push((e as Error).message);
        throw e;
      }
    };
  }
  return wrapped as P;
}

const INPUTS: RosterInputs = { dir: 'users', store: { dataDir: '.roster/live' }, now: NOW };

/** roster's own plan of the same folder and store, through the CLI, as the detail Pulumi shows. */
async function cliPlan(cwd: string) {
  const run = await runCli(['plan', '--format', 'json', '--now', NOW], cwd, { ROSTER_DATA_DIR: join(cwd, '.roster/live') });
  const plan = JSON.parse(run.stdout) as { summary: unknown; steps: { kind: string; key: string; risk: string[]; before: unknown; after: unknown }[] };
  return { summary: plan.summary, steps: plan.steps.map((s) => ({ kind: s.kind, key: s.key, risk: s.risk, before: s.before, after: s.after })) };
}

const stepsOf = (detail: { steps: { kind: string; key: string; risk: string[]; before: unknown; after: unknown }[] }) =>
  detail.steps.map((s) => ({ kind: s.kind, key: s.key, risk: s.risk, before: s.before, after: s.after }));

describe('the dynamic provider on the embedded store', () => {
  // One program and store for the whole story (create, edit, drift, guard, destroy): opening a store costs seconds.
  const { provider, cwd, edit, ctx } = program();
  let created: { id: string; outs: RosterOutputs };

  it('creates what the declaration says, and a diff right after is empty', async () => {
    const checked = await provider.check({} as RosterInputs, INPUTS);
    expect(checked.failures).toBeUndefined();
    expect(checked.inputs!.plan!.summary.add).toBeGreaterThan(40);
    expect(checked.inputs!.desiredDigest).toMatch(/^sha256:/);

    created = await provider.create(checked.inputs!);
    expect(created.id).toBe(`roster-${created.outs.storeId}`);
    expect(created.outs.lastApply.summary).toEqual(checked.inputs!.plan!.summary);
    const steps = checked.inputs!.plan!.steps.length;
    expect(created.outs.lastApply.audit).toEqual({ first: 1, last: steps });
    expect(created.outs.users.managed).toBeGreaterThanOrEqual(40);
    expect(created.outs.users.managed).toBe(
      created.outs.users.active + created.outs.users.invited + created.outs.users.inactive + created.outs.users.suspended,
    );
    expect(created.outs).not.toHaveProperty('plan');
    // The audit trail is the CLI's: the same file, verified by `roster audit verify`.
    expect((await runCli(['audit', 'verify', '--store'], cwd, { ROSTER_DATA_DIR: join(cwd, '.roster/live') })).code).toBe(0);

    const diff = await provider.diff(created.id, created.outs, (await provider.check(created.outs, INPUTS)).inputs!);
    expect(diff.changes).toBe(false);
    expect(diff.replaces).toEqual([]);
    expect(diff.plan.steps).toEqual([]);
  });

  it('read reports drift: what the next apply would change', async () => {
    expect((await provider.read(created.id, created.outs)).props.drift).toEqual({ summary: { add: 0, change: 0, remove: 0 }, steps: [], more: 0 });
    edit(
      'people/engineering.yaml',
      'name: Grace Liu\n    role: developer\n    department: Data',
      'name: Grace Liu\n    role: developer\n    department: Research',
    );
    const read = await provider.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props.drift!.steps.map((s) => `${s.kind} ${s.key}`)).toEqual(['user.update user:grace.liu@acme.test']);
    expect(read.props.users).toEqual(created.outs.users);
  });

  it('an edit is an update (never a replacement) whose detail is roster plan, and update applies just it', async () => {
    const checked = await provider.check(created.outs, INPUTS);
    expect(checked.inputs!.desiredDigest).not.toBe(created.outs.desiredDigest);
    const diff = await provider.diff(created.id, created.outs, checked.inputs!);
    expect(diff).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
    const oracle = await cliPlan(cwd);
    expect(oracle.steps).toHaveLength(1);
    expect(stepsOf(diff.plan)).toEqual(oracle.steps);
    expect(stepsOf(checked.inputs!.plan!)).toEqual(oracle.steps);
    expect(diff.plan.summary).toEqual(oracle.summary);
    expect(diff.plan.steps[0]).toMatchObject({
      action: 'change',
      kind: 'user.update',
      key: 'user:grace.liu@acme.test',
      before: { department: 'Data' },
      after: { department: 'Research' },
    });

    const updated = await provider.update(created.id, created.outs, checked.inputs!);
    const last = created.outs.lastApply.audit!.last;
    expect(updated.outs.lastApply).toEqual({ summary: { add: 0, change: 1, remove: 0 }, audit: { first: last + 1, last: last + 1 } });
    expect((await provider.diff(created.id, updated.outs, checked.inputs!)).changes).toBe(false);
    created = { id: created.id, outs: updated.outs };
  });

  it('a guard refuses with roster message and flag, in check and in update, and nothing changes', async () => {
    edit('settings.yaml', 'removal: deactivate', 'removal: delete');
    edit('people/engineering.yaml', '  - email: ben.carter@acme.test\n', '  - email: ben.carter.gone@acme.test\n');

    const checked = await provider.check(created.outs, INPUTS);
    expect(checked.failures).toEqual([
      {
        property: 'guards',
        reason: expect.stringMatching(
          /^delete: 1 user\(s\) would be deleted permanently \(settings\.removal: delete\) \(--allow-delete: set ROSTER_ALLOW_DELETE=1 for this pulumi up\)$/,
        ),
      },
    ]);
    await expect(provider.update(created.id, created.outs, { ...INPUTS })).rejects.toThrow(
      /^roster: the plan is blocked: delete: 1 user\(s\) would be deleted permanently.*--allow-delete: set ROSTER_ALLOW_DELETE=1/,
    );
    expect((await provider.read(created.id, created.outs)).props.users).toEqual(created.outs.users);

    // The override is the run's own, from its environment: the same program then applies.
    ctx.env = { ...ctx.env, ROSTER_ALLOW_DELETE: '1' };
    const updated = await provider.update(created.id, created.outs, (await provider.check(created.outs, INPUTS)).inputs!);
    // Ben deleted; his successor created, with what comes with a new user (memberships, signup credits).
    expect(updated.outs.lastApply.summary).toMatchObject({ change: 0, remove: 1 });
    expect(updated.outs.users.managed).toBe(created.outs.users.managed);
    ctx.env = { ...ENV };
    created = { id: created.id, outs: updated.outs };
  });

  it('destroy needs the explicit deletion guard, then removes the people under roster guards', async () => {
    await expect(provider.delete(created.id, created.outs)).rejects.toThrow(
      /^roster: destroying users would remove every user it manages from the store; nothing was changed \(--allow-delete: set ROSTER_ALLOW_DELETE=1/,
    );
    ctx.env = { ...ENV, ROSTER_ALLOW_DELETE: '1' };
    // Removing everyone is still a mass removal, and the owners go too: each guard asks for its own flag.
    await expect(provider.delete(created.id, created.outs)).rejects.toThrow(/maxRemovalPercent: .*--allow-mass-removal: set ROSTER_ALLOW_MASS_REMOVAL=1/);
    expect((await provider.read(created.id, created.outs)).props.users).toEqual(created.outs.users);
    ctx.env = { ...ENV, ROSTER_ALLOW_DELETE: '1', ROSTER_ALLOW_MASS_REMOVAL: '1', ROSTER_ALLOW_OWNER_CHANGE: '1' };
    await provider.delete(created.id, created.outs);
    const after = (await provider.read(created.id, created.outs)).props.users;
    expect(after.active + after.invited + after.suspended).toBe(0);
    expect(after.managed - after.inactive).toBeLessThanOrEqual(0);
  });
});

describe('bad input', () => {
  it('validation problems are failures and errors with file:line:col, all at once, and no store is opened', async () => {
    const { provider, edit, cwd } = program();
    edit('people/engineering.yaml', 'department: Engineering', 'departement: Engineering');
    edit('people/sales.yaml', 'users:\n', 'users:\n  - email: [not, an, email]\n');
    const checked = await provider.check({} as RosterInputs, INPUTS);
    expect(checked.inputs).toBeUndefined();
    const reasons = checked.failures!.map((f) => f.reason);
    expect(reasons.some((r) => /^users\/people\/engineering\.yaml:\d+:\d+: error: .*departement/.test(r))).toBe(true);
    expect(reasons.some((r) => /^users\/people\/sales\.yaml:4:12: error: /.test(r))).toBe(true);
    await expect(provider.create(INPUTS)).rejects.toThrow(/^roster: \d+ problem\(s\) in the declaration:\nusers\/people\/engineering\.yaml:\d+:\d+: error: /m);
    expect(existsSync(join(cwd, '.roster'))).toBe(false);
  });
});

describe('secrets', () => {
  it('no state, output or error of the runs above holds a canary secret', () => {
    expect(seen.length).toBeGreaterThan(20);
    assertNoSecrets(ENV, ...seen);
  });

  const DB_PASSWORD = 'canary-db-password-0001';
  describe.skipIf(!SERVER_URL)(`on a PostgreSQL server${SERVER_SKIP ? ` (${SERVER_SKIP})` : ''}`, () => {
    const schema = `roster_pulumi_${Date.now().toString(36)}`;
    afterAll(async () => {
      if (SERVER_URL) await dropSchemas(SERVER_URL, [schema]);
    });

    it('the URL from the secret config (with its password) is used, and appears in no state, output or error', async () => {
      const url = new URL(SERVER_URL!);
      url.password = DB_PASSWORD;
      const { provider, ctx, cwd } = program();
      // Previews never create a store; on a server, as with the CLI, `roster migrate` (or an apply) does.
      expect((await runCli(['migrate'], cwd, { ROSTER_DATABASE_URL: SERVER_URL!, ROSTER_DATABASE_SCHEMA: schema })).code).toBe(0);
      const secrets = { ...ENV, ROSTER_DATABASE_URL: url.href };
      await provider.configure({ config: { get: (key: string) => (key === 'roster:databaseUrl' ? url.href : undefined) } });
      const inputs: RosterInputs = { ...INPUTS, store: { server: true, schema } };
      const checked = await provider.check({} as RosterInputs, inputs);
      expect(checked.failures).toBeUndefined();
      const created = await provider.create(checked.inputs!);
      expect(created.outs.users.managed).toBeGreaterThanOrEqual(40);
      expect((await provider.diff(created.id, created.outs, (await provider.check(created.outs, inputs)).inputs!)).changes).toBe(false);
      await provider.read(created.id, created.outs);
      // A server that cannot be reached: the error names it without the password.
      const down = new URL(url.href);
      down.port = '1';
      await provider.configure({ config: { get: () => down.href } });
      ctx.databaseUrl = down.href;
      await expect(provider.check({} as RosterInputs, inputs)).rejects.toThrow(/^roster: /);
      expect(JSON.stringify(created)).not.toContain(DB_PASSWORD);
      assertNoSecrets(secrets, ...seen);
      expect(seen.join('\n')).not.toContain(DB_PASSWORD);
    });
  });
});
