import { effectivelyActive, hasAccess } from '../declaration/rules.ts';
import type { PlanContext } from './context.ts';
import { privilegedRoles } from './users.ts';
import type { Block } from './types.ts';

/**
 * Guards stop a typo from locking everyone out. Each block names the flag
 * that overrides it, so an intended clean-up is still one explicit run.
 */
export function checkGuards(ctx: PlanContext): Block[] {
  const { d, live, steps, options, today } = ctx;
  const blocks: Block[] = [];
  const block = (b: Omit<Block, 'overridden'>, overridden: boolean) => blocks.push({ ...b, overridden });

  const deletions = steps.filter((s) => s.kind === 'user.delete');
  if (deletions.length) {
    block(
      { guard: 'delete', message: `${deletions.length} user(s) would be deleted permanently (settings.removal: delete)`, flag: '--allow-delete', keys: deletions.map((s) => s.key) },
      options.allowDelete,
    );
  }

  const liveByEmail = ctx.liveUsers;
  const activeBefore = live.users.filter(hasAccess);
  const removals = steps.filter((s) => (s.kind === 'user.deactivate' || s.kind === 'user.delete') && hasAccess(liveByEmail.get(s.key.slice(5)) ?? { status: 'inactive' }));
  const percent = activeBefore.length ? (removals.length / activeBefore.length) * 100 : 0;
  if (percent > d.settings.guards.maxRemovalPercent) {
    block(
      {
        guard: 'maxRemovalPercent',
        message: `${removals.length} of ${activeBefore.length} active users (${percent.toFixed(1)}%) would lose access; guards.maxRemovalPercent is ${d.settings.guards.maxRemovalPercent}%`,
        flag: '--allow-mass-removal',
        keys: removals.map((s) => s.key),
      },
      options.allowMassRemoval,
    );
  }

  // The state after the plan, as far as roles and access go: looked up per person, counted in loops (this runs over every user).
  const declared = ctx.declaredUsers;
  const removed = new Set(removals.map((s) => s.key.slice(5)));
  const afterOf = (email: string): { role: string | null; access: boolean } | undefined => {
    const u = declared.get(email);
    if (u) return { role: u.role, access: effectivelyActive(u, today) };
    const l = liveByEmail.get(email);
    return l && { role: l.role, access: hasAccess(l) && !removed.has(email) };
  };
  const countAfter = (holds: (role: string | null) => boolean) => {
    let n = 0;
    for (const u of d.users) if (holds(u.role) && effectivelyActive(u, today)) n++;
    for (const l of ctx.undeclaredLive) if (holds(l.role) && hasAccess(l) && !removed.has(l.email)) n++;
    return n;
  };
  const admins = privilegedRoles(ctx);
  const isAdmin = (role: string | null) => role !== null && admins.has(role);
  const adminsBefore = activeBefore.filter((u) => isAdmin(u.role)).length;
  const adminsAfter = countAfter(isAdmin);
  if (adminsAfter < d.settings.guards.minAdmins && adminsAfter < adminsBefore) {
    block(
      {
        guard: 'minAdmins',
        message: `active admins would drop from ${adminsBefore} to ${adminsAfter}; guards.minAdmins is ${d.settings.guards.minAdmins}`,
        flag: '--allow-owner-change',
        keys: activeBefore
          .filter((u) => {
            const a = afterOf(u.email);
            return isAdmin(u.role) && !(a && a.access && isAdmin(a.role));
          })
          .map((u) => `user:${u.email}`),
      },
      options.allowOwnerChange,
    );
  }

  const ownerRoles = new Set([...d.roles.filter((r) => r.owner), ...live.roles.filter((r) => r.owner)].map((r) => r.name));
  if (ownerRoles.size) {
    const isOwner = (role: string | null) => role !== null && ownerRoles.has(role);
    const ownersBefore = activeBefore.filter((u) => isOwner(u.role));
    const losing = ownersBefore.filter((o) => {
      const a = afterOf(o.email);
      return !(a && a.access && isOwner(a.role));
    });
    if (losing.length) {
      block(
        {
          guard: 'ownerChange',
          message: `${losing.map((o) => o.email).join(', ')} would stop being an active owner; owners are only removed with --allow-owner-change`,
          flag: '--allow-owner-change',
          keys: losing.map((o) => `user:${o.email}`),
        },
        options.allowOwnerChange,
      );
    }
    if (ownersBefore.length > 0 && countAfter(isOwner) === 0) {
      block({ guard: 'lastOwner', message: 'no active owner would remain', flag: '--allow-owner-change', keys: losing.map((o) => `user:${o.email}`) }, options.allowOwnerChange);
    }
  }
  return blocks;
}
