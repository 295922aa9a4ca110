import { hasAccess } from '../declaration/rules.ts';
import type { PlanContext } from './context.ts';
import { desiredStatus, privilegedRoles } from './users.ts';
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

  const liveByEmail = new Map(live.users.map((u) => [u.email, u]));
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

  // The state after the plan, as far as roles and access go.
  const declared = new Map(d.users.map((u) => [u.email, u]));
  const removed = new Set(removals.map((s) => s.key.slice(5)));
  const after = [
    ...d.users.map((u) => ({ email: u.email, role: u.role, access: hasAccess({ status: desiredStatus(u, today).status }) })),
    ...live.users.filter((u) => !declared.has(u.email)).map((u) => ({ email: u.email, role: u.role, access: hasAccess(u) && !removed.has(u.email) })),
  ];
  const afterByEmail = new Map(after.map((a) => [a.email, a]));
  const admins = privilegedRoles(ctx);
  const adminsBefore = activeBefore.filter((u) => u.role !== null && admins.has(u.role)).length;
  const adminsAfter = after.filter((u) => u.access && admins.has(u.role ?? '')).length;
  if (adminsAfter < d.settings.guards.minAdmins && adminsAfter < adminsBefore) {
    block(
      {
        guard: 'minAdmins',
        message: `active admins would drop from ${adminsBefore} to ${adminsAfter}; guards.minAdmins is ${d.settings.guards.minAdmins}`,
        flag: '--allow-owner-change',
        keys: activeBefore
          .filter((u) => {
            const a = afterByEmail.get(u.email);
            return admins.has(u.role ?? '') && !(a && a.access && admins.has(a.role ?? ''));
          })
          .map((u) => `user:${u.email}`),
      },
      options.allowOwnerChange,
    );
  }

  const ownerRoles = new Set([...d.roles.filter((r) => r.owner), ...live.roles.filter((r) => r.owner)].map((r) => r.name));
  if (ownerRoles.size) {
    const isOwner = (u: { role: string | null }) => u.role !== null && ownerRoles.has(u.role);
    const ownersBefore = activeBefore.filter(isOwner);
    const losing = ownersBefore.filter((o) => {
      const a = afterByEmail.get(o.email);
      return !(a && a.access && isOwner(a));
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
    if (ownersBefore.length > 0 && !after.some((a) => a.access && isOwner(a))) {
      block({ guard: 'lastOwner', message: 'no active owner would remain', flag: '--allow-owner-change', keys: losing.map((o) => `user:${o.email}`) }, options.allowOwnerChange);
    }
  }
  return blocks;
}
