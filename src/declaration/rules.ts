import type { Location, Problem } from '../model/problems.ts';
import { byEmail } from '../util/by-email.ts';
import { didYouMean } from '../util/suggest.ts';
import { checkCapabilities } from './capabilities.ts';
import { isAscii, mixesScripts, skeleton } from './confusables.ts';
import { fieldAt } from '../model/field-location.ts';
import { effectivelyActive, hasAccess, matchesSelector } from '../model/access.ts';
import type { Declaration, DeclaredCredit, DeclaredUser } from '../model/declaration.ts';

export interface RuleContext {
  /** Today, as YYYY-MM-DD (from --now in tests). */
  today: string;
}

/**
 * Locations of fields (fieldAt) are looked up only for problems actually
 * reported: on the fast path each lookup re-reads the entity's lines.
 */
type Rule = (d: Declaration, ctx: RuleContext) => Problem[];

const err = (code: string, message: string, at: Location | undefined): Problem => ({ severity: 'error', code, message, ...(at && { at }) });
const warn = (code: string, message: string, at: Location | undefined): Problem => ({ severity: 'warning', code, message, ...(at && { at }) });

const names = (list: { name: string }[]) => new Set(list.map((x) => x.name));

const references: Rule = (d) => {
  const problems: Problem[] = [];
  const roles = names(d.roles);
  const orgs = names(d.organizations);
  const workspaces = new Map(d.workspaces.map((w) => [w.name, w]));
  const projects = new Map(d.projects.map((p) => [p.name, p]));
  const packages = names(d.packages);
  const users = byEmail(d.users);
  const renamedTo = formerNames(d);
  const missing = (kind: string, name: string, where: string, at: Location | undefined, known: Set<string> | Map<string, unknown>, fix = '') => {
    // Emails are not suggested: a near miss is as likely someone else's address.
    const hint = !known.size
      ? ` (no ${kind}s are declared)`
      : kind === 'user'
        ? ''
        : kind === 'workspace'
          ? workspaceHint(d, name, renamedTo)
          : didYouMean(name, known.keys());
    problems.push(err(`ref.${kind}`, `${where} refers to ${kind} "${name}", which is not declared${hint}${fix}`, at));
  };
  const checkOrg = (org: string | null, where: string, entity: object) => {
    if (org !== null && !orgs.has(org)) missing('organization', org, where, fieldAt(entity, 'organization') ?? undefined, orgs);
  };

  if (d.settings.organization && !orgs.has(d.settings.organization)) {
    missing('organization', d.settings.organization, 'settings.organization', fieldAt(d.settings, 'organization'), orgs);
  }
  for (const w of d.workspaces) checkOrg(w.organization, `workspace ${w.name}`, w);
  for (const p of d.projects) {
    checkOrg(p.organization, `project ${p.name}`, p);
    const owner = users.get(p.owner);
    if (!owner) missing('user', p.owner, `owner of project ${p.name}`, fieldAt(p, 'owner'), users);
  }
  for (const pkg of d.packages) {
    if (pkg.createdBy && !users.has(pkg.createdBy)) missing('user', pkg.createdBy, `createdBy of package ${pkg.name}`, fieldAt(pkg, 'createdBy'), users);
  }
  // Plain loops, and messages built only for problems: this runs over every user and grant.
  for (const u of d.users) {
    if (!roles.has(u.role)) missing('role', u.role, `user ${u.email}`, fieldAt(u, 'role'), roles);
    checkOrg(u.organization, `user ${u.email}`, u);
    if (u.workspaces) {
      for (const ws in u.workspaces) {
        const w = workspaces.get(ws);
        if (!w) missing('workspace', ws, `user ${u.email}`, fieldAt(u, `workspaces/${ws}`, true), workspaces);
        else if (w.organization !== u.organization) {
          problems.push(
            err(
              'ref.workspace-organization',
              `user ${u.email} (organization ${u.organization}) cannot join workspace ${ws} of organization ${w.organization}`,
              fieldAt(u, `workspaces/${ws}`, true),
            ),
          );
        }
      }
    }
    const assigned = u.projects ?? [];
    for (let i = 0; i < assigned.length; i++) {
      const p = projects.get(assigned[i]!);
      if (!p) missing('project', assigned[i]!, `user ${u.email}`, fieldAt(u, `projects/${i}`), projects);
      else if (p.organization !== u.organization) {
        problems.push(
          err(
            'ref.project-organization',
            `user ${u.email} (organization ${u.organization}) cannot be assigned project ${assigned[i]} of organization ${p.organization}`,
            fieldAt(u, `projects/${i}`),
          ),
        );
      }
    }
    const pkgs = u.packages ?? [];
    for (let i = 0; i < pkgs.length; i++) {
      if (!packages.has(pkgs[i]!)) missing('package', pkgs[i]!, `user ${u.email}`, fieldAt(u, `packages/${i}`), packages);
    }
  }
  const dangling = (to: DeclaredCredit['to']): [string, string, Set<string> | Map<string, unknown>] | undefined => {
    if (typeof to === 'string') return users.has(to) ? undefined : ['user', to, users];
    if (Array.isArray(to) || 'department' in to) return undefined; // creditLists and departments below
    if ('role' in to) return roles.has(to.role) ? undefined : ['role', to.role, roles];
    if ('workspace' in to) return workspaces.has(to.workspace) ? undefined : ['workspace', to.workspace, workspaces];
    if ('organization' in to) return orgs.has(to.organization) ? undefined : ['organization', to.organization, orgs];
    return undefined;
  };
  for (const c of d.credits) {
    const miss = dangling(c.to);
    if (miss) missing(miss[0], miss[1], `credit grant ${c.id}`, fieldAt(c, 'to'), miss[2], miss[0] === 'user' ? REMOVED_RECIPIENT : '');
  }
  return problems;
};

