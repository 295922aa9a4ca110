import type { Location, Problem } from '../model/problems.ts';
import { formatLocation } from '../model/problems.ts';
import { normalizeEmail, standaloneLowerAscii } from '../util/strings.ts';
import { checkCharacters } from './characters.ts';
import type { EntityLocation, Locator } from './locator.ts';
import { KEY_SUFFIX, escapePointer } from './parse.ts';
import type { RosterFragment } from '../model/schema.generated.ts';
import { SETTINGS_FIELDS, type FieldLocator } from '../model/field-location.ts';
import { DEFAULT_SETTINGS } from '../model/settings.ts';
import type {
  Declaration,
  DeclaredCredit,
  DeclaredOrganization,
  DeclaredPackage,
  DeclaredProject,
  DeclaredRole,
  DeclaredUser,
  DeclaredWorkspace,
  ResolvedSettings,
} from '../model/declaration.ts';

export interface ValidFragment {
  file: string;
  value: RosterFragment;
  locations: Locator;
}

/** Where the settings' fields are, in the one fragment that declares them. */
const settingsFields = (locations: Locator): FieldLocator => ({
  field: (field, asKey = false) => locations.at(`/settings/${field.split('/').map(escapePointer).join('/')}${asKey ? KEY_SUFFIX : ''}`),
});

/**
 * Merges schema-valid fragments into one Declaration, one fragment at a
 * time as each is read (so a file's parsed text can be let go before the
 * next is parsed). Duplicate keys are reported naming both places; the first
 * declaration wins so later rules still see one entity.
 */
export function createMerger(): { add(fragment: ValidFragment): void; finish(digest: string): { declaration: Declaration; problems: Problem[] } } {
  const problems: Problem[] = [];
  const settingsSeen: Location[] = [];
  let settings = DEFAULT_SETTINGS;
  let settingsAt: Location | undefined;
  const out = {
    organizations: [] as DeclaredOrganization[],
    roles: [] as DeclaredRole[],
    workspaces: [] as DeclaredWorkspace[],
    projects: [] as DeclaredProject[],
    packages: [] as DeclaredPackage[],
    users: [] as DeclaredUser[],
    credits: [] as DeclaredCredit[],
  };

  /**
   * The list sorted by `key`, each key's first declaration kept and every
   * later one reported naming both places: a stable sort leaves equal keys in
   * the order they were declared. Every list is sorted anyway, so this costs
   * one comparison per entity rather than a map of every key seen.
   */
  const firstOfEach = <K extends SortKey, T extends { at: Location } & Keyed<K>>(list: T[], key: K, kind: string, listName: string): T[] => {
    list.sort(ORDER[key]);
    let kept = 0;
    for (const x of list) {
      const first = kept > 0 ? list[kept - 1]! : undefined;
      if (first?.[key] !== x[key]) {
        list[kept++] = x;
        continue;
      }
      problems.push({
        severity: 'error',
        code: 'duplicate',
        message: `duplicate ${kind} "${x[key]}": declared at ${formatLocation(first.at)} and at ${formatLocation(x.at)}`,
        at: x.at,
        // Every entity's place comes from Locator.item, which knows its index in the file's list.
        path: `${listName}[${(x.at as EntityLocation).index}]`,
      });
    }
    list.length = kept;
    return list;
  };

  const files: string[] = [];
  const add = ({ file, value, locations }: ValidFragment) => {
    files.push(file);
    checkCharacters(value, locations, problems);
    if (value.settings) {
      const at = locations.at('/settings' + KEY_SUFFIX);
      settingsSeen.push(at);
      if (settingsSeen.length > 1) {
        problems.push({
          severity: 'error',
          code: 'settings.duplicate',
          message: `settings are declared more than once: at ${formatLocation(settingsSeen[0])} and at ${formatLocation(at)}; keep them in one fragment`,
          at,
          path: 'settings',
        });
      } else {
        settings = resolveSettings(value.settings);
        settingsAt = at;
        Object.defineProperty(settings, SETTINGS_FIELDS, { value: settingsFields(locations) });
      }
    }
    value.organizations?.forEach((o, i) => {
      const at = locations.item('organizations', i);
      out.organizations.push({ name: o.name, ...(o.displayName !== undefined && { displayName: o.displayName }), at });
    });
    value.roles?.forEach((r, i) => {
      const at = locations.item('roles', i);
      out.roles.push({
        name: r.name,
        ...(r.description !== undefined && { description: r.description }),
        owner: r.owner ?? false,
        admin: (r.admin ?? false) || (r.owner ?? false),
        ...(r.permissions !== undefined && { permissions: sortedPermissions(r.permissions) }),
        at,
      });
    });
    value.workspaces?.forEach((w, i) => {
      const at = locations.item('workspaces', i);
      out.workspaces.push({
        name: w.name,
        organization: w.organization ?? null,
        ...(w.description !== undefined && { description: w.description }),
        previously: w.previously ?? [],
        at,
      });
    });
    value.projects?.forEach((p, i) => {
      const at = locations.item('projects', i);
      out.projects.push({
        name: p.name,
        organization: p.organization ?? null,
        owner: normalizeEmail(p.owner),
        ...(p.description !== undefined && { description: p.description }),
        at,
      });
    });
    value.packages?.forEach((p, i) => {
      const at = locations.item('packages', i);
      out.packages.push({
        name: p.name,
        ...(p.createdBy !== undefined && { createdBy: normalizeEmail(p.createdBy) }),
        ...(p.description !== undefined && { description: p.description }),
        at,
      });
    });
    value.users?.forEach((u, i) => {
      const at = locations.item('users', i);
      const email = normalizeEmail(u.email);
      // Every user has every property (undefined when omitted: not managed), so all
      // users share one shape and the rules and the plan read them at full speed.
      // Declared list order is kept (problems point at items by index); the parsed
      // lists and maps are this declaration's own, taken over rather than copied.
      const user: DeclaredUser = {
        email,
        name: u.name,
        role: u.role,
        status: u.status ?? 'active',
        organization: u.organization ?? null,
        department: u.department,
        workspaces: u.workspaces === undefined ? undefined : sortedRecord(u.workspaces),
        projects: u.projects,
        packages: u.packages,
        expires: u.expires,
        resendInvitation: u.resendInvitation,
        github: u.github,
        at,
      };
      out.users.push(user);
    });
    value.credits?.forEach((c, i) => {
      const at = locations.item('credits', i);
      const to = typeof c.to === 'string' ? normalizeEmail(c.to) : Array.isArray(c.to) ? c.to.map(normalizeEmail) : c.to;
      // Ids are lower-case ASCII (the schema): as strings of their own, the plan's lookups by them are cheap.
      out.credits.push({ id: standaloneLowerAscii(c.id) ?? c.id, to, amount: c.amount, kind: c.kind ?? 'awarded', reason: c.reason, at });
    });
  };

  const finish = (digest: string) => {
    const declaration: Declaration = {
      settings,
      ...(settingsAt && { settingsAt }),
      organizations: firstOfEach(out.organizations, 'name', 'organization', 'organizations'),
      roles: firstOfEach(out.roles, 'name', 'role', 'roles'),
      workspaces: firstOfEach(out.workspaces, 'name', 'workspace', 'workspaces'),
      projects: firstOfEach(out.projects, 'name', 'project', 'projects'),
      packages: firstOfEach(out.packages, 'name', 'package', 'packages'),
      users: firstOfEach(out.users, 'email', 'user', 'users'),
      credits: firstOfEach(out.credits, 'id', 'credit grant', 'credits'),
      files: files.sort(),
      digest,
    };
    resolveOrganizations(declaration, problems);
    return { declaration, problems };
  };
  return { add, finish };
}

