import { effectivelyActive, matchesSelector } from '../declaration/rules.ts';
import { fieldAt } from '../declaration/normalize.ts';
import type { CreditKind, CreditTarget, DeclaredCredit } from '../declaration/types.ts';
import { canonicalJson } from '../util/canonical.ts';
import { at, type PlanContext } from './context.ts';
import { liveWorkspacesOf } from './users.ts';
import type { Risk } from './types.ts';

export const SIGNUP_PREFIX = 'signup:';

/**
 * Credits are a ledger: each grant id is applied once. A grant not yet in
 * the ledger becomes one `credit.grant` step whose entries are fixed now
 * (selector grants are expanded to today's matching active users and then
 * sealed). An applied grant that was edited is an error; one that was
 * removed from the files is a warning, never a reversal.
 */
export function planCredits(ctx: PlanContext): void {
  const { d, live, today } = ctx;
  const applied = new Map(live.grants.map((g) => [g.id, g]));
  // Balances per kind and user, from every ledger entry.
  const balances: Record<CreditKind, Map<string, number>> = { awarded: new Map(), purchased: new Map() };
  for (const g of live.grants) {
    const ofKind = balances[g.kind];
    for (const e of g.entries) ofKind.set(e.user, (ofKind.get(e.user) ?? 0) + e.amount);
  }

  const { liveUsers } = ctx;
  const creating = new Set(ctx.steps.filter((s) => s.kind === 'user.create').map((s) => s.key));
  // Who a selector grant reaches: only worked out when a selector grant is still to be applied.
  let members: { email: string; role: string; organization: string | null; workspaces: Record<string, string> }[] | undefined;
  const activeMembers = () =>
    (members ??= d.users
      .filter((u) => effectivelyActive(u, today))
      .map((u) => {
        const l = liveUsers.get(u.email);
        return { email: u.email, role: u.role, organization: u.organization, workspaces: u.workspaces ?? (l ? liveWorkspacesOf(ctx, l) : {}) };
      }));
  const threshold = d.settings.guards.privilegedCreditAmount;

  const grant = (id: string, target: CreditTarget, amount: number, kind: CreditKind, reason: string, users: string[], source: string, c?: DeclaredCredit) => {
    const ofKind = balances[kind];
    for (const user of users) {
      const next = (ofKind.get(user) ?? 0) + amount;
      if (next < 0) {
        ctx.problems.push({
          severity: 'error',
          code: 'credit.negative-balance',
          message: `credit grant ${id} would take ${user}'s ${kind} balance to ${next} (it is ${ofKind.get(user) ?? 0})`,
          ...(c && { at: fieldAt(c, 'amount') ?? c.at }),
        });
        return;
      }
    }
    for (const user of users) ofKind.set(user, (ofKind.get(user) ?? 0) + amount);
    const total = Math.abs(amount) * users.length;
    // A selector that reaches everyone is a platform-wide grant, whatever its amount.
    const everyone = typeof target !== 'string' && activeMembers().length > 1 && users.length === activeMembers().length;
    const risk: Risk[] = total >= threshold || everyone || (typeof target !== 'string' && 'all' in target) ? ['privileged'] : [];
    if (amount < 0) risk.push('destructive');
    ctx.steps.push({
      kind: 'credit.grant',
      key: `credit:${id}`,
      before: null,
      after: { id, target, amount, kind, reason, entries: users.map((user) => ({ user, amount })) },
      reason,
      source,
      risk,
      requires: users.map((u) => `user:${u}`).filter((k) => creating.has(k)),
    });
  };

  for (const c of d.credits) {
    const existing = applied.get(c.id);
    if (existing) {
      // The common case, nothing changed, without allocating: this runs for every applied grant.
      if (existing.amount === c.amount && existing.kind === c.kind && existing.reason === c.reason && (existing.target === c.to || canonicalJson(existing.target) === canonicalJson(c.to))) continue;
      const changed = (['to', 'amount', 'kind', 'reason'] as const).filter((f) => {
        const was = f === 'to' ? existing.target : existing[f];
        return was !== c[f] && canonicalJson(was) !== canonicalJson(c[f]);
      });
      if (changed.length) {
        ctx.problems.push({
          severity: 'error',
          code: 'credit.immutable',
          message: `credit grant ${c.id} was already applied and cannot change (${changed.map((f) => `${f}: ${JSON.stringify(f === 'to' ? existing.target : existing[f])} -> ${JSON.stringify(c[f])}`).join(', ')}); restore it and declare a correcting grant`,
          at: fieldAt(c, changed[0]!) ?? c.at,
        });
      }
      continue;
    }
    const users = typeof c.to === 'string' ? [c.to] : activeMembers().filter((u) => matchesSelector(u, c.to as Exclude<CreditTarget, string>)).map((u) => u.email);
    grant(c.id, c.to, c.amount, c.kind, c.reason, users, at(c.at), c);
  }

  // Signup credits: owed by every user roster created, paid once. Level-based, so an apply
  // interrupted between creating a user and paying them still pays on the next run.
  const owed = [
    ...ctx.steps.filter((s) => s.kind === 'user.create' && (s.after?.signupCredits as number) > 0).map((s) => ({ email: s.after!.email as string, amount: s.after!.signupCredits as number, source: s.source })),
    ...live.users.filter((u) => u.managed && u.signupCredits > 0).map((u) => ({ email: u.email, amount: u.signupCredits, source: 'owed since the user was created' })),
  ];
  for (const { email, amount, source } of owed) {
    const id = `${SIGNUP_PREFIX}${email}`;
    if (applied.has(id)) continue;
    grant(id, email, amount, 'awarded', 'Signup credits', [email], source);
  }

  const declared = new Set(d.credits.map((c) => c.id));
  for (const g of live.grants) {
    if (g.id.startsWith(SIGNUP_PREFIX) || declared.has(g.id)) continue;
    ctx.problems.push({
      severity: 'warning',
      code: 'credit.removed',
      message: `credit grant ${g.id} was applied but is no longer declared; grants are never reversed: declare a correcting grant to undo it`,
    });
  }
}
