import { cpSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.ts';
import { readTrail } from '../../src/audit/file.ts';
import type { AuditEvent } from '../../src/model/audit.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { hasAccess } from '../../src/model/access.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import { plan } from '../../src/plan/index.ts';
import type { LiveState, Provider } from '../../src/model/live.ts';
import { converge } from '../helpers/apply.ts';
import { runCli, spawnCliKilledAt } from '../helpers/cli.ts';
import { NOW, declare } from '../helpers/declare.ts';
import { describeEach } from '../helpers/each.ts';
import { targets, type Live, type Target } from '../helpers/targets.ts';
import { tempTree } from '../helpers/tree.ts';

/**
 * One suite, every provider, each through its real protocol: postgres on
 * PGlite (and on a PostgreSQL server when ROSTER_TEST_DATABASE_URL is set),
 * SCIM against a scimmy-based service (with and without /Bulk) and against
 * Better Auth's SCIM plugin (a second implementation, on PGlite), GitHub
 * against a local server speaking GitHub's REST shapes.
 */
interface People {
  bob?: { role?: string; workspaces?: string; status?: string; organization?: string };
  carol?: { status?: string; organization?: string };
  analytics?: string;
  unmanaged?: string;
}

/** The address a target knows an account by when roster has no email for it (GitHub: the noreply address). */
const handAddress = (t: Target, login: string) => (t.provider === 'github' ? `${login}@users.noreply.github.com` : `${login}@acme.test`);

function declaration(t: Target, p: People = {}): string {
  const analytics = p.analytics ?? 'analytics';
  const optional = (fields: Record<string, string | undefined>) => Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [`    ${k}: ${v}`]));
  return [
    'settings:',
    `  provider: ${t.provider}`,
    '  organization: acme',
    `  unmanaged: ${p.unmanaged ?? 'report'}`,
    `  exclude: [${handAddress(t, 'breakglass')}]`,
    '  guards: { maxRemovalPercent: 100 }',
    'organizations:',
    '  - name: acme',
    ...(t.supports.transfer ? ['  - name: globex'] : []),
    'roles:',
    '  - { name: admin, admin: true }',
    '  - { name: member }',
    'workspaces:',
    `  - name: ${analytics}`,
    ...(p.analytics ? ['    previously: [analytics]'] : []),
    '  - name: research',
    'users:',
    '  - email: alice@acme.test',
    '    github: alice-gh',
    '    role: admin',
    '    workspaces: { research: member }',
    '  - email: bob@acme.test',
    '    github: bob-gh',
    `    role: ${p.bob?.role ?? 'member'}`,
    `    workspaces: ${p.bob?.workspaces ?? `{ ${analytics}: member }`}`,
    ...optional({ status: p.bob?.status, organization: p.bob?.organization }),
    '  - email: carol@acme.test',
    '    github: carol-gh',
    '    role: member',
    ...optional({ status: p.carol?.status, organization: p.carol?.organization }),
    '',
  ].join('\n');
}

async function withProvider<T>(live: Live, d: Declaration, fn: (p: Provider) => Promise<T>): Promise<T> {
  const provider = await live.provider(d);
  try {
    return await fn(provider);
  } finally {
    await provider.close();
  }
}

const memberships = (live: LiveState) => Object.fromEntries(live.users.map((u) => [u.email, u.workspaces]));