/**
 * The order of each kind of list, by its key: one comparison function per key,
 * so the one that sorts 100,000 people only ever sees people (a shared one,
 * seeing every kind of entity, made the sort of people ~10% slower).
 */
type SortKey = 'name' | 'email' | 'id';
type Keyed<K extends SortKey> = Record<K, string>;
const ORDER: { [K in SortKey]: (a: Keyed<K>, b: Keyed<K>) => number } = {
  name: (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  email: (a: { email: string }, b: { email: string }) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0),
  id: (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
};

function resolveSettings(s: NonNullable<RosterFragment['settings']>): ResolvedSettings {
  const d = DEFAULT_SETTINGS;
  const policies: ResolvedSettings['policies'] = {};
  if (s.policies?.signupCredits !== undefined) policies.signupCredits = s.policies.signupCredits;
  if (s.policies?.lowBalanceThreshold !== undefined) policies.lowBalanceThreshold = s.policies.lowBalanceThreshold;
  if (s.policies?.creditExpiryDays !== undefined) policies.creditExpiryDays = s.policies.creditExpiryDays;
  return {
    provider: s.provider ?? d.provider,
    organization: s.organization ?? null,
    unmanaged: s.unmanaged ?? d.unmanaged,
    removal: s.removal ?? d.removal,
    exclude: (s.exclude ?? []).map(normalizeEmail).sort(),
    guards: {
      maxRemovalPercent: s.guards?.maxRemovalPercent ?? d.guards.maxRemovalPercent,
      minAdmins: s.guards?.minAdmins ?? d.guards.minAdmins,
      privilegedCreditAmount: s.guards?.privilegedCreditAmount ?? d.guards.privilegedCreditAmount,
    },
    approvals: {
      privileged: s.approvals?.privileged ? { minApprovals: s.approvals.privileged.minApprovals ?? 1, approvers: [...s.approvals.privileged.approvers] } : null,
    },
    policies,
  };
}

/**
 * Users, workspaces and projects that name no organization get
 * settings.organization, or the only declared organization. A declaration
 * with no organizations at all runs on a platform without them.
 */
function resolveOrganizations(d: Declaration, problems: Problem[]): void {
  if (d.organizations.length === 0) return;
  const declared = d.settings.organization !== null && d.organizations.some((o) => o.name === d.settings.organization);
  // An undeclared settings.organization is reported once by the rules, not once per entity relying on it.
  if (d.settings.organization !== null && !declared) return;
  const fallback = d.settings.organization ?? (d.organizations.length === 1 ? d.organizations[0]!.name : null);
  const resolve = (kind: string, entity: DeclaredUser | DeclaredWorkspace | DeclaredProject, label: string) => {
    if (entity.organization !== null) return;
    if (fallback) entity.organization = fallback;
    else {
      problems.push({
        severity: 'error',
        code: 'organization.missing',
        message: `${kind} ${label} names no organization and there are several: set its organization or settings.organization`,
        at: entity.at,
      });
    }
  };
  for (const u of d.users) resolve('user', u, u.email);
  for (const w of d.workspaces) resolve('workspace', w, w.name);
  for (const p of d.projects) resolve('project', p, p.name);
}

function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
  let previous: string | undefined;
  for (const key in record) {
    if (previous !== undefined && previous >= key) return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
    previous = key;
  }
  return record;
}

function sortedPermissions(p: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(p)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, [...v].sort()]),
  );
}
