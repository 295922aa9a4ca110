import { hasAccess } from '../model/access.ts';
import type { PlanContext } from './context.ts';
import { reaches, type OrganizationAccess } from './effective-access.ts';
import type { AccessChange } from './privilege.ts';
import type { Block } from '../model/plan.ts';

/**
 * Guards stop a typo from locking everyone out. Each block names the flag
 * that overrides it, so an intended clean-up is still one explicit run.
 */
export function checkGuards(ctx: PlanContext, change: AccessChange): Block[] {
  const { live, steps, options } = ctx;
  const guards = ctx.guards;
  const blocks: Block[] = [];
  const block = (b: Omit<Block, 'overridden'>, overridden: boolean) => blocks.push({ ...b, overridden });

  const deletions = steps.filter((s) => s.kind === 'user.delete');
  if (deletions.length) {
    block(
      {
        guard: 'delete',
        message: `${deletions.length} user(s) would be deleted permanently (settings.removal: delete)`,
        flag: '--allow-delete',
        keys: deletions.map((s) => s.key),
      },
      options.allowDelete,
    );
  }

  // Who loses access is read from the state after the plan, not from step kinds: a suspension locks out as surely as a deactivation.
  const activeBefore = live.users.filter(hasAccess);
  const removals = activeBefore.filter((u) => !reachesAfter(change, u.email)).map((u) => ({ key: `user:${u.email}` }));
  const percent = activeBefore.length ? (removals.length / activeBefore.length) * 100 : 0;
  if (percent > guards.maxRemovalPercent) {
    block(
      {
        guard: 'maxRemovalPercent',
        message: `${removals.length} of ${activeBefore.length} active users (${percent.toFixed(1)}%) would lose access; guards.maxRemovalPercent is ${guards.maxRemovalPercent}%`,
        flag: '--allow-mass-removal',
        keys: removals.map((s) => s.key),
      },
      options.allowMassRemoval,
    );
  }

  for (const org of organizationsOf(change)) checkOrganization(ctx, change, org, block);
  return blocks;
}

const reachesAfter = ({ after }: AccessChange, email: string) => {
  const u = after.user(email);
  return u !== undefined && reaches(u.status);
};

type AddBlock = (b: Omit<Block, 'overridden'>, overridden: boolean) => void;
const NONE: OrganizationAccess = { owners: [], admins: [] };
const label = (org: string | null) => (org === null ? 'no organization' : `organization ${org}`);

/** Every organization that has an effective owner or admin before or after the plan, in name order. */
function organizationsOf({ before, after }: AccessChange): (string | null)[] {
  const orgs = new Set([...before.organizations.keys(), ...after.organizations.keys()]);
  return [...orgs].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
}

/**
 * Per organization, effective admins and owners before and after the whole
 * plan, however the edits are mixed (users, role definitions, transfers,
 * statuses). A handover, where someone becomes owner as another stops, keeps
 * an owner and needs no flag.
 */
function checkOrganization(ctx: PlanContext, { before, after }: AccessChange, org: string | null, block: AddBlock): void {
  const { options, guards } = ctx;
  const was = before.organizations.get(org) ?? NONE;
  const now = after.organizations.get(org) ?? NONE;
  const gone = (list: string[], from: string[]) => {
    const stay = new Set(from);
    return list.filter((e) => !stay.has(e)).map((e) => `user:${e}`);
  };
  if (now.admins.length < guards.minAdmins && now.admins.length < was.admins.length) {
    block(
      {
        guard: 'minAdmins',
        message: `${label(org)}: active admins would drop from ${was.admins.length} to ${now.admins.length}; guards.minAdmins is ${guards.minAdmins}`,
        flag: '--allow-owner-change',
        keys: gone(was.admins, now.admins),
      },
      options.allowOwnerChange,
    );
  }
  const losing = gone(was.owners, now.owners);
  const gaining = gone(now.owners, was.owners);
  if (losing.length && gaining.length === 0) {
    block(
      {
        guard: 'ownerChange',
        message: `${losing.map((k) => k.slice(5)).join(', ')} would stop being an active owner of ${label(org)}; owners are only removed with --allow-owner-change (a handover to a new owner in the same change needs no flag)`,
        flag: '--allow-owner-change',
        keys: losing,
      },
      options.allowOwnerChange,
    );
  }
  if (was.owners.length > 0 && now.owners.length === 0) {
    block(
      { guard: 'lastOwner', message: `no active owner would remain in ${label(org)}`, flag: '--allow-owner-change', keys: losing },
      options.allowOwnerChange,
    );
  }
}