/**
 * Removing someone who once received credits leaves their grants pointing at
 * nobody; an applied grant can be neither changed nor reversed, so the way
 * out is to keep the person, without access.
 */
const REMOVED_RECIPIENT =
  '. If this person was removed: keep their entry with `status: inactive` instead (they lose access; the grant and the credit ledger keep their history). If this grant was never applied, correct its `to` or delete it';

/** Former workspace name -> the declared workspace that lists it in `previously`. */
function formerNames(d: Declaration): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of d.workspaces) for (const old of w.previously) if (!out.has(old)) out.set(old, w.name);
  return out;
}

/**
 * A workspace name that is not declared is most often one that was renamed:
 * named by `previously`, or (without it) the one declared workspace nobody
 * refers to, which the old name's references should follow.
 */
function workspaceHint(d: Declaration, name: string, renamedTo: Map<string, string>): string {
  const now = renamedTo.get(name);
  if (now !== undefined) return `; it was renamed to "${now}" (workspace ${now}, previously: [${name}]): refer to it as "${now}"`;
  const close = didYouMean(
    name,
    d.workspaces.map((w) => w.name),
  );
  if (close) return close;
  const unused = unreferencedWorkspaces(d);
  if (unused.length !== 1) return '';
  const [only] = unused;
  return `; if it was renamed to "${only}" (declared, and nobody refers to it), refer to it as "${only}", and add \`previously: [${name}]\` to workspace ${only} so the live workspace is renamed rather than archived and created anew`;
}

/** Declared workspaces that no user and no credit grant names (once per declaration: every reference to a renamed workspace asks). */
const unreferenced = new WeakMap<Declaration, string[]>();
function unreferencedWorkspaces(d: Declaration): string[] {
  const known = unreferenced.get(d);
  if (known) return known;
  const used = new Set<string>();
  for (const u of d.users) for (const ws in u.workspaces ?? {}) used.add(ws);
  for (const c of d.credits) if (typeof c.to !== 'string' && 'workspace' in c.to) used.add(c.to.workspace);
  const unused = d.workspaces.map((w) => w.name).filter((n) => !used.has(n));
  unreferenced.set(d, unused);
  return unused;
}

