import { LEVEL_RANK, type EffectiveAccess } from './effective-access.ts';
import type { PlanContext } from './context.ts';
import type { Step, StepKind } from '../model/plan.ts';
import { liveWorkspacesOf } from './users.ts';

/** Effective access before the plan (live) and after it (live with the steps done). */
export interface AccessChange {
  before: EffectiveAccess;
  after: EffectiveAccess;
}

/** A person's own steps that can raise what they reach. */
const PERSON_KINDS: ReadonlySet<StepKind> = new Set(['user.create', 'user.adopt', 'user.update', 'user.transfer', 'user.reactivate']);
const ROLE_KINDS: ReadonlySet<StepKind> = new Set(['role.create', 'role.adopt', 'role.update']);

const markPrivileged = (s: Step) => {
  if (!s.risk.includes('privileged')) s.risk.push('privileged');
};

/**
 * Every raise of anyone's effective privilege (owner or admin of their
 * organization, admin of a workspace) carries a privileged step: the
 * person's own steps, and the redefinition of the role that raised them,
 * whichever of them caused it. Steps already privileged stay so.
 */
export function markRaisedPrivilege(ctx: PlanContext, { before, after }: AccessChange): void {
  const byKey = new Map<string, Step[]>();
  for (const s of ctx.steps) {
    const list = byKey.get(s.key);
    if (list) list.push(s);
    else byKey.set(s.key, [s]);
  }
  const mark = (key: string, kinds?: ReadonlySet<StepKind>) => {
    let marked = false;
    for (const s of byKey.get(key) ?? []) {
      if (kinds && !kinds.has(s.kind)) continue;
      markPrivileged(s);
      marked = true;
    }
    return marked;
  };

  for (const email of candidates(ctx)) {
    const now = after.user(email);
    if (!now) continue;
    const was = before.user(email);
    const raisedInOrganization = LEVEL_RANK[after.levelOf(email)] > (was && was.organization === now.organization ? LEVEL_RANK[before.levelOf(email)] : 0);
    if (raisedInOrganization) {
      const byRole = now.role !== null && mark(`role:${now.role}`, ROLE_KINDS);
      if (!mark(`user:${email}`, PERSON_KINDS) && !byRole) mark(`user:${email}`);
    }
    // Workspaces as each side lets the person reach them: an archived workspace grants nothing, so re-opening one is a raise.
    const reached = after.workspacesOf(email);
    if (!reached) continue;
    const beforeReached = before.workspacesOf(email);
    const wasReached = was && beforeReached ? liveWorkspacesOf(ctx, { ...was, workspaces: beforeReached }) : {};
    for (const ws in reached) {
      if (reached[ws] !== 'admin' || wasReached[ws] === 'admin') continue;
      if (!mark(`membership:${ws}:${email}`) && !mark(`user:${email}`, PERSON_KINDS)) mark(`workspace:${ws}`);
    }
  }
}

/** The people whose access the plan can change: everyone when a role is redefined, else those its steps name. */
function candidates(ctx: PlanContext): Iterable<string> {
  if (ctx.steps.some((s) => s.kind.startsWith('role.'))) return [...ctx.liveUsers.keys(), ...ctx.declaredUsers.keys()];
  const emails = new Set<string>();
  // A workspace re-opened (or renamed onto an archived one) raises its members whom no step of theirs names.
  const workspaces = new Set(
    ctx.steps.filter((s) => s.kind === 'workspace.update' || s.kind === 'workspace.rename').flatMap((s) => [s.key.slice('workspace:'.length), s.before.name]),
  );
  if (workspaces.size) for (const l of ctx.liveUsers.values()) if (Object.keys(l.workspaces).some((ws) => workspaces.has(ws))) emails.add(l.email);
  for (const s of ctx.steps) {
    if (s.key.startsWith('user:')) emails.add(s.key.slice(5));
    else if (s.key.startsWith('membership:')) emails.add(s.key.slice(s.key.indexOf(':', 11) + 1));
  }
  return emails;
}
