import { actionOf } from '../model/plan.ts';
import type { Json } from '../model/json.ts';
import type { StepKind } from '../model/plan.ts';
import type { LiveState } from '../model/live.ts';

/** A step as an audit event holds it. */
export interface Change {
  step: string;
  key: string;
  before: Json;
  after: Json;
}
type Observed = Record<string, unknown>;

/** Fields that say which object a step is about, not what it changes. */
const IDENTITY = new Set(['email', 'name', 'workspace', 'user', 'project', 'package']);

/**
 * Whether a change shows in a live state read after it may have been made.
 * It is judged against `before`: any of the change visible counts, since a
 * change half made (two requests, the second never sent) is still a change
 * that needs its event; the next plan makes the rest.
 */
export function changeLanded(change: Change, live: LiveState): boolean {
  const current = observe(change, live);
  if (current === undefined) return true; // cannot be told from a live state: recording it is the safer error
  const before = change.before as Record<string, Json> | null;
  if (before === null || change.step.endsWith('.rename')) return current !== null;
  if (change.after === null) return current === null || current.archived === true;
  // Where deactivating removes the person (GitHub), gone is done.
  if (current === null) return actionOf(change.step as StepKind) === 'remove';
  return Object.entries(before).some(([field, value]) => !IDENTITY.has(field) && !same(current[field], value));
}

/** The live object a change is about (by its new name for a rename), null when absent, undefined when the live state does not hold such objects. */
function observe(change: Change, live: LiveState): Observed | null | undefined {
  const id = (change.after ?? change.before ?? {}) as Record<string, Json>;
  const user = (email: Json | undefined) => live.users.find((u) => u.email === email) ?? null;
  const named = <T extends { name: string }>(list: T[]) => (list.find((x) => x.name === id.name) as Observed | undefined) ?? null;
  const type = change.key.slice(0, change.key.indexOf(':'));
  switch (type) {
    case 'user':
    case 'invitation':
      return user(id.email) as Observed | null;
    case 'membership': {
      const role = user(id.user)?.workspaces[id.workspace as string];
      return role === undefined ? null : { workspace: id.workspace, user: id.user, role };
    }
    case 'project-assignment':
      return user(id.user)?.projects.includes(id.project as string) ? { ...id } : null;
    case 'package-assignment':
      return user(id.user)?.packages.includes(id.package as string) ? { ...id } : null;
    case 'organization':
      return named(live.organizations);
    case 'role':
      return named(live.roles);
    case 'workspace':
      return named(live.workspaces);
    case 'project':
      return named(live.projects);
    case 'package':
      return named(live.packages);
    case 'settings':
      return live.policies as unknown as Observed;
    default:
      return undefined;
  }
}

/** Equal values, null and absent alike; objects and lists by content. */
function same(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}
