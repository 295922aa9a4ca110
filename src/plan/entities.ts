import type { StepFields } from '../model/plan.ts';
import type { Fields, Json } from '../model/json.ts';
import { canonicalPermissions } from '../util/canonical.ts';
import { REMOVED, addStep, at, changedFields, type PlanContext } from './context.ts';
import type { Location } from '../model/problems.ts';
import type { StepKind } from '../model/plan.ts';

type EntityType = 'organization' | 'role' | 'workspace' | 'project' | 'package';
/** The kinds reconcile makes from an entity's type and a verb. */
type EntityKind = Extract<StepKind, `${EntityType}.${'create' | 'adopt' | 'update' | 'rename'}`>;
type RemoveKind = 'organization.delete' | 'role.delete' | 'workspace.archive' | 'project.archive' | 'package.delete';

/**
 * A step reconcile builds: the fields are the entity's, named as StepFields
 * says for the kind (an update's and an adoption's only the changed ones).
 * One pattern serves all five types, so TypeScript cannot follow the kind
 * made of the type and the verb: the shapes are checked here, by hand.
 */
function entityStep(
  ctx: PlanContext,
  type: EntityType,
  verb: 'create' | 'adopt' | 'update' | 'rename',
  key: string,
  before: Fields | null,
  after: Fields,
  reason: string,
  source: string,
): void {
  const kind = `${type}.${verb}` as EntityKind;
  addStep(ctx, kind, key, before as StepFields[EntityKind]['before'], after as StepFields[EntityKind]['after'], reason, source);
}

interface Reconcile<D, L> {
  type: EntityType;
  declared: (D & { name: string; at: Location })[];
  live: (L & { name: string; managed: boolean })[];
  /** The managed fields of a declared entity (undefined = not managed). */
  desired: (d: D) => Record<string, Json | undefined>;
  current: (l: L) => Record<string, Json | undefined>;
  /** Declared -> live counterpart under another name (renames), if any. */
  renamedFrom?: (d: D, byName: Map<string, L & { name: string; managed: boolean }>) => (L & { name: string; managed: boolean }) | undefined;
  /** What happens to a managed live entity no longer declared; undefined keeps it. */
  remove?: (l: L) => { kind: RemoveKind; reason: string } | undefined;
}

/** create / adopt / update / rename / remove for the named entities, one pattern for all. */
function reconcile<D, L>(ctx: PlanContext, r: Reconcile<D, L>): void {
  const byName = new Map(r.live.map((l) => [l.name, l]));
  const claimed = new Set<string>();
  for (const d of r.declared) {
    const key = `${r.type}:${d.name}`;
    const source = at(d.at);
    let l = byName.get(d.name);
    if (!l && r.renamedFrom) {
      l = r.renamedFrom(d, byName);
      if (l) {
        claimed.add(l.name);
        ctx.renamed.set(l.name, d.name);
        entityStep(ctx, r.type, 'rename', key, { name: l.name }, { name: d.name }, `renamed from ${l.name}`, source);
      }
    }
    if (l) claimed.add(l.name);
    const desired = r.desired(d);
    if (!l) {
      const after = Object.fromEntries(Object.entries({ name: d.name, ...desired }).map(([k, v]) => [k, v ?? null]));
      entityStep(ctx, r.type, 'create', key, null, after, `declared`, source);
      continue;
    }
    const diff = changedFields(desired, r.current(l));
    if (!l.managed) {
      entityStep(
        ctx,
        r.type,
        'adopt',
        key,
        { name: d.name, managed: false, ...diff?.before },
        { name: d.name, managed: true, ...diff?.after },
        'declared; roster takes over managing it',
        source,
      );
    } else if (diff) {
      entityStep(ctx, r.type, 'update', key, { name: d.name, ...diff.before }, { name: d.name, ...diff.after }, 'declared values differ', source);
    }
  }
  if (!r.remove) return;
  for (const l of r.live) {
    if (!l.managed || claimed.has(l.name) || r.declared.some((d) => d.name === l.name)) continue;
    const removal = r.remove(l);
    if (removal) addStep(ctx, removal.kind, `${r.type}:${l.name}`, { name: l.name }, null, removal.reason, REMOVED, ['destructive']);
  }
}

