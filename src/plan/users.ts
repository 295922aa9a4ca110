import { effectivelyActive, hasAccess } from '../model/access.ts';
import type { DeclaredUser, UserStatus } from '../model/declaration.ts';
import type { WorkspaceRole } from '../model/schema.generated.ts';
import type { LiveUser } from '../model/live.ts';
import type { Location } from '../model/problems.ts';
import { REMOVED, addStep, changedFields, type PlanContext } from './context.ts';
import type { Risk } from '../model/plan.ts';
import type { Fields } from '../model/json.ts';

/** The status a declared user should have today: an expired contractor is inactive. */
export function desiredStatus(u: DeclaredUser, today: string): { status: UserStatus; expired: boolean } {
  if (hasAccess(u) && u.expires !== undefined && u.expires < today) return { status: 'inactive', expired: true };
  return { status: u.status, expired: false };
}

/** A person's fields the plan makes as declared; an omitted one is left alone. */
const MANAGED_FIELDS = ['name', 'role', 'department', 'expires'] as const;
const managedFields = (x: DeclaredUser | LiveUser) => Object.fromEntries(MANAGED_FIELDS.map((f) => [f, x[f]]));

/** Whether a declared user's managed fields differ from the live ones, without building them (this runs over every user). */
const fieldsDiffer = (u: DeclaredUser, l: LiveUser): boolean => MANAGED_FIELDS.some((f) => u[f] !== undefined && u[f] !== l[f]);

export function privilegedRoles(ctx: PlanContext): Set<string> {
  const roles = new Set<string>();
  for (const r of ctx.d.roles) if (r.admin || r.owner) roles.add(r.name);
  for (const r of ctx.live.roles) if ((r.admin || r.owner) && !ctx.d.roles.some((x) => x.name === r.name)) roles.add(r.name);
  return roles;
}

/** Live workspace memberships under their declared names (after renames). */
export function liveWorkspacesOf(ctx: PlanContext, l: LiveUser): Record<string, WorkspaceRole> {
  if (ctx.renamed.size === 0) return l.workspaces;
  return Object.fromEntries(Object.entries(l.workspaces).map(([ws, role]) => [ctx.renamed.get(ws) ?? ws, role]));
}

export function planUsers(ctx: PlanContext): void {
  const { d, live, today } = ctx;
  const { liveUsers } = ctx;
  const privileged = privilegedRoles(ctx);
  const signupCredits = d.settings.policies.signupCredits ?? live.policies.signupCredits ?? 0;

  for (const u of d.users) {
    const l = liveUsers.get(u.email);
    // The common case, a user as declared, allocates nothing: this runs over every user.
    if (
      l &&
      l.managed &&
      !fieldsDiffer(u, l) &&
      u.organization === l.organization &&
      hasAccess(l) === effectivelyActive(u, today) &&
      (hasAccess(l) || u.status === l.status) &&
      u.resendInvitation === undefined
    ) {
      planAssignments(ctx, u, l);
      continue;
    }
    const key = `user:${u.email}`;
    const source = u.at;
    const { status, expired } = desiredStatus(u, today);
    // Where deactivating removes the user (GitHub), an inactive user that is not there is as declared.
    if (!l && live.absentIsInactive && !hasAccess({ status })) continue;
    const roleRisk: Risk[] = privileged.has(u.role) ? ['privileged'] : [];
    if (!l) {
      addStep(
        ctx,
        'user.create',
        key,
        null,
        {
          email: u.email,
          name: u.name ?? null,
          role: u.role,
          // Access is granted through an invitation the platform sends; accepting it makes the user active.
          status: hasAccess({ status }) ? 'invited' : status,
          organization: u.organization,
          department: u.department ?? null,
          expires: u.expires ?? null,
          invitationKey: u.resendInvitation ?? null,
          signupCredits,
        },
        'declared; the platform sends an invitation',
        source,
        roleRisk,
      );
    } else {
      const diff = changedFields(managedFields(u), managedFields(l));
      const risk: Risk[] = diff && 'role' in diff.after && privileged.has(u.role) ? ['privileged'] : [];
      if (!l.managed) {
        addStep(
          ctx,
          'user.adopt',
          key,
          { email: u.email, managed: false, ...diff?.before },
          { email: u.email, managed: true, ...diff?.after },
          'declared; roster takes over managing this user',
          source,
          risk,
        );
      } else if (diff) {
        addStep(ctx, 'user.update', key, { email: u.email, ...diff.before }, { email: u.email, ...diff.after }, describeChange(diff.after), source, risk);
      }
      if (u.organization !== l.organization) {
        addStep(
          ctx,
          'user.transfer',
          key,
          { email: u.email, organization: l.organization },
          { email: u.email, organization: u.organization },
          `moves to organization ${u.organization}`,
          source,
        );
      }
      planStatus(ctx, u, l, status, expired, source);
      if (u.resendInvitation !== undefined && l.status === 'invited' && hasAccess({ status }) && l.invitationKey !== u.resendInvitation) {
        addStep(
          ctx,
          'invitation.resend',
          `invitation:${u.email}`,
          { email: u.email, invitationKey: l.invitationKey },
          { email: u.email, invitationKey: u.resendInvitation },
          'resendInvitation changed',
          source,
          [],
          [key],
        );
      }
    }
    planAssignments(ctx, u, l);
  }
  planUndeclared(ctx);
}

