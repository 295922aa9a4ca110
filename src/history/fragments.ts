import { matchesSelector } from '../model/access.ts';
import { normalizeEmail } from '../util/strings.ts';
import { parseFragment } from '../declaration/parse.ts';
import type { ApprovalRule } from '../model/plan.ts';
import type { Location } from '../model/problems.ts';
import type { GitRepository } from '../git/repository.ts';

type Raw = Record<string, unknown>;

/** One list item of a fragment at some commit, with where it was written. */
export interface Entry {
  at: Location;
  value: Raw;
}

/** The declaration at one commit, read loosely: history must show old files even if today's rules reject them. */
export interface Snapshot {
  users: Map<string, Entry>;
  credits: Entry[];
  settings: Raw | null;
  organizations: string[];
}

export interface UserView {
  user: Entry | null;
  /** Grants to the user, directly or through a selector that matched them in that commit. */
  credits: (Entry & { id: string; selector: boolean })[];
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const FRAGMENT = /\.ya?ml$/i;

/** Declaration snapshots at commits of one repository, each blob parsed once. */
export class DeclarationAtCommits {
  private readonly parsed = new Map<string, { users: Entry[]; credits: Entry[]; settings: Raw | null; organizations: string[] }>();

  constructor(
    private readonly repo: GitRepository,
    /** The declaration folder inside the repository. */
    private readonly path: string,
  ) {}

  snapshot(commit: string | null): Snapshot {
    const snapshot: Snapshot = { users: new Map(), credits: [], settings: null, organizations: [] };
    if (!commit) return snapshot;
    const files = this.repo.tree(commit, this.path).filter((f) => FRAGMENT.test(f.path));
    const unread = files.filter((f) => !this.parsed.has(f.blob));
    const blobs = this.repo.blobs(unread.map((f) => f.blob));
    for (const f of unread) this.parsed.set(f.blob, readFragment(f.path, blobs.get(f.blob)));
    for (const f of files) {
      const fragment = this.parsed.get(f.blob)!;
      // The same content under another name (a rename) must point at the new name.
      const here = (e: Entry): Entry => ({ ...e, at: { ...e.at, file: f.path } });
      for (const u of fragment.users) {
        const email = normalizeEmail(String(u.value.email));
        if (!snapshot.users.has(email)) snapshot.users.set(email, here(u));
      }
      snapshot.credits.push(...fragment.credits.map(here));
      snapshot.settings ??= fragment.settings;
      snapshot.organizations.push(...fragment.organizations);
    }
    return snapshot;
  }
}

function readFragment(file: string, bytes: Buffer | undefined) {
  const empty = { users: [], credits: [], settings: null, organizations: [] };
  if (!bytes) return empty;
  const { value, locations } = parseFragment(file, bytes.toString('utf8'));
  if (!isObject(value)) return empty;
  const items = (key: string, valid: (v: Raw) => boolean): Entry[] =>
    (Array.isArray(value[key]) ? (value[key] as unknown[]) : []).flatMap((v, i) =>
      isObject(v) && valid(v) ? [{ value: v, at: locations.get(`/${key}/${i}`) ?? { file, line: 1, col: 1 } }] : [],
    );
  return {
    users: items('users', (v) => typeof v.email === 'string'),
    credits: items('credits', (v) => typeof v.id === 'string'),
    settings: isObject(value.settings) ? value.settings : null,
    organizations: items('organizations', (v) => typeof v.name === 'string').map((o) => String(o.value.name)),
  };
}

/** A person's entry and the grants that reach them, in one snapshot. */
export function userView(snapshot: Snapshot, email: string): UserView {
  const user = snapshot.users.get(email) ?? null;
  const organization = typeof user?.value.organization === 'string' ? user.value.organization : defaultOrganization(snapshot);
  const credits: UserView['credits'] = [];
  for (const c of snapshot.credits) {
    const to = c.value.to;
    if (typeof to === 'string') {
      if (normalizeEmail(to) === email) credits.push({ ...c, id: String(c.value.id), selector: false });
    } else if (Array.isArray(to)) {
      if (to.some((e) => typeof e === 'string' && normalizeEmail(e) === email)) credits.push({ ...c, id: String(c.value.id), selector: false });
    } else if (user && isObject(to)) {
      const workspaces = isObject(user.value.workspaces) ? (user.value.workspaces as Record<string, string>) : undefined;
      const department = typeof user.value.department === 'string' ? user.value.department : null;
      const member = { email, role: typeof user.value.role === 'string' ? user.value.role : null, organization, department, ...(workspaces && { workspaces }) };
      if (matchesSelector(member, to as Parameters<typeof matchesSelector>[1])) credits.push({ ...c, id: String(c.value.id), selector: true });
    }
  }
  return { user, credits };
}

function defaultOrganization(s: Snapshot): string | null {
  if (typeof s.settings?.organization === 'string') return s.settings.organization;
  return s.organizations.length === 1 ? s.organizations[0]! : null;
}

/** settings.approvals.privileged in a snapshot, or null when there is none. */
export function approvalRule(snapshot: Snapshot): ApprovalRule | null {
  const approvals = snapshot.settings?.approvals;
  const privileged = isObject(approvals) ? approvals.privileged : undefined;
  if (!isObject(privileged) || !Array.isArray(privileged.approvers)) return null;
  return { minApprovals: typeof privileged.minApprovals === 'number' ? privileged.minApprovals : 1, approvers: privileged.approvers.map(String) };
}

/** settings.guards in a snapshot, read loosely: the numeric keys it sets (none: the defaults hold). */
export function guardSettings(snapshot: Snapshot): Partial<Record<'maxRemovalPercent' | 'minAdmins' | 'privilegedCreditAmount', number>> {
  const guards = snapshot.settings?.guards;
  const out: Partial<Record<'maxRemovalPercent' | 'minAdmins' | 'privilegedCreditAmount', number>> = {};
  if (!isObject(guards)) return out;
  for (const key of ['maxRemovalPercent', 'minAdmins', 'privilegedCreditAmount'] as const) {
    if (typeof guards[key] === 'number') out[key] = guards[key];
  }
  return out;
}
