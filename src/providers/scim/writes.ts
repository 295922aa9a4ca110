import type { UserStatus } from '../../model/declaration.ts';
import { ProviderError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import { MARK, URN, groupExternalId, rolesFor, userResource, type PatchOperation } from './protocol.ts';

/** What roster knows of a live resource: its id, ETag, and (users) the fields the roles attribute is built from. */
export interface Known {
  id: string;
  version?: string;
  role?: string | null;
  status?: UserStatus;
  /** A group's organization, as its externalId holds it. */
  organization?: string | null;
}

export interface Directory {
  users: Map<string, Known>;
  groups: Map<string, Known>;
}

/** One HTTP write (or one /Bulk operation) and the steps it completes. */
export interface Write {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** The ETag to send as If-Match. */
  version?: string;
  /** Where the outcome is recorded: a user's email or a group's name. */
  target: { type: 'user' | 'group'; key: string };
  steps: Step[];
}

const patch = (operations: PatchOperation[]) => ({ schemas: [URN.patchOp], Operations: operations });

/** What the steps that change a person (not create or remove them) hold in `after`. */
type UserChange = Step<'user.adopt' | 'user.update' | 'user.transfer' | 'user.reactivate' | 'user.suspend' | 'user.deactivate'>['after'];

/** PATCH operations for the user fields a step changes; only those fields, as RFC 7644 §3.5.2 allows. */
function userOperations(after: UserChange, known: Known): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if ('managed' in after && after.managed) ops.push({ op: 'replace', path: 'externalId', value: `${MARK}${after.email}` });
  if ('name' in after) {
    ops.push(after.name === null ? { op: 'remove', path: 'displayName' } : { op: 'replace', path: 'displayName', value: after.name });
    ops.push(after.name === null ? { op: 'remove', path: 'name.formatted' } : { op: 'replace', path: 'name.formatted', value: after.name });
  }
  if ('status' in after) ops.push({ op: 'replace', path: 'active', value: after.status === 'active' || after.status === 'invited' });
  if ('role' in after || 'status' in after) {
    const role = 'role' in after ? (after.role ?? null) : (known.role ?? null);
    const status = 'status' in after ? after.status : (known.status ?? 'active');
    ops.push({ op: 'replace', path: 'roles', value: rolesFor(role, status) });
  }
  // Every operation names its path (RFC 7644 §3.10 writes an extension's attribute with its URN): services that take
  // only one PATCH form take this one, and a path-less replace of the whole extension would leave it to the service
  // whether the sub-attributes not named are kept.
  const extension = (field: 'organization' | 'department', value: string | null | undefined): PatchOperation =>
    value === null ? { op: 'remove', path: `${URN.enterprise}:${field}` } : { op: 'replace', path: `${URN.enterprise}:${field}`, value };
  if ('organization' in after) ops.push(extension('organization', after.organization));
  if ('department' in after) ops.push(extension('department', after.department));
  return ops;
}

/** One externalId replacement per group PATCH: a later step's (a rename, then an organization change) wins. */
function setGroupId(w: { ops: PatchOperation[] }, name: string, organization: string | null): void {
  w.ops = w.ops.filter((op) => op.path !== 'externalId');
  w.ops.push({ op: 'replace', path: 'externalId', value: groupExternalId(name, organization) });
}

function require(map: Map<string, Known>, key: string, what: string): Known {
  const known = map.get(key);
  if (!known) throw new ProviderError(`the scim provider has no ${what} ${key}: it was not found when the service was read`);
  return known;
}

/**
 * Turns a batch of steps into as few writes as the protocol allows: one
 * POST or DELETE per created or removed resource, and one PATCH per user or
 * group however many of its fields or members the batch changes. So an
 * apply of C changes never sends more than C writes.
 */
