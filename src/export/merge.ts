import { isMap, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { hasAccess } from '../model/access.ts';
import { normalizeEmail } from '../util/strings.ts';
import type { Declaration, DeclaredUser } from '../model/declaration.ts';
import { desiredStatus } from '../plan/users.ts';
import type { LiveState, LiveUser } from '../model/live.ts';
import { canonicalJson, canonicalPermissions } from '../util/canonical.ts';
import { listSection } from './emit.ts';
import { appendItems, deleteKey, insertKeys, pairOf, setKey, TextEdits } from './edit.ts';
import { header, KIND_FILES, personFile } from './layout.ts';
import { exportModel, type Entry, type ExportOptions } from './model.ts';

export interface MergeInput {
  declaration: Declaration;
  /** Each fragment's text, by the path its entities' locations name. */
  texts: Map<string, string>;
  live: LiveState;
  options: ExportOptions;
  /** The declaration folder, as locations name it: new fragments go under it. */
  dir: string;
  /** Where new entities go, instead of next to their neighbours. */
  into?: string;
  today: string;
}

export interface MergeResult {
  /** Fragments changed or added: path -> new text. */
  files: Map<string, string>;
  /** One line per value folded in or entity added. */
  changes: string[];
  notes: string[];
}

type Kind = 'organizations' | 'roles' | 'workspaces' | 'projects' | 'packages' | 'users' | 'credits';
const KINDS: Kind[] = ['organizations', 'roles', 'workspaces', 'projects', 'packages', 'users', 'credits'];
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * `export --merge`: the live values folded back into the fragments that
 * declare them, as text edits at the nodes that differ (edit.ts), so every
 * comment, key order and quoting elsewhere stays as it was. Only what the
 * declaration manages is compared (an omitted field stays omitted); live
 * entities the files lack are appended next to their neighbours. Pure.
 */
export function mergeIntoFragments(input: MergeInput): MergeResult {
  const { declaration: d, live } = input;
  const docs = new Map<string, { edits: TextEdits; seqs: Map<Kind, YAMLSeq> }>();
  const entities = new Map<string, { path: string; map: YAMLMap }>();
  for (const [path, text] of input.texts) {
    const doc = parseDocument(text);
    const seqs = new Map<Kind, YAMLSeq>();
    if (isMap(doc.contents)) {
      for (const kind of KINDS) {
        const seq = pairOf(doc.contents, kind)?.value;
        if (!isSeq(seq)) continue;
        seqs.set(kind, seq);
        for (const item of seq.items) {
          if (!isMap(item)) continue;
          const key = item.get(kind === 'users' ? 'email' : kind === 'credits' ? 'id' : 'name');
          if (typeof key === 'string') entities.set(`${kind}:${kind === 'users' ? normalizeEmail(key) : key}`, { path, map: item });
        }
      }
    }
    docs.set(path, { edits: new TextEdits(text), seqs });
  }
  const changes: string[] = [];
  const notes: string[] = [];
  const edit = (kind: Kind, key: string, fn: (e: TextEdits, m: YAMLMap) => void, what: string) => {
    const found = entities.get(`${kind}:${key}`);
    if (!found) return;
    fn(docs.get(found.path)!.edits, found.map);
    changes.push(`${found.path}: ${what}`);
  };
  /** One field: set to the live value, or removed where the live system has none (omitted is "not managed"). */
  const field = (kind: Kind, key: string, name: string, value: unknown) =>
    edit(
      kind,
      key,
      (e, m) => (value === null || value === undefined ? deleteKey(e, m, name) : setKey(e, m, name, value)),
      `${key} ${name} -> ${value === null || value === undefined ? '(removed)' : JSON.stringify(value)}`,
    );
  const flag = (kind: Kind, key: string, name: string, value: boolean) => field(kind, key, name, value ? true : undefined);

  const valueOnly = new Set(live.valueOnly ?? []);
  if (!valueOnly.has('organizations')) {
    const byName = new Map(live.organizations.map((o) => [o.name, o]));
    for (const o of d.organizations) {
      const l = byName.get(o.name);
      if (l && o.displayName !== undefined && o.displayName !== l.displayName) field('organizations', o.name, 'displayName', l.displayName);
    }
  }
  if (!valueOnly.has('roles')) {
    const byName = new Map(live.roles.map((r) => [r.name, r]));
    for (const r of d.roles) {
      const l = byName.get(r.name);
      if (!l) continue;
      if (r.description !== undefined && r.description !== l.description) field('roles', r.name, 'description', l.description);
      if (r.owner !== l.owner) flag('roles', r.name, 'owner', l.owner);
      if (r.admin !== l.admin && !(l.owner && l.admin && r.owner)) flag('roles', r.name, 'admin', l.admin);
      if (r.permissions !== undefined && !same(r.permissions, canonicalPermissions(l.permissions))) {
        edit(
          'roles',
          r.name,
          (e, m) => setMap(e, m, 'permissions', canonicalPermissions(l.permissions)),
          `${r.name} permissions -> ${JSON.stringify(canonicalPermissions(l.permissions))}`,
        );
      }
    }
  }
  const placed = (
    kind: 'workspaces' | 'projects',
    declared: { name: string; organization: string | null; description?: string }[],
    owner?: (name: string) => string | undefined,
  ) => {
    const byName = new Map<string, { organization: string | null; description: string | null; owner?: string | null }>(live[kind].map((x) => [x.name, x]));
    for (const x of declared) {
      const l = byName.get(x.name);
      if (!l) continue;
      if (l.organization !== null && l.organization !== x.organization) field(kind, x.name, 'organization', l.organization);
      if (x.description !== undefined && x.description !== l.description) field(kind, x.name, 'description', l.description);
      if (owner && l.owner && l.owner !== owner(x.name)) field(kind, x.name, 'owner', l.owner);
    }
  };
  placed('workspaces', d.workspaces);
  placed('projects', d.projects, (name) => d.projects.find((p) => p.name === name)?.owner);
  const packages = new Map(live.packages.map((p) => [p.name, p]));
  for (const p of d.packages) {
    const l = packages.get(p.name);
    if (!l) continue;
    if (p.createdBy !== undefined && p.createdBy !== l.createdBy) field('packages', p.name, 'createdBy', l.createdBy);
    if (p.description !== undefined && p.description !== l.description) field('packages', p.name, 'description', l.description);
  }

  const liveUsers = new Map(live.users.map((u) => [u.email, u]));
  for (const u of d.users) {
    const l = liveUsers.get(u.email);
    if (l) foldUser(u, l, input.today, { field, edit, notes });
    else if (live.absentIsInactive && hasAccess(u)) field('users', u.email, 'status', 'inactive');
    else if (hasAccess(u)) notes.push(`${u.email} is declared but not in the live system: left as declared (the plan creates them)`);
  }

  const files = addNew(input, docs, changes);
  for (const [path, { edits }] of docs) if (edits.changed) files.set(path, edits.apply());
  return { files, changes, notes };
}

interface Folding {
  field: (kind: Kind, key: string, name: string, value: unknown) => void;
  edit: (kind: Kind, key: string, fn: (e: TextEdits, m: YAMLMap) => void, what: string) => void;
  notes: string[];
}

function foldUser(u: DeclaredUser, l: LiveUser, today: string, f: Folding): void {
  const key = u.email;
  if (l.role !== null && l.role !== u.role) f.field('users', key, 'role', l.role);
  const { status: want, expired } = desiredStatus(u, today);
  if (hasAccess(l) !== hasAccess({ status: want }) || (!hasAccess(l) && l.status !== want)) {
    if (expired) f.notes.push(`${key}: the contract ended (expires ${u.expires}) but the live account still has access: left as declared`);
    else f.field('users', key, 'status', hasAccess(l) ? (u.status === 'invited' ? 'invited' : 'active') : l.status);
  }
  if (l.organization !== null && l.organization !== u.organization) f.field('users', key, 'organization', l.organization);
  for (const name of ['name', 'department', 'expires'] as const) if (u[name] !== undefined && u[name] !== l[name]) f.field('users', key, name, l[name]);
  if (u.workspaces !== undefined && !same(u.workspaces, l.workspaces)) {
    const next = ordered(u.workspaces, l.workspaces);
    f.edit('users', key, (e, m) => setMap(e, m, 'workspaces', next), `${key} workspaces -> ${JSON.stringify(next)}`);
  }
  for (const list of ['projects', 'packages'] as const) {
    const declared = u[list];
    if (declared === undefined || same([...declared].sort(), [...l[list]].sort())) continue;
    f.field('users', key, list, [...declared.filter((x) => l[list].includes(x)), ...l[list].filter((x) => !declared.includes(x)).sort()]);
  }
  if (u.resendInvitation !== undefined && l.status === 'invited' && hasAccess({ status: want }) && l.invitationKey !== u.resendInvitation)
    f.field('users', key, 'resendInvitation', l.invitationKey);
}

/** The live map in the declared order: kept keys where they were, new ones after, sorted. */
function ordered<T>(declared: Record<string, T>, live: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(declared)) if (k in live) out[k] = live[k]!;
  for (const k of Object.keys(live).sort()) if (!(k in out)) out[k] = live[k]!;
  return out;
}