export function planEntities(ctx: PlanContext): void {
  const { d, live } = ctx;
  // In use after the plan, so that one apply is enough: users not declared keep their role and organization (deactivated,
  // or unmanaged) unless the plan deletes them, excluded accounts always; workspaces and projects are where the declaration
  // puts them. Only asked when something is removed.
  const staying = (u: { managed: boolean }) => !(u.managed && d.settings.removal === 'delete');
  const stillUsing = (field: 'role' | 'organization', name: string) =>
    d.users.some((u) => u[field] === name) ||
    ctx.undeclaredLive.some((u) => u[field] === name && staying(u)) ||
    ctx.excludedLive.some((u) => u[field] === name);
  type Placed = { name: string; organization: string | null };
  const holds = (org: string, declared: Placed[], live: Placed[], claimed: Set<string>) =>
    declared.some((x) => x.organization === org) || live.some((x) => x.organization === org && !claimed.has(x.name));
  const objects = (kind: 'organizations' | 'roles') => !live.valueOnly?.includes(kind);

  if (objects('organizations'))
    reconcile(ctx, {
      type: 'organization',
      declared: d.organizations,
      live: live.organizations,
      desired: (o) => ({ displayName: o.displayName }),
      current: (l) => ({ displayName: l.displayName }),
      remove: (l) => {
        const workspaces = new Set(d.workspaces.flatMap((w) => [w.name, ...w.previously]));
        const inUse =
          stillUsing('organization', l.name) ||
          holds(l.name, d.workspaces, live.workspaces, workspaces) ||
          holds(l.name, d.projects, live.projects, new Set(d.projects.map((p) => p.name)));
        if (inUse) {
          ctx.problems.push({
            severity: 'warning',
            code: 'organization.kept',
            message: `organization ${l.name} is no longer declared but still has users, workspaces or projects; it is kept`,
          });
          return undefined;
        }
        return { kind: 'organization.delete', reason: 'no longer declared and empty' };
      },
    });
  if (objects('roles'))
    reconcile(ctx, {
      type: 'role',
      declared: d.roles,
      live: live.roles,
      desired: (r) => ({ description: r.description, owner: r.owner, admin: r.admin, permissions: r.permissions }),
      // The declaration's permissions are canonical (normalize.ts); the store's come in its own order.
      current: (l) => ({ description: l.description, owner: l.owner, admin: l.admin, permissions: canonicalPermissions(l.permissions) }),
      remove: (l) => {
        if (stillUsing('role', l.name)) {
          ctx.problems.push({ severity: 'warning', code: 'role.kept', message: `role ${l.name} is no longer declared but users still hold it; it is kept` });
          return undefined;
        }
        return { kind: 'role.delete', reason: 'no longer declared and held by nobody' };
      },
    });
  const liveWorkspaces = live.workspaces;
  reconcile(ctx, {
    type: 'workspace',
    declared: d.workspaces,
    live: liveWorkspaces,
    desired: (w) => ({ organization: w.organization, description: w.description, archived: false }),
    current: (l) => ({ organization: l.organization, description: l.description, archived: l.archived }),
    renamedFrom: (w, byName) => {
      for (const old of w.previously) {
        const l = byName.get(old);
        if (l) return l;
      }
      return undefined;
    },
    remove: (l) => (l.archived ? undefined : { kind: 'workspace.archive', reason: 'no longer declared; archived with its history' }),
  });
  reconcile(ctx, {
    type: 'project',
    declared: d.projects,
    live: live.projects,
    desired: (p) => ({ organization: p.organization, description: p.description, archived: false }),
    current: (l) => ({ organization: l.organization, description: l.description, archived: l.archived }),
    remove: (l) => (l.archived ? undefined : { kind: 'project.archive', reason: 'no longer declared; archived with its history' }),
  });
  reconcile(ctx, {
    type: 'package',
    declared: d.packages,
    live: live.packages,
    desired: (p) => ({ createdBy: p.createdBy, description: p.description }),
    current: (l) => ({ createdBy: l.createdBy, description: l.description }),
    remove: () => ({ kind: 'package.delete', reason: 'no longer declared' }),
  });
}

/** Project owners are set after users exist (a new project's owner may be created in the same plan). */
export function planProjectOwners(ctx: PlanContext): void {
  const liveProjects = new Map(ctx.live.projects.map((p) => [p.name, p]));
  for (const p of ctx.d.projects) {
    const current = liveProjects.get(p.name)?.owner ?? null;
    if (current === p.owner) continue;
    ctx.steps.push({
      kind: 'project.owner',
      key: `project:${p.name}`,
      before: { project: p.name, owner: current },
      after: { project: p.name, owner: p.owner },
      reason: current ? `ownership moves from ${current}` : 'declared owner',
      source: at(p.at),
      risk: [],
      requires: [`project:${p.name}`, `user:${p.owner}`],
    });
  }
}

/** Policies declared in settings; omitted ones are left as they are. */
export function planPolicies(ctx: PlanContext): void {
  const declared = ctx.d.settings.policies;
  const source = ctx.d.settingsAt ? at(ctx.d.settingsAt) : 'settings';
  for (const key of ['signupCredits', 'lowBalanceThreshold', 'creditExpiryDays'] as const) {
    const want = declared[key];
    if (want === undefined) continue;
    const have = ctx.live.policies[key];
    if (want !== have) addStep(ctx, 'settings.update', `settings:${key}`, { [key]: have }, { [key]: want }, 'declared policy differs', source);
  }
}
