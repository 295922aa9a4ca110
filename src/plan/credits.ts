import { effectivelyActive, matchesSelector } from '../model/access.ts';
import { fieldAt } from '../model/field-location.ts';
import type { CreditKind, DeclaredCredit } from '../model/declaration.ts';
import type { CreditTarget } from '../model/schema.generated.ts';
import { canonicalJson } from '../util/canonical.ts';
import { at, type PlanContext } from './context.ts';
import { liveWorkspacesOf } from './users.ts';
import type { Risk } from '../model/plan.ts';

export const SIGNUP_PREFIX = 'signup:';

/** A grant to apply, in order: its users' balances are checked first (grant). */
interface PendingGrant {
  id: string;
  target: CreditTarget;
  amount: number;
  kind: CreditKind;
  reason: string;
  users: string[];
  source: string;
  c?: DeclaredCredit;
}

/**
 * Credits are a ledger: each grant id is applied once. A grant not yet in
 * the ledger becomes one `credit.grant` step whose entries are fixed now
 * (selector grants are expanded to today's matching active users and then
 * sealed: someone joining the role or department later is not paid by it). An applied grant that was edited is an error; one that was
 * removed from the files is a warning, never a reversal.
 */
export function planCredits(ctx: PlanContext): void {
  const { d, live, today } = ctx;
  const applied = new Map(live.grants.map((g) => [g.id, g]));

  const { liveUsers } = ctx;
  const creating = new Set(ctx.steps.filter((s) => s.kind === 'user.create').map((s) => s.key));
  // Who a selector grant reaches: only worked out when a selector grant is still to be applied.
  // A department or workspaces left undeclared (not managed) are the live ones, as for the rest of the plan.
  let members: { email: string; role: string; organization: string | null; department: string | null; workspaces: Record<string, string> }[] | undefined;
  const activeMembers = () =>
    (members ??= d.users
      .filter((u) => effectivelyActive(u, today))
      .map((u) => {
        const l = liveUsers.get(u.email);
        return {
          email: u.email,
          role: u.role,
          organization: u.organization,
          department: u.department ?? l?.department ?? null,
          workspaces: u.workspaces ?? (l ? liveWorkspacesOf(ctx, l) : {}),
        };
      }));
  const threshold = ctx.guards.privilegedCreditAmount;

  // Balances per kind and user, from the ledger: only of the users a pending grant reaches (see below).
  const balances: Record<CreditKind, Map<string, number>> = { awarded: new Map(), purchased: new Map() };
  const grant = ({ id, target, amount, kind, reason, users, source, c }: PendingGrant) => {
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

  const pending: PendingGrant[] = [];
  let stillDeclared = 0;
  for (const c of d.credits) {
    const existing = applied.get(c.id);
    if (existing) {
      if (!existing.id.startsWith(SIGNUP_PREFIX)) stillDeclared++;
      // The common case, nothing changed, without allocating: this runs for every applied grant.
      if (
        existing.amount === c.amount &&
        existing.kind === c.kind &&
        existing.reason === c.reason &&
        (existing.target === c.to || canonicalJson(existing.target) === canonicalJson(c.to))
      )
        continue;
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
    // A list names its users as an email does (the rules warn about inactive ones); a selector reaches today's active members.
    const to = c.to;
    const users =
      typeof to === 'string'
        ? [to]
        : Array.isArray(to)
          ? [...to]
          : activeMembers()
              .filter((u) => matchesSelector(u, to))
              .map((u) => u.email);
    pending.push({ id: c.id, target: c.to, amount: c.amount, kind: c.kind, reason: c.reason, users, source: at(c.at), c });
  }

  // Signup credits: owed by every user roster created, paid once. Level-based, so an apply
  // interrupted between creating a user and paying them still pays on the next run.
  const owed: { email: string; amount: number; source: string }[] = [];
  for (const s of ctx.steps)
    if (s.kind === 'user.create' && s.after.signupCredits > 0) owed.push({ email: s.after.email, amount: s.after.signupCredits, source: s.source });
  for (const u of live.users)
    if (u.managed && u.signupCredits > 0) owed.push({ email: u.email, amount: u.signupCredits, source: 'owed since the user was created' });
  for (const { email, amount, source } of owed) {
    const id = `${SIGNUP_PREFIX}${email}`;
    if (applied.has(id)) continue;
    pending.push({ id, target: email, amount, kind: 'awarded', reason: 'Signup credits', users: [email], source });
  }

  // One pass over the ledger for the balances the pending grants are checked against, then the grants in order.
  const reached = new Set(pending.flatMap((p) => p.users));
  if (reached.size > 0) {
    for (const g of live.grants) {
      const ofKind = balances[g.kind];
      for (const e of g.entries) if (reached.has(e.user)) ofKind.set(e.user, (ofKind.get(e.user) ?? 0) + e.amount);
    }
  }
  for (const p of pending) grant(p);

  // Every applied grant but the signup ones still declared: none was removed (the common case, without a set of ids).
  let appliedDeclarable = 0;
  for (const g of live.grants) if (!g.id.startsWith(SIGNUP_PREFIX)) appliedDeclarable++;
  if (stillDeclared === appliedDeclarable) return;
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
