import { POSTGRES_CAPABILITIES, PROVIDER_CAPABILITIES as CAPABILITIES, type Feature, type ServiceGap } from '../model/capabilities.ts';
import type { Location, Problem } from '../model/problems.ts';
import { fieldAt } from '../model/field-location.ts';
import type { Declaration, DeclaredUser } from '../model/declaration.ts';

/** What a user may declare that a provider may not hold: the feature, whether this user uses it, and the field (or its key) to point at. */
const USER_FEATURES: [Feature, (u: DeclaredUser) => boolean, string, boolean][] = [
  ['projects', (u) => u.projects !== undefined, 'projects', true],
  ['packages', (u) => u.packages !== undefined, 'packages', true],
  ['expiry dates', (u) => u.expires !== undefined, 'expires', true],
  ['invitation resends', (u) => u.resendInvitation !== undefined, 'resendInvitation', true],
  ['departments', (u) => u.department !== undefined, 'department', true],
  ['user names', (u) => u.name !== undefined, 'name', true],
  ['the suspended status', (u) => u.status === 'suspended', 'status', false],
];

/**
 * Checks the declaration against what `settings.provider` can hold, so
 * nothing declared is silently skipped: every offending entity is reported,
 * at the field that uses the feature.
 */
export function checkCapabilities(d: Declaration): Problem[] {
  const caps = CAPABILITIES[d.settings.provider];
  const problems: Problem[] = [];
  const cannot = new Set<Feature>(caps.cannotHold);
  const report = (entity: string, message: string, at: Location | undefined) =>
    problems.push({ severity: 'error', code: 'provider.capability', message: `${entity}: the ${caps.name} provider ${message}`, ...(at && { at }) });
  // The place is looked up only for a problem: a field's location costs a parse of its entity (locator.ts).
  const check = (feature: Feature, used: boolean, entity: string, at: () => Location | undefined) => {
    if (used && cannot.has(feature)) report(entity, `cannot hold ${feature}`, at());
  };

  for (const c of d.credits) check('credit grants', true, `credit grant ${c.id}`, () => c.at);
  for (const p of d.projects) check('projects', true, `project ${p.name}`, () => p.at);
  for (const p of d.packages) check('packages', true, `package ${p.name}`, () => p.at);
  for (const key of Object.keys(d.settings.policies))
    check('credit policies', true, `settings.policies.${key}`, () => fieldAt(d.settings, `policies/${key}`, true));
  for (const o of d.organizations)
    check('organization display names', o.displayName !== undefined, `organization ${o.name}`, () => fieldAt(o, 'displayName', true));
  for (const r of d.roles) check('role permissions', r.permissions !== undefined, `role ${r.name}`, () => fieldAt(r, 'permissions', true));
  for (const w of d.workspaces) check('workspace descriptions', w.description !== undefined, `workspace ${w.name}`, () => fieldAt(w, 'description', true));

  // A user is looked at only for what this provider cannot hold: on postgres (everything) not at all.
  const userChecks = USER_FEATURES.filter(([feature]) => cannot.has(feature));
  // The reference store holds every role the format has.
  const limitedRoles = POSTGRES_CAPABILITIES.workspaceRoles.some((role) => !caps.workspaceRoles.includes(role));
  const logins = new Map<string, string>();
  if (userChecks.length || limitedRoles || caps.needsGithubLogin) {
    for (const u of d.users) {
      const who = `user ${u.email}`;
      for (const [feature, used, field, asKey] of userChecks) check(feature, used(u), who, () => fieldAt(u, field, asKey));
      if (limitedRoles) {
        for (const [ws, role] of Object.entries(u.workspaces ?? {})) {
          if (!caps.workspaceRoles.includes(role))
            report(who, `cannot hold workspace role ${role} (in ${ws}); it holds ${caps.workspaceRoles.join(' and ')}`, fieldAt(u, `workspaces/${ws}`, true));
        }
      }
      if (caps.needsGithubLogin) {
        const lower = u.github?.toLowerCase();
        if (lower === undefined) report(who, 'needs the GitHub login of every user: add github: LOGIN', u.at);
        else if (logins.has(lower)) report(who, `needs one GitHub login per user: ${u.github} is also declared for ${logins.get(lower)}`, fieldAt(u, 'github'));
        else logins.set(lower, u.email);
      }
    }
  }

  if (caps.maxOrganizations !== null && d.organizations.length > caps.maxOrganizations) {
    for (const o of d.organizations.slice(caps.maxOrganizations))
      report(`organization ${o.name}`, `holds ${caps.maxOrganizations} organization (ROSTER_GITHUB_ORG); declare only one`, o.at);
  }
  if (caps.twoRoles) {
    const admins = d.roles.filter((r) => r.admin);
    const others = d.roles.filter((r) => !r.admin);
    for (const r of [...admins.slice(1), ...others.slice(1)]) {
      report(
        `role ${r.name}`,
        `holds two roles, organization admin and member; declare at most one admin role and one other role (${(r.admin ? admins : others)[0]!.name} is declared)`,
        r.at,
      );
    }
  }
  return problems;
}

/**
 * Checks the declaration against what one connected service said it lacks
 * (`service` names it, e.g. "the SCIM service at host:port"): one error per
 * feature, at the first declaration that needs it, so the admin sees every
 * gap at once before anything is planned. Updates are needed by every apply
 * that changes something, so that gap points at settings.provider.
 */
export function checkServiceFeatures(d: Declaration, gaps: readonly ServiceGap[], service: string): Problem[] {
  const problems: Problem[] = [];
  const users = (has: (u: DeclaredUser) => boolean, field: string) => {
    const u = d.users.find(has);
    return u && { entity: `user ${u.email}`, at: () => fieldAt(u, field, true) ?? u.at };
  };
  const firstUse: Partial<Record<Feature, () => { entity: string; at: () => Location | undefined } | undefined>> = {
    workspaces: () => d.workspaces[0] && { entity: `workspace ${d.workspaces[0].name}`, at: () => d.workspaces[0]!.at },
    departments: () => users((u) => u.department !== undefined, 'department'),
    'user organizations': () => users((u) => u.organization !== null, 'organization'),
    updates: () => ({ entity: 'settings.provider', at: () => fieldAt(d.settings, 'provider') }),
  };
  for (const gap of gaps) {
    const use = firstUse[gap.feature]?.();
    if (!use) continue;
    const at = use.at();
    problems.push({
      severity: 'error',
      code: 'provider.service-capability',
      message: `${use.entity}: ${service} lacks ${gap.feature}: ${gap.because}`,
      ...(at && { at }),
    });
  }
  return problems;
}