describeEach(targets())('provider conformance: $name', (target) => {
  let live: Live;
  const workspaceRole = target.supports.workspaceAdmin ? 'admin' : 'member';
  /** Where the scenarios leave the declaration once workspaces were renamed, memberships changed and (where held) carol moved. */
  const settled: People = {
    analytics: 'insights',
    bob: { workspaces: `{ research: ${workspaceRole} }` },
    carol: { organization: target.supports.transfer ? 'globex' : undefined },
  };
  beforeAll(async () => {
    live = await target.start();
  });
  afterAll(async () => {
    await live?.close();
  });

  /** Applies a declaration, lets invitations be accepted, and insists the next plan is empty; returns the live state. */
  async function applyAndCheck(d: Declaration, expectedKinds?: string[]): Promise<LiveState> {
    const provider = await live.provider(d);
    try {
      const result = await converge(provider, d);
      expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
      if (expectedKinds) expect(result.outcomes.map((o) => `${o.step.kind} ${o.step.key}`)).toEqual(expectedKinds);
      // Second plan empty, while invitations are pending (they count as present) and once accepted.
      expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
      live.acceptInvitations();
      const after = await provider.read();
      expect(plan(d, after, NOW).steps).toEqual([]);
      return after;
    } finally {
      await provider.close();
    }
  }

  it('creates users and workspace memberships, and the next plan is empty', async () => {
    const state = await applyAndCheck(declare({ 'users/a.yaml': declaration(target) }));
    expect(state.users.map((u) => [u.email, u.role, hasAccess(u), u.managed])).toEqual([
      ['alice@acme.test', 'admin', true, true],
      ['bob@acme.test', 'member', true, true],
      ['carol@acme.test', 'member', true, true],
    ]);
    expect(memberships(state)).toEqual({ 'alice@acme.test': { research: 'member' }, 'bob@acme.test': { analytics: 'member' }, 'carol@acme.test': {} });
  });

  it('updates a role', async () => {
    const state = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, { bob: { role: 'admin' } }) }), ['user.update user:bob@acme.test']);
    expect(state.users.find((u) => u.email === 'bob@acme.test')!.role).toBe('admin');
  });

  it('renames a workspace; its members follow', async () => {
    const state = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, { analytics: 'insights' }) }));
    expect(state.workspaces.map((w) => w.name)).toEqual(['insights', 'research']);
    expect(memberships(state)['bob@acme.test']).toEqual({ insights: 'member' });
  });

  it('changes memberships: joins, leaves, and (where held) a workspace admin', async () => {
    const d = declare({ 'users/a.yaml': declaration(target, { ...settled, carol: {} }) });
    const state = await applyAndCheck(d, ['membership.set membership:research:bob@acme.test', 'membership.remove membership:insights:bob@acme.test']);
    expect(memberships(state)['bob@acme.test']).toEqual({ research: workspaceRole });
  });

  it.runIf(target.supports.transfer)('transfers a user to another organization in one step', async () => {
    const state = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, settled) }), ['user.transfer user:carol@acme.test']);
    expect(state.users.find((u) => u.email === 'carol@acme.test')!.organization).toBe('globex');
  });

  it('deactivates a user, then reactivates them', async () => {
    const base = settled;
    const off = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, { ...base, carol: { ...base.carol, status: 'inactive' } }) }), [
      'user.deactivate user:carol@acme.test',
    ]);
    if (target.supports.keepsInactive) expect(off.users.find((u) => u.email === 'carol@acme.test')!.status).toBe('inactive');
    else expect(off.users.map((u) => u.email)).not.toContain('carol@acme.test'); // GitHub: removed from the organization
    const on = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, base) }), [
      target.supports.keepsInactive ? 'user.reactivate user:carol@acme.test' : 'user.create user:carol@acme.test',
    ]);
    expect(hasAccess(on.users.find((u) => u.email === 'carol@acme.test')!)).toBe(true);
  });

  it('reports unmanaged users without touching them, and never plans for excluded ones', async () => {
    await live.addByHand(handAddress(target, 'dora'), 'dora');
    await live.addByHand(handAddress(target, 'breakglass'), 'breakglass');
    const d = declare({ 'users/a.yaml': declaration(target, settled) });
    const provider = await live.provider(d);
    try {
      const p = plan(d, await provider.read(), NOW);
      expect(p.steps).toEqual([]);
      expect(p.unmanaged).toEqual([handAddress(target, 'dora')]);
      // unmanaged: deactivate takes dora's access; breakglass stays untouched.
      const strict = declare({ 'users/a.yaml': declaration(target, { ...settled, unmanaged: 'deactivate' }) });
      expect(plan(strict, await provider.read(), NOW).steps.map((s) => `${s.kind} ${s.key}`)).toEqual([`user.deactivate user:${handAddress(target, 'dora')}`]);
    } finally {
      await provider.close();
    }
    // An apply (with something to do) leaves the accounts someone else made as they were.
    const after = await applyAndCheck(declare({ 'users/a.yaml': declaration(target, { ...settled, bob: { ...settled.bob, role: 'admin' } }) }), [
      'user.update user:bob@acme.test',
    ]);
    const byHand = after.users.filter((u) => u.email === handAddress(target, 'dora') || u.email === handAddress(target, 'breakglass'));
    expect(byHand.map((u) => [u.email, u.managed, hasAccess(u)])).toEqual(
      [handAddress(target, 'breakglass'), handAddress(target, 'dora')].sort().map((e) => [e, false, true]),
    );
  });

  /** The trail of a converged kill-and-rerun: it verifies, and every step of the first plan has exactly one event, applied. */
  function expectTrailOf(cwd: string, planned: string[]): AuditEvent[] {
    const trail = readTrail(`${cwd}/.roster/audit.jsonl`).events;
    expect(verifyChain(trail)).toEqual({ ok: true, count: trail.length });
    expect(trail.map((e) => `${e.step} ${e.key}`).sort()).toEqual([...planned].sort());
    expect(trail.filter((e) => e.result !== 'applied')).toEqual([]);
    expect(trail.every((e) => e.actor.name === 'test')).toBe(true);
    return trail;
  }

  /**
   * Kill points over the three phases (2 workspaces, 3 users, 2 memberships):
   * with intents on disk and no request sent, with requests answered and no
   * event written, and with events written and their intents not cleared.
   * Postgres records each event in the step's own transaction; it has its
   * own crash suite on both engines (test/apply/crash.test.ts).
   */
  const slow = Boolean(process.env.ROSTER_SLOW_TESTS);
  // Each point costs a child process: `npm test` kills in the users phase before and after the requests, `npm run test:slow` everywhere.
  const httpPoints = slow
    ? ['kill-after-intent:1', 'kill-after-step:1', 'kill-after-event:2', 'kill-after-intent:3', 'kill-after-step:3', 'kill-after-step:6']
    : ['kill-after-intent:3', 'kill-after-step:3'];
  const killPoints = target.provider === 'postgres' ? ['kill-after-step:3'] : httpPoints;
  // A fresh PGlite data dir here costs ~15 s: postgres only in the slow suite.
  it.skipIf(target.provider === 'postgres' && !slow).each(killPoints)(
    'an apply killed half-way (%s) converges when run again, every change audited once',
    async (point) => {
      const fresh = await target.start();
      try {
        const cwd = tempTree({ 'users/a.yaml': declaration(target) });
        cpSync('schema', `${cwd}/schema`, { recursive: true });
        writeFileSync(`${cwd}/.keep`, '');
        const now = ['--now', NOW.toISOString()];
        const d = loadDeclaration(`${cwd}/users`, { now: NOW, cwd }).declaration!;
        const planned = await withProvider(fresh, d, async (p) => plan(d, await p.read(), NOW).steps.map((s) => `${s.kind} ${s.key}`));
        // After the first open: on the PostgreSQL server that is what picks the test's schema.
        const env = fresh.env(cwd);
        // Workspaces, users, memberships (and on postgres the organizations and roles, which it holds as objects,
        // and the declared maxRemovalPercent, a guard setting it records).
        expect(planned).toHaveLength(target.provider === 'postgres' ? 12 : 7);

        const killed = await spawnCliKilledAt(point, ['apply', '--yes', ...now], cwd, env);
        expect(killed.signal).toBe('SIGKILL');
        if (target.provider !== 'postgres') {
          // Until the next apply settles them, verify says changes may lack their events (none do once their events are written).
          const verify = await runCli(['audit', 'verify'], cwd, env);
          expect({ code: verify.code, incomplete: verify.stdout.includes('INCOMPLETE') }).toEqual(
            point.startsWith('kill-after-event') ? { code: 0, incomplete: false } : { code: 1, incomplete: true },
          );
        }
        const rerun = await runCli(['apply', '--yes', '--progress', 'never', ...now], cwd, env);
        // The note about the interrupted run is a diagnostic, on stderr (checked below); nothing else is.
        expect(rerun.stderr.replace(/^An earlier apply was interrupted: .*\n/m, '')).toBe('');
        expect(rerun.code).toBe(0);
        const again = await runCli(['plan', '--detailed-exitcode', ...now], cwd, env);
        expect(again.code).toBe(0);
        await withProvider(fresh, d, async (provider) => {
          const state = await provider.read();
          // Nobody twice: one live user per declared user, one membership each.
          expect(state.users.map((u) => u.email)).toEqual(['alice@acme.test', 'bob@acme.test', 'carol@acme.test']);
          expect(memberships(state)).toEqual({ 'alice@acme.test': { research: 'member' }, 'bob@acme.test': { analytics: 'member' }, 'carol@acme.test': {} });
        });
        const trail = expectTrailOf(cwd, planned);
        const recovered = trail.filter((e) => e.recovered !== undefined);
        // Killed after an answer, before its event: that change (at least) is found and recorded by the rerun. Postgres commits events with their steps.
        if (point.startsWith('kill-after-step') && target.provider !== 'postgres') expect(recovered.length).toBeGreaterThan(0);
        else expect(recovered).toEqual([]);
        expect(rerun.stderr.includes('An earlier apply was interrupted')).toBe(recovered.length > 0 || point.startsWith('kill-after-intent'));
        const verified = await runCli(['audit', 'verify'], cwd, env);
        expect(verified.stdout).not.toContain('INCOMPLETE');
        expect(verified.code).toBe(0);
      } finally {
        await fresh.close();
      }
    },
  );
});