function describeChange(after: Fields): string {
  const fields = Object.keys(after).filter((k) => k !== 'email');
  return `declared ${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'}`;
}

function planStatus(ctx: PlanContext, u: DeclaredUser, l: LiveUser, status: UserStatus, expired: boolean, source: Location): void {
  const key = `user:${u.email}`;
  const before = { email: u.email, status: l.status };
  if (hasAccess({ status })) {
    // invited <-> active is the person accepting, not drift.
    if (!hasAccess(l)) addStep(ctx, 'user.reactivate', key, before, { email: u.email, status }, `declared ${status}`, source);
  } else if (status !== l.status) {
    const kind = status === 'suspended' ? 'user.suspend' : 'user.deactivate';
    const reason = expired ? `contract ended: expires ${u.expires}` : `declared ${status}`;
    addStep(ctx, kind, key, before, { email: u.email, status }, reason, source, ['destructive']);
  }
}

/** Workspaces, projects and packages: omitted keys are left alone, declared ones are made exact. */
function planAssignments(ctx: PlanContext, u: DeclaredUser, l: LiveUser | undefined): void {
  const userKey = `user:${u.email}`;
  const source = u.at;
  if (l && l.organization !== u.organization) planTransferCleanup(ctx, u, l);
  if (u.workspaces !== undefined) {
    const have: Record<string, WorkspaceRole> = l ? liveWorkspacesOf(ctx, l) : {};
    for (const ws in u.workspaces) {
      const role = u.workspaces[ws]!;
      if (have[ws] === role) continue;
      addStep(
        ctx,
        'membership.set',
        `membership:${ws}:${u.email}`,
        have[ws] ? { workspace: ws, user: u.email, role: have[ws] } : null,
        { workspace: ws, user: u.email, role },
        have[ws] ? `workspace role ${have[ws]} -> ${role}` : `joins ${ws} as ${role}`,
        source,
        role === 'admin' ? ['privileged'] : [],
        [userKey, `workspace:${ws}`],
      );
    }
    for (const ws in have) {
      if (ws in u.workspaces) continue;
      addStep(
        ctx,
        'membership.remove',
        `membership:${ws}:${u.email}`,
        { workspace: ws, user: u.email, role: have[ws]! },
        null,
        `not in ${u.email}'s declared workspaces`,
        source,
        ['destructive'],
      );
    }
  }
  if (u.projects !== undefined) planList(ctx, u, userKey, PROJECTS, u.projects, l?.projects ?? []);
  if (u.packages !== undefined) planList(ctx, u, userKey, PACKAGES, u.packages, l?.packages ?? []);
}

