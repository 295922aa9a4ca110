import { createServer } from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface ScimDoubleOptions {
  /** /ServiceProviderConfig's patch.supported. */
  patch?: boolean;
  /** Whether /ResourceTypes lists Group. */
  groups?: boolean;
  /** Whether the User resource type and /Schemas carry the enterprise extension. */
  enterprise?: boolean;
  /** Answer 404 to /Schemas and /ResourceTypes, as a service without them does. */
  noDiscovery?: boolean;
}

/**
 * A SCIM service double that says about itself what a test needs: answers
 * /ServiceProviderConfig, /Schemas and /ResourceTypes as configured, empty
 * lists of Users (and Groups when it has them), and records every request,
 * so a test can tell nothing was written. It holds nothing.
 */
export async function startScimDouble(options: ScimDoubleOptions = {}): Promise<{ url: string; token: string; requests: string[]; close(): Promise<void> }> {
  const { patch = true, groups = true, enterprise = true, noDiscovery = false } = options;
  const requests: string[] = [];
  const list = (resources: unknown[]) => ({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });
  const userType = {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
    schemaExtensions: enterprise ? [{ schema: ENTERPRISE, required: false }] : [],
  };
  const groupType = { id: 'Group', name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' };
  const schemas = [
    { id: 'urn:ietf:params:scim:schemas:core:2.0:User', attributes: [{ name: 'userName' }] },
    ...(enterprise ? [{ id: ENTERPRISE, attributes: [{ name: 'organization' }, { name: 'department' }] }] : []),
  ];
  const answers: Record<string, unknown> = {
    '/ServiceProviderConfig': {
      patch: { supported: patch },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 100 },
      etag: { supported: false },
    },
    '/Users': list([]),
    ...(groups && { '/Groups': list([]) }),
    ...(!noDiscovery && { '/ResourceTypes': list(groups ? [userType, groupType] : [userType]), '/Schemas': list(schemas) }),
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/\?.*$/, '');
    requests.push(`${req.method} ${path}`);
    const body = req.method === 'GET' ? answers[path] : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify(body ?? { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'not found' }));
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, token: 'scim-double-token-51a0', requests, close };
}