export function planWrites(steps: Step[], dir: Directory): Write[] {
  const writes: Write[] = [];
  const userPatches = new Map<string, Write & { ops: PatchOperation[] }>();
  const groupPatches = new Map<string, Write & { ops: PatchOperation[] }>();
  const patchFor = (type: 'user' | 'group', key: string) => {
    const map = type === 'user' ? userPatches : groupPatches;
    let w = map.get(key);
    if (!w) {
      const known = require(type === 'user' ? dir.users : dir.groups, key, type);
      w = {
        method: 'PATCH',
        path: `/${type === 'user' ? 'Users' : 'Groups'}/${known.id}`,
        target: { type, key },
        steps: [],
        ops: [],
        ...(known.version && { version: known.version }),
      };
      map.set(key, w);
      writes.push(w);
    }
    return w;
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'workspace.create': {
        const { name, organization } = step.after;
        writes.push({
          method: 'POST',
          path: '/Groups',
          body: { schemas: [URN.group], displayName: name, externalId: groupExternalId(name, organization ?? null), members: [] },
          target: { type: 'group', key: name },
          steps: [step],
        });
        break;
      }
      case 'workspace.adopt':
      case 'workspace.update': {
        const a = step.after;
        const w = patchFor('group', a.name);
        // The group's externalId holds the mark, the workspace's name and its organization (adopting also replaces an old shared mark).
        if ('managed' in a || 'organization' in a)
          setGroupId(w, a.name, 'organization' in a ? (a.organization ?? null) : (dir.groups.get(a.name)?.organization ?? null));
        w.steps.push(step);
        break;
      }
      case 'workspace.rename': {
        const { before: b, after: a } = step;
        const w = patchFor('group', b.name);
        w.ops.push({ op: 'replace', path: 'displayName', value: a.name });
        // The externalId names the workspace, so a later workspace under the old name gets its own.
        setGroupId(w, a.name, dir.groups.get(b.name)?.organization ?? null);
        w.steps.push(step);
        break;
      }
      case 'workspace.archive': {
        const known = require(dir.groups, step.before.name, 'group');
        writes.push({
          method: 'DELETE',
          path: `/Groups/${known.id}`,
          target: { type: 'group', key: step.before.name },
          steps: [step],
          ...(known.version && { version: known.version }),
        });
        break;
      }
      case 'user.create':
        writes.push({ method: 'POST', path: '/Users', body: userResource(step.after), target: { type: 'user', key: step.after.email }, steps: [step] });
        break;
      case 'user.adopt':
      case 'user.update':
      case 'user.transfer':
      case 'user.reactivate':
      case 'user.suspend':
      case 'user.deactivate': {
        const w = patchFor('user', step.after.email);
        w.ops.push(...userOperations(step.after, dir.users.get(step.after.email)!));
        w.steps.push(step);
        break;
      }
      case 'user.delete': {
        const known = require(dir.users, step.before.email, 'user');
        writes.push({
          method: 'DELETE',
          path: `/Users/${known.id}`,
          target: { type: 'user', key: step.before.email },
          steps: [step],
          ...(known.version && { version: known.version }),
        });
        break;
      }
      case 'membership.set': {
        const w = patchFor('group', step.after.workspace);
        w.ops.push({ op: 'add', path: 'members', value: [{ value: require(dir.users, step.after.user, 'user').id }] });
        w.steps.push(step);
        break;
      }
      case 'membership.remove': {
        const w = patchFor('group', step.before.workspace);
        w.ops.push({ op: 'remove', path: `members[value eq "${require(dir.users, step.before.user, 'user').id}"]` });
        w.steps.push(step);
        break;
      }
      default:
        // The capability rule rejects declarations that would need these.
        throw new ProviderError(`the scim provider cannot apply ${step.kind} (${step.key})`);
    }
  }
  for (const w of [...userPatches.values(), ...groupPatches.values()]) {
    w.body = patch(w.ops);
    delete (w as Partial<typeof w>).ops;
  }
  return writes;
}

/**
 * The same PATCH with add and replace written without a path, the value an
 * object of attributes (RFC 7644 §3.5.2.1, §3.5.2.3): for a service that
 * refuses a path there. A complex value names only the sub-attributes that
 * change, which the RFC says leaves the others as they are. Removes and
 * filtered paths keep theirs: the RFC has no path-less form for them.
 */
export function withoutPaths(body: { schemas: string[]; Operations: PatchOperation[] }): { schemas: string[]; Operations: PatchOperation[] } {
  const Operations = body.Operations.map((op) => {
    if (op.op === 'remove' || op.path === undefined || op.path.includes('[')) return op;
    const ext = op.path.startsWith(`${URN.enterprise}:`);
    const [attribute, sub] = ext ? [URN.enterprise, op.path.slice(URN.enterprise.length + 1)] : (op.path.split('.') as [string, string | undefined]);
    return { op: op.op, value: { [attribute]: sub === undefined ? op.value : { [sub]: op.value } } };
  });
  return { ...body, Operations };
}