/** Seed 004: a project owner must be an active user of the project's organization; deactivating or moving them first needs a new owner. */
const projectOwners: Rule = (d, { today }) => {
  const users = byEmail(d.users);
  const problems: Problem[] = [];
  for (const p of d.projects) {
    const owner = users.get(p.owner);
    if (!owner) continue;
    const at = () => fieldAt(p, 'owner');
    if (!effectivelyActive(owner, today)) {
      const state = hasAccess(owner) ? `expired on ${owner.expires}` : owner.status;
      problems.push(
        err(
          'project.owner-inactive',
          `project ${p.name} is owned by ${p.owner}, who is ${state}: assign a new owner from organization ${p.organization} first`,
          at(),
        ),
      );
    } else if (owner.organization !== p.organization) {
      problems.push(
        err(
          'project.owner-organization',
          `project ${p.name} (organization ${p.organization}) is owned by ${p.owner} of organization ${owner.organization}: move the project too, or assign a new owner from ${p.organization}`,
          at(),
        ),
      );
    }
  }
  return problems;
};

const excluded: Rule = (d) => {
  const exclude = new Set(d.settings.exclude);
  if (exclude.size === 0) return [];
  const problems: Problem[] = [];
  const report = (email: string, where: string, at: Location | undefined) =>
    problems.push(err('exclude.referenced', `${where} refers to ${email}, which settings.exclude keeps out of roster's hands: remove one or the other`, at));
  for (const u of d.users) if (exclude.has(u.email)) report(u.email, 'a user entry', fieldAt(u, 'email'));
  for (const p of d.projects) if (exclude.has(p.owner)) report(p.owner, `project ${p.name}`, fieldAt(p, 'owner'));
  for (const p of d.packages) if (p.createdBy && exclude.has(p.createdBy)) report(p.createdBy, `package ${p.name}`, fieldAt(p, 'createdBy'));
  for (const c of d.credits) {
    if (typeof c.to === 'string' && exclude.has(c.to)) report(c.to, `credit grant ${c.id}`, fieldAt(c, 'to'));
    if (Array.isArray(c.to)) c.to.forEach((email, i) => exclude.has(email) && report(email, `credit grant ${c.id}`, fieldAt(c, `to/${i}`)));
  }
  return problems;
};

const renames: Rule = (d) => {
  const problems: Problem[] = [];
  const current = names(d.workspaces);
  const claimedBy = new Map<string, string>();
  for (const w of d.workspaces) {
    w.previously.forEach((old, i) => {
      const at = () => fieldAt(w, `previously/${i}`);
      if (old === w.name) problems.push(err('workspace.rename-self', `workspace ${w.name} lists its own name in previously`, at()));
      else if (current.has(old))
        problems.push(err('workspace.rename-taken', `workspace ${w.name} was previously "${old}", but a workspace ${old} is also declared`, at()));
      else if (claimedBy.has(old))
        problems.push(err('workspace.rename-twice', `workspaces ${claimedBy.get(old)} and ${w.name} both claim to have been "${old}"`, at()));
      else claimedBy.set(old, w.name);
    });
  }
  return problems;
};

const credits: Rule = (d, { today }) => {
  const problems: Problem[] = [];
  const users = byEmail(d.users);
  for (const c of d.credits) {
    if (c.id.startsWith('signup:')) {
      problems.push(
        err(
          'credit.reserved-id',
          `credit grant ${c.id}: ids starting with "signup:" are reserved for signup credits (settings.policies.signupCredits)`,
          fieldAt(c, 'id'),
        ),
      );
    }
    const inactive = (email: string, field: string) => {
      const u = users.get(email);
      if (u && !effectivelyActive(u, today))
        problems.push(
          warn(
            'credit.inactive-user',
            `credit grant ${c.id} goes to ${email}, who is ${u.status === 'inactive' || u.status === 'suspended' ? u.status : 'expired'}`,
            fieldAt(c, field),
          ),
        );
    };
    if (typeof c.to === 'string') inactive(c.to, 'to');
    else if (Array.isArray(c.to)) c.to.forEach((email, i) => inactive(email, `to/${i}`));
    else {
      const to = c.to;
      if (!d.users.some((u) => effectivelyActive(u, today) && matchesSelector(u, to)))
        problems.push(
          warn('credit.matches-nobody', `credit grant ${c.id} matches no active user: applying it now would credit nobody and seal it`, fieldAt(c, 'to')),
        );
    }
  }
  return problems;
};