/** A map-valued field: a block map edited key by key (its comments stay); anything else written again as one flow value. */
function setMap(e: TextEdits, m: YAMLMap, key: string, next: Record<string, unknown>): void {
  const value = pairOf(m, key)?.value as Node | undefined;
  if (!isMap(value) || value.flow || Object.keys(next).length === 0 || value.items.length === 0) return setKey(e, m, key, next);
  const have = value.toJSON() as Record<string, unknown>;
  for (const k of Object.keys(have)) if (!(k in next)) deleteKey(e, value, k);
  const added: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (!(k in have)) added[k] = v;
    else if (!same(have[k], v)) setKey(e, value, k, v);
  }
  if (Object.keys(added).length) insertKeys(e, value, added);
}

/** The declaration's default organization: users, workspaces and projects in it name none. */
const defaultOrganization = (d: Declaration) => d.settings.organization ?? (d.organizations.length === 1 ? d.organizations[0]!.name : null);

/** Live entities the files lack, appended where their neighbours are (or --into); returns the new fragments (path -> text). */
function addNew(input: MergeInput, docs: Map<string, { edits: TextEdits; seqs: Map<Kind, YAMLSeq> }>, changes: string[]): Map<string, string> {
  const created = new Map<string, string>();
  const d = input.declaration;
  const model = exportModel(input.live, { ...input.options, hints: d });
  const org = defaultOrganization(d);
  const relocate = (e: Entry, organization: string | null) => {
    const { organization: _drop, ...rest } = e;
    if (organization === null || organization === org) return rest;
    // organization goes where people write it: after role/status for users, after name elsewhere.
    const out: Entry = {};
    let done = false;
    for (const [k, v] of Object.entries(rest)) {
      if (!done && ['department', 'expires', 'resendInvitation', 'workspaces', 'projects', 'packages', 'description', 'owner'].includes(k)) {
        out.organization = organization;
        done = true;
      }
      out[k] = v;
    }
    if (!done) out.organization = organization;
    return out;
  };
  const declared = {
    organizations: new Set(d.organizations.map((x) => x.name)),
    roles: new Set(d.roles.map((x) => x.name)),
    workspaces: new Set(d.workspaces.flatMap((x) => [x.name, ...x.previously])),
    projects: new Set(d.projects.map((x) => x.name)),
    packages: new Set(d.packages.map((x) => x.name)),
    credits: new Set(d.credits.map((x) => x.id)),
  };
  const firstFile = (kind: Kind) => [...docs].find(([, doc]) => doc.seqs.has(kind))?.[0];
  const pending = new Map<string, Map<Kind, Entry[]>>();
  const put = (path: string, kind: Kind, entry: Entry, what: string) => {
    const byKind = pending.get(path) ?? new Map<Kind, Entry[]>();
    pending.set(path, byKind);
    byKind.set(kind, [...(byKind.get(kind) ?? []), entry]);
    changes.push(`${path}: added ${what}`);
  };
  for (const kind of ['organizations', 'roles', 'workspaces', 'projects', 'packages', 'credits'] as const) {
    const liveOrg = (name: string) =>
      kind === 'workspaces' || kind === 'projects'
        ? ((input.live[kind] as { name: string; organization: string | null }[]).find((x) => x.name === name)?.organization ?? null)
        : null;
    for (const e of model[kind]) {
      const key = String(kind === 'credits' ? e.id : e.name);
      if (declared[kind].has(key)) continue;
      const entry = kind === 'workspaces' || kind === 'projects' ? relocate(e, liveOrg(key)) : e;
      put(input.into ?? firstFile(kind) ?? `${input.dir}/${KIND_FILES[kind]}`, kind, entry, `${kind.slice(0, -1)} ${key}`);
    }
  }
  const declaredUsers = new Map(d.users.map((u) => [u.email, u]));
  for (const { user, organization, department } of model.users) {
    if (declaredUsers.has(user.email)) continue;
    const neighbour =
      d.users.find((u) => u.organization === organization && (u.department ?? null) === department) ?? d.users.find((u) => u.organization === organization);
    const path = input.into ?? neighbour?.at.file ?? `${input.dir}/${personFile(organization, department)}`;
    put(path, 'users', relocate(user as unknown as Entry, organization), `user ${user.email}`);
  }
  for (const [path, byKind] of pending) {
    const doc = docs.get(path);
    if (!doc) {
      const out = header(path.slice(input.dir.length + 1), 'Added by roster export --merge.');
      for (const [kind, entries] of byKind) listSection(kind, entries, kind === 'users' || kind === 'credits', out);
      created.set(path, out.join('\n') + '\n');
      continue;
    }
    for (const [kind, entries] of byKind) {
      const seq = doc.seqs.get(kind);
      if (seq && seq.items.length) appendItems(doc.edits, seq, entries);
      else if (seq) {
        // `users: []`: the empty list becomes the new items (a second `users:` key would be a duplicate).
        const out: string[] = [];
        listSection(kind, entries, kind === 'users' || kind === 'credits', out);
        doc.edits.add(seq.range![0], seq.range![1], '\n' + out.slice(1).join('\n'));
      } else {
        const out: string[] = [''];
        listSection(kind, entries, kind === 'users' || kind === 'credits', out);
        const end = doc.edits.text.length;
        doc.edits.add(end, end, (doc.edits.text.endsWith('\n') ? '' : '\n') + out.join('\n') + '\n');
      }
    }
  }
  return created;
}
