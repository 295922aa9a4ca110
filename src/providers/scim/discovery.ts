import type { ServiceGap } from '../../model/capabilities.ts';
import { HttpError, type HttpClient } from '../../http/client.ts';
import { URN, type ListResponse, type ServiceProviderConfig } from './protocol.ts';

interface ResourceType {
  name?: string;
  endpoint?: string;
  schema?: string;
  schemaExtensions?: { schema?: string }[];
}

interface Schema {
  id?: string;
  attributes?: { name?: string }[];
}

/** What the service says about itself, each part null when it has no such endpoint. */
export interface Discovered {
  config: ServiceProviderConfig | null;
  schemas: Schema[] | null;
  resourceTypes: ResourceType[] | null;
}

/**
 * Reads /ServiceProviderConfig, /Schemas and /ResourceTypes, one request
 * each (RFC 7644 §4). /ServiceProviderConfig must answer; a service without
 * the other two (404, 501) tells nothing, so nothing is assumed missing.
 */
export async function discover(http: HttpClient): Promise<Discovered> {
  const { body: config } = await http.request<ServiceProviderConfig>('GET', '/ServiceProviderConfig');
  const [schemas, resourceTypes] = await Promise.all([listOrNull<Schema>(http, '/Schemas'), listOrNull<ResourceType>(http, '/ResourceTypes')]);
  return { config, schemas, resourceTypes };
}

async function listOrNull<T>(http: HttpClient, path: string): Promise<T[] | null> {
  try {
    const { body } = await http.request<ListResponse<T> | T[]>('GET', path);
    // RFC 7644 §4 answers a ListResponse; some services answer a bare array.
    return Array.isArray(body) ? body : (body?.Resources ?? []);
  } catch (e) {
    if (e instanceof HttpError && (e.status === 404 || e.status === 501)) return null;
    throw e;
  }
}

const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/**
 * What the declaration format needs that the service said it lacks. Only
 * what a service states counts: where both /Schemas and /ResourceTypes are
 * absent, the enterprise extension is assumed, as before discovery existed.
 */
export function gapsOf({ config, schemas, resourceTypes }: Discovered): ServiceGap[] {
  const gaps: ServiceGap[] = [];
  if (config?.patch?.supported === false)
    gaps.push({ feature: 'updates', because: '/ServiceProviderConfig says PATCH is not supported, and roster changes users and groups by PATCH' });
  if (resourceTypes && !resourceTypes.some((t) => same(t.schema, URN.group) || same(t.endpoint, '/Groups') || same(t.name, 'Group'))) {
    gaps.push({ feature: 'workspaces', because: '/ResourceTypes lists no Group resource type, and roster keeps workspaces as Groups' });
  }
  const userType = resourceTypes?.find((t) => same(t.schema, URN.user) || same(t.endpoint, '/Users'));
  const inTypes = userType ? (userType.schemaExtensions ?? []).some((x) => same(x.schema, URN.enterprise)) : null;
  const schema = schemas?.find((s) => same(s.id, URN.enterprise));
  const inSchemas = schemas ? schema !== undefined : null;
  if (inTypes === false && inSchemas !== true) {
    gaps.push(...enterpriseGaps('/ResourceTypes lists no enterprise extension on User'));
  } else if (inSchemas === false && inTypes !== true) {
    gaps.push(...enterpriseGaps('/Schemas lists no enterprise User extension'));
  } else if (schema?.attributes) {
    // The extension is there; a service may still leave out one of its attributes.
    for (const [feature, name] of [
      ['departments', 'department'],
      ['user organizations', 'organization'],
    ] as const) {
      if (!schema.attributes.some((a) => same(a.name, name)))
        gaps.push({ feature, because: `its enterprise User extension in /Schemas has no ${name} attribute` });
    }
  }
  return gaps;
}

function enterpriseGaps(why: string): ServiceGap[] {
  const because = `${why} (${URN.enterprise}), where roster keeps a user's department and organization`;
  return [
    { feature: 'departments', because },
    { feature: 'user organizations', because },
  ];
}