/**
 * Lists of emails and department selectors: a list names declared users, at
 * least one, each once (after normalising: two spellings of one address would
 * pay one person twice); a department is one some declared user is in.
 */
const creditLists: Rule = (d) => {
  const problems: Problem[] = [];
  let users: Map<string, DeclaredUser> | undefined;
  let departments: Set<string> | undefined;
  for (const c of d.credits) {
    const to = c.to;
    if (Array.isArray(to)) {
      users ??= byEmail(d.users);
      if (to.length === 0)
        problems.push(err('credit.empty-list', `credit grant ${c.id} lists no users: name at least one email, or remove the grant`, fieldAt(c, 'to')));
      const seen = new Map<string, number>();
      to.forEach((email, i) => {
        const first = seen.get(email);
        if (first !== undefined)
          problems.push(
            err(
              'credit.duplicate-user',
              `credit grant ${c.id} lists ${email} twice (items ${first + 1} and ${i + 1}): each user is paid once per grant`,
              fieldAt(c, `to/${i}`),
            ),
          );
        else seen.set(email, i);
        if (!users!.has(email)) problems.push(err('ref.user', `credit grant ${c.id} refers to user "${email}", which is not declared`, fieldAt(c, `to/${i}`)));
      });
    } else if (typeof to !== 'string' && 'department' in to) {
      departments ??= new Set(d.users.flatMap((u) => (u.department === undefined ? [] : [u.department])));
      if (!departments.has(to.department)) {
        const hint = departments.size ? didYouMean(to.department, departments.keys()) : ' (no user declares a department)';
        problems.push(
          err(
            'ref.department',
            `credit grant ${c.id} refers to department "${to.department}", which no declared user is in${hint}`,
            fieldAt(c, 'to/department'),
          ),
        );
      }
    }
  }
  return problems;
};

const contractors: Rule = (d, { today }) =>
  d.users
    .filter((u) => hasAccess(u) && u.expires !== undefined && u.expires < today)
    .map((u) =>
      warn('user.expired', `user ${u.email} expired on ${u.expires}: the plan deactivates them; remove the user or extend expires`, fieldAt(u, 'expires')),
    );

/**
 * Addresses that look like other ones but are not: a reviewer cannot tell them
 * apart in a diff. Accented Latin (josé@) is fine; Cyrillic or Greek letters
 * mixed into Latin ones, or an address that looks exactly like another, are not.
 */
const homoglyphs: Rule = (d) => {
  const problems: Problem[] = [];
  const users = byEmail(d.users);
  for (const u of d.users) {
    // An ASCII address is its own skeleton: only the others need folding, and a twin is an ASCII address declared too.
    if (isAscii(u.email)) continue;
    const look = skeleton(u.email);
    if (isAscii(look) && users.has(look))
      problems.push(
        warn(
          'user.homoglyph',
          `user ${u.email} looks like ${look} but is a different address (non-ASCII letters); check it is not an impersonation`,
          fieldAt(u, 'email'),
        ),
      );
    else if (mixesScripts(u.email))
      problems.push(
        warn(
          'user.mixed-script',
          `user ${u.email} mixes Latin with Cyrillic or Greek letters and looks like ${look}; check it is the intended address`,
          fieldAt(u, 'email'),
        ),
      );
  }
  return problems;
};

const ownerRoles: Rule = (d) => {
  const owners = d.roles.filter((r) => r.owner);
  if (owners.length === 0 || d.users.length === 0) return [];
  const ownerNames = new Set(owners.map((r) => r.name));
  if (d.users.some((u) => hasAccess(u) && ownerNames.has(u.role))) return [];
  return [warn('role.no-owner', `no active user holds an owner role (${[...ownerNames].join(', ')})`, owners[0]!.at)];
};

/** The semantic rules of the declaration format, each a small function; all run and all problems are kept. */
export const RULES: Rule[] = [references, projectOwners, excluded, renames, credits, creditLists, contractors, ownerRoles, homoglyphs, checkCapabilities];

export function checkRules(d: Declaration, ctx: RuleContext): Problem[] {
  return RULES.flatMap((rule) => rule(d, ctx));
}
