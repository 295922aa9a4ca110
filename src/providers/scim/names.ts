import { HttpClient, type HttpResponse } from '../../http/client.ts';
import { URN } from './protocol.ts';

/**
 * Every attribute name roster reads from a SCIM answer, as RFC 7643/7644
 * write them. Attribute names are case-insensitive (RFC 7643 §2.1), and so
 * are the schema URIs that name an extension: `UserName`, `DISPLAYNAME` or
 * `urn:…:enterprise:2.0:user` read as `userName`, `displayName` and the
 * enterprise URN.
 */
const NAMES = [
  ...['schemas', 'id', 'externalId', 'meta', 'version', 'resourceType', 'location', 'userName', 'name', 'formatted', 'displayName', 'emails', 'value'],
  ...['primary', 'type', 'display', 'active', 'roles', 'members', 'organization', 'department', 'totalResults', 'startIndex', 'itemsPerPage', 'Resources'],
  ...['Operations', 'status', 'response', 'bulkId', 'method', 'detail', 'scimType', 'patch', 'bulk', 'filter', 'etag', 'supported', 'maxOperations'],
  ...['maxPayloadSize', 'maxResults', 'endpoint', 'schema', 'schemaExtensions', 'attributes', 'groups', URN.user, URN.group, URN.enterprise],
];
const CANONICAL = new Map(NAMES.map((n) => [n.toLowerCase(), n]));

/** A SCIM answer with every attribute name roster knows spelled as the RFC does; values and unknown names are left as they are. */
export function canonicalNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalNames);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[CANONICAL.get(key.toLowerCase()) ?? key] = canonicalNames(v);
  return out;
}

/** The HTTP client for a SCIM service: its answers read with canonical attribute names. */
export class ScimHttpClient extends HttpClient {
  override async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<T> & { attempts: number }> {
    const res = await super.request<T>(method, path, body, headers);
    return { ...res, body: canonicalNames(res.body) as T };
  }
}