/**
 * A transfer crosses a tenant boundary: what the person reached in the old
 * organization goes, also where the declaration leaves workspaces or
 * projects out (validation already refuses listing the old organization's).
 */
function planTransferCleanup(ctx: PlanContext, u: DeclaredUser, l: LiveUser): void {
  const orgOf = (type: 'workspaces' | 'projects', name: string) =>
    (ctx.d[type].find((x) => x.name === name) ?? ctx.live[type].find((x) => x.name === name))?.organization;
  const reason = `moves to organization ${u.organization}; access in ${l.organization} ends`;
  if (u.workspaces === undefined) {
    const have = liveWorkspacesOf(ctx, l);
    for (const ws in have) {
      if (orgOf('workspaces', ws) === u.organization) continue;
      addStep(ctx, 'membership.remove', `membership:${ws}:${u.email}`, { workspace: ws, user: u.email, role: have[ws]! }, null, reason, u.at, ['destructive']);
    }
  }
  if (u.projects === undefined) {
    for (const name of l.projects) {
      if (orgOf('projects', name) === u.organization) continue;
      addStep(ctx, PROJECTS.unassign, `${PROJECTS.keyType}-assignment:${name}:${u.email}`, { project: name, user: u.email }, null, reason, u.at, [
        'destructive',
      ]);
    }
  }
}

const PROJECTS = {
  field: 'projects',
  assign: 'project.assign',
  unassign: 'project.unassign',
  keyType: 'project',
  fields: (project: string, user: string) => ({ project, user }),
} as const;
const PACKAGES = {
  field: 'packages',
  assign: 'package.assign',
  unassign: 'package.unassign',
  keyType: 'package',
  fields: (pkg: string, user: string) => ({ package: pkg, user }),
} as const;

/** A declared list made exact; lists are a person's few projects or packages, so plain scans. */
function planList(ctx: PlanContext, u: DeclaredUser, userKey: string, list: typeof PROJECTS | typeof PACKAGES, declared: string[], live: string[]): void {
  for (const name of declared) {
    if (live.includes(name)) continue;
    addStep(
      ctx,
      list.assign,
      `${list.keyType}-assignment:${name}:${u.email}`,
      null,
      list.fields(name, u.email),
      `assigned ${list.keyType} ${name}`,
      u.at,
      [],
      [userKey, `${list.keyType}:${name}`],
    );
  }
  for (const name of live) {
    if (declared.includes(name)) continue;
    addStep(
      ctx,
      list.unassign,
      `${list.keyType}-assignment:${name}:${u.email}`,
      list.fields(name, u.email),
      null,
      `not in ${u.email}'s declared ${list.field}`,
      u.at,
      ['destructive'],
    );
  }
}

/** Managed users removed from the files follow settings.removal; users roster never managed follow settings.unmanaged. */
function planUndeclared(ctx: PlanContext): void {
  const { removal, unmanaged } = ctx.d.settings;
  for (const l of ctx.undeclaredLive) {
    const key = `user:${l.email}`;
    if (l.managed) {
      if (removal === 'delete') {
        addStep(
          ctx,
          'user.delete',
          key,
          { email: l.email, status: l.status, role: l.role, organization: l.organization },
          null,
          'removed from the declaration (settings.removal: delete); ledger rows are kept anonymised',
          REMOVED,
          ['destructive', 'privileged'],
        );
      } else if (l.status !== 'inactive') {
        addStep(
          ctx,
          'user.deactivate',
          key,
          { email: l.email, status: l.status },
          { email: l.email, status: 'inactive' },
          'removed from the declaration (settings.removal: deactivate)',
          REMOVED,
          ['destructive'],
        );
      }
    } else if (unmanaged === 'report') {
      ctx.unmanaged.push(l.email);
    } else if (unmanaged === 'deactivate' && l.status !== 'inactive') {
      addStep(
        ctx,
        'user.deactivate',
        key,
        { email: l.email, status: l.status },
        { email: l.email, status: 'inactive' },
        'not declared and not managed (settings.unmanaged: deactivate)',
        'not declared',
        ['destructive'],
      );
    }
  }
}
