import type { UserStatus } from '../../model/declaration.ts';
import type { LiveUser, LiveWorkspace } from '../../model/live.ts';

/** RFC 7643 / 7644 schema URNs. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
} as const;

/**
 * How roster remembers what it manages on a SCIM service: `externalId`, the
 * provisioning client's identifier of the resource (RFC 7643 §3.1), so one
 * value per resource. A user roster manages has `roster:<email>`; a group
 * has `roster:group:<organization>:<name>`, which also holds the
 * workspace's organization (a group cannot otherwise hold one). Every
 * service keeps externalId, and some refuse a second resource with the same
 * one, so nothing else is needed.
 */
export const MARK = 'roster:';
export const GROUP_MARK = `${MARK}group:`;

/** A group's externalId: unique per workspace (services hold one group per displayName), and the organization rides along. */
export function groupExternalId(name: string, organization: string | null): string {
  return `${GROUP_MARK}${encodeURIComponent(organization ?? '')}:${name}`;
}

/**
 * Reads a group's externalId: roster's current mark, the shared
 * `roster:<organization>` that earlier versions of roster gave every group (to be
 * replaced on the next apply), or none.
 */
export function parseGroupMark(externalId: string | undefined): { kind: 'current' | 'legacy'; organization: string | null } | null {
  if (!externalId?.startsWith(MARK)) return null;
  if (!externalId.startsWith(GROUP_MARK)) return { kind: 'legacy', organization: externalId.slice(MARK.length) || null };
  const rest = externalId.slice(GROUP_MARK.length);
  const colon = rest.indexOf(':');
  let organization: string;
  try {
    organization = decodeURIComponent(colon < 0 ? rest : rest.slice(0, colon));
  } catch {
    organization = colon < 0 ? rest : rest.slice(0, colon);
  }
  return { kind: 'current', organization: organization || null };
}
/** Two values of an attribute that is not case-exact (a member's or role's `type`, RFC 7643 §4.1.2 and §8.7.1). */
export const sameText = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();

/** A suspended user is inactive (`active: false`) and carries this role entry, so suspension survives a round trip. */
export const SUSPENDED_ROLE = { value: 'suspended', type: 'roster-status' } as const;

export interface ScimMeta {
  version?: string;
}

export interface ScimRole {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimUser {
  id: string;
  externalId?: string;
  userName: string;
  displayName?: string;
  name?: { formatted?: string };
  emails?: { value: string; primary?: boolean; type?: string }[];
  active?: boolean;
  roles?: ScimRole[];
  [URN.enterprise]?: { department?: string; organization?: string };
  meta?: ScimMeta;
}

export interface ScimGroup {
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; display?: string; type?: string }[];
  meta?: ScimMeta;
}

export interface ListResponse<T> {
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources?: T[];
}

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

export interface ServiceProviderConfig {
  patch?: { supported?: boolean };
  bulk?: { supported?: boolean; maxOperations?: number; maxPayloadSize?: number };
  filter?: { supported?: boolean; maxResults?: number };
  etag?: { supported?: boolean };
}

/** The roster role is the primary role entry; the suspension marker is not a role. */
export function roleOf(u: ScimUser): string | null {
  const roles = (u.roles ?? []).filter((r) => !sameText(r.type, SUSPENDED_ROLE.type));
  return (roles.find((r) => r.primary) ?? roles[0])?.value ?? null;
}

export function statusOf(u: ScimUser): UserStatus {
  if (u.active !== false) return 'active';
  return (u.roles ?? []).some((r) => sameText(r.type, SUSPENDED_ROLE.type) && r.value === SUSPENDED_ROLE.value) ? 'suspended' : 'inactive';
}

/** The roles attribute for a role and a status: the suspension marker rides along while suspended. */
export function rolesFor(role: string | null, status: UserStatus): ScimRole[] {
  return [...(role ? [{ value: role, primary: true }] : []), ...(status === 'suspended' ? [{ ...SUSPENDED_ROLE }] : [])];
}

export function emailOf(u: ScimUser): string {
  return (u.emails?.find((e) => e.primary)?.value ?? u.userName).trim().normalize('NFC').toLowerCase();
}

export function toLiveUser(u: ScimUser, workspaces: Record<string, 'member'>): LiveUser {
  const ext = u[URN.enterprise];
  return {
    email: emailOf(u),
    name: u.displayName ?? u.name?.formatted ?? null,
    role: roleOf(u),
    status: statusOf(u),
    organization: ext?.organization ?? null,
    department: ext?.department ?? null,
    expires: null,
    managed: u.externalId?.startsWith(MARK) ?? false,
    workspaces,
    projects: [],
    packages: [],
    invitationKey: null,
    signupCredits: 0,
  };
}

/**
 * A group marked the old way (one externalId shared by every group) is
 * reported as not managed: the plan then adopts it, which replaces the old
 * value with the group's own by PATCH instead of creating it again.
 */
export function toLiveWorkspace(g: ScimGroup): LiveWorkspace {
  const mark = parseGroupMark(g.externalId);
  return { name: g.displayName, organization: mark?.organization ?? null, description: null, archived: false, managed: mark?.kind === 'current' };
}

/** A new user resource, as POST /Users takes it. userName is the email: the identity roster keys users by. */
export function userResource(fields: {
  email: string;
  name: string | null;
  role: string | null;
  status: UserStatus;
  organization: string | null;
  department: string | null;
}): Omit<ScimUser, 'id'> & { schemas: string[] } {
  const ext = {
    ...(fields.organization !== null && { organization: fields.organization }),
    ...(fields.department !== null && { department: fields.department }),
  };
  return {
    schemas: [URN.user, ...(Object.keys(ext).length ? [URN.enterprise] : [])],
    externalId: `${MARK}${fields.email}`,
    userName: fields.email,
    ...(fields.name !== null && { displayName: fields.name, name: { formatted: fields.name } }),
    emails: [{ value: fields.email, primary: true, type: 'work' }],
    active: fields.status === 'active' || fields.status === 'invited',
    roles: rolesFor(fields.role, fields.status),
    ...(Object.keys(ext).length && { [URN.enterprise]: ext }),
  };
}
