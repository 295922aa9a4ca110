import { PartialBatchError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import { HttpError, type HttpClient } from '../../http/client.ts';
import type { ScimService } from './service.ts';
import { URN, type ListResponse } from './protocol.ts';
import { canonicalNames } from './names.ts';
import { planWrites, withoutPaths, type Directory, type Write } from './writes.ts';

interface Outcome {
  status: number;
  /** An earlier attempt may have been processed with its answer lost. */
  retried?: boolean;
  /** The resource as the service returned it, when it did. */
  resource?: { id?: string; meta?: { version?: string } };
  version?: string;
  error?: string;
}

/**
 * Sends a batch's writes: through /Bulk when the service offers it (in
 * requests of at most maxOperations and maxPayloadSize), else one request
 * per write, concurrently within the client's limits. Steps whose writes
 * succeeded are reported through onStep; if any write failed, the batch
 * throws naming every failure and the steps that were done (the apply
 * module retries the others step by step).
 */
export async function sendWrites(http: HttpClient, service: ScimService, dir: Directory, steps: Step[], onStep?: (step: Step) => void): Promise<void> {
  const writes = planWrites(steps, dir);
  const failures: string[] = [];
  const applied: Step[] = [];
  const done = (w: Write) => {
    applied.push(...w.steps);
    for (const s of w.steps) onStep?.(s);
  };
  const settle = async (write: Write, answered: Outcome) => {
    // A 412 after a retry: the first attempt may have changed the version; send again with the one the service has now.
    const outcome = answered.status === 412 && answered.retried ? await resendWithFreshVersion(http, service, write) : answered;
    const error = await resolveOutcome(http, dir, write, outcome);
    if (error) failures.push(error);
    else done(write);
  };
  // A PATCH with no operations (nothing the service holds changed) is done without a request.
  const toSend: Write[] = [];
  for (const w of writes) {
    if (w.method === 'PATCH' && (w.body as { Operations: unknown[] }).Operations.length === 0) done(w);
    else toSend.push(w);
  }

  if (service.bulk && toSend.length > 1) {
    await Promise.all(
      bulkChunks(toSend, service.bulk).map(async (chunk) => {
        let outcomes: Outcome[];
        try {
          outcomes = await sendBulk(http, chunk);
        } catch (e) {
          outcomes = chunk.map(() => ({ status: (e as HttpError).status ?? 0, error: (e as Error).message }));
        }
        for (const [i, w] of chunk.entries()) await settle(w, outcomes[i] ?? { status: 0, error: 'no answer for this operation in the /Bulk response' });
      }),
    );
  } else {
    await Promise.all(toSend.map(async (w) => settle(w, await sendOne(http, service, w))));
  }
  if (failures.length) throw new PartialBatchError(failures.join('; '), applied);
}

/** A 400 invalidPath: the service refused an operation's path. */
const refusesPath = (e: HttpError) => e.status === 400 && (canonicalNames(e.body) as { scimType?: string } | null)?.scimType?.toLowerCase() === 'invalidpath';

async function sendOne(http: HttpClient, service: ScimService, w: Write, pathless = false): Promise<Outcome> {
  try {
    const headers: Record<string, string> = service.etags && w.version ? { 'if-match': w.version } : {};
    const res = await http.request<Outcome['resource']>(w.method, w.path, w.body, headers);
    return {
      status: res.status,
      retried: res.attempts > 1,
      ...(res.body && { resource: res.body }),
      ...((res.headers.get('etag') ?? res.body?.meta?.version) && { version: res.headers.get('etag') ?? res.body?.meta?.version }),
    };
  } catch (e) {
    // Some services take add and replace only without a path: the same operations once more in that form.
    if (e instanceof HttpError && w.method === 'PATCH' && !pathless && refusesPath(e))
      return sendOne(http, service, { ...w, body: withoutPaths(w.body as never) }, true);
    if (e instanceof HttpError) return { status: e.status, retried: e.attempts > 1, error: e.message };
    throw e;
  }
}

/**
 * A 412 after a lost answer is most likely roster's own earlier attempt,
 * which changed the version. The operations only name what changes (replace
 * an attribute, add or remove one member), so sending them again on the
 * current version is safe; a 412 from anyone else's edit still fails.
 */
async function resendWithFreshVersion(http: HttpClient, service: ScimService, w: Write): Promise<Outcome> {
  try {
    const { headers, body } = await http.request<{ meta?: { version?: string } }>('GET', w.path);
    const version = headers.get('etag') ?? body?.meta?.version;
    return await sendOne(http, service, { ...w, ...(version && { version }) });
  } catch (e) {
    if (e instanceof HttpError) return { status: e.status, error: e.message };
    throw e;
  }
}

interface BulkOperationResponse {
  status: string | number;
  location?: string;
  version?: string;
  response?: { detail?: string; id?: string; meta?: { version?: string } };
}

async function sendBulk(http: HttpClient, chunk: Write[]): Promise<Outcome[]> {
  const { body, attempts } = await http.request<{ Operations?: BulkOperationResponse[] }>('POST', '/Bulk', bulkBody(chunk));
  const answers = body?.Operations ?? [];
  return chunk.map((w, i) => {
    const a = answers.find((x) => (x as { bulkId?: string }).bulkId === `op${i}`) ?? answers[i];
    if (!a) return { status: 0, error: `${w.method} ${w.path}: no answer in the /Bulk response` };
    const status = Number(a.status);
    const id = a.location?.split('/').pop();
    return status < 400
      ? {
          status,
          resource: { ...a.response, ...(id && { id }) },
          ...((a.version ?? a.response?.meta?.version) && { version: a.version ?? a.response?.meta?.version }),
        }
      : { status, retried: attempts > 1, error: `scim ${w.method} ${w.path} (in /Bulk): ${status}${a.response?.detail ? `: ${a.response.detail}` : ''}` };
  });
}

const bulkOperation = (w: Write, i: number) => ({
  method: w.method,
  path: w.path,
  bulkId: `op${i}`,
  ...(w.version && { version: w.version }),
  ...(w.body !== undefined && { data: w.body }),
});

function bulkBody(chunk: Write[]) {
  return { schemas: [URN.bulkRequest], Operations: chunk.map(bulkOperation) };
}

/** Bytes of a /Bulk request with no operations; each operation adds its own, and a comma after the first. */
const EMPTY_BULK_BYTES = Buffer.byteLength(JSON.stringify(bulkBody([])));

/** Splits writes into /Bulk requests within the service's advertised limits, counting each request's size as it grows. */
export function bulkChunks(writes: Write[], limits: { maxOperations: number; maxPayloadSize: number }): Write[][] {
  const chunks: Write[][] = [];
  let current: Write[] = [];
  let bytes = EMPTY_BULK_BYTES;
  for (const w of writes) {
    const grown = bytes + (current.length ? 1 : 0) + Buffer.byteLength(JSON.stringify(bulkOperation(w, current.length)));
    if (current.length && (current.length + 1 > limits.maxOperations || grown > limits.maxPayloadSize)) {
      chunks.push(current);
      current = [w];
      bytes = EMPTY_BULK_BYTES + Buffer.byteLength(JSON.stringify(bulkOperation(w, 0)));
    } else {
      current.push(w);
      bytes = grown;
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** A filter value as RFC 7644 §3.4.2.2 writes it: a JSON string. */
const quoted = (value: string) => JSON.stringify(value);

/**
 * The resource a create answered 409 collides with: the one carrying the
 * externalId roster gave it (an earlier attempt of this very write), else
 * the one holding its userName or displayName.
 */
async function findConflict(http: HttpClient, w: Write): Promise<{ id: string; meta?: { version?: string } } | undefined> {
  const endpoint = w.target.type === 'user' ? '/Users' : '/Groups';
  const externalId = (w.body as { externalId?: string } | undefined)?.externalId;
  const filters = [
    ...(externalId ? [`externalId eq ${quoted(externalId)}`] : []),
    `${w.target.type === 'user' ? 'userName' : 'displayName'} eq ${quoted(w.target.key)}`,
  ];
  for (const filter of filters) {
    const { body } = await http.request<ListResponse<{ id: string; meta?: { version?: string } }>>('GET', `${endpoint}?filter=${encodeURIComponent(filter)}`);
    const found = body?.Resources?.[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * Records a write's outcome in the directory. A create answered 409 was
 * made by an earlier attempt whose answer was lost (a retry, or a run killed
 * half-way): it is found by a filter and taken as done. A delete answered
 * 404 is already done. Returns the error to report, if any.
 */
async function resolveOutcome(http: HttpClient, dir: Directory, w: Write, o: Outcome): Promise<string | undefined> {
  const map = w.target.type === 'user' ? dir.users : dir.groups;
  if (w.method === 'DELETE' && (o.status < 400 || o.status === 404)) {
    map.delete(w.target.key);
    return undefined;
  }
  if (w.method === 'POST' && o.status === 409) {
    try {
      const found = await findConflict(http, w);
      if (!found) return `${o.error} (no resource with its externalId or ${w.target.type === 'user' ? 'userName' : 'displayName'} was found to take as done)`;
      o = { status: 200, resource: found, ...(found.meta?.version && { version: found.meta.version }) };
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (o.status === 412) return `${o.error}: the resource changed on the service since roster read it; run apply again`;
  if (o.error || o.status >= 400 || o.status === 0) return o.error ?? `${w.method} ${w.path}: ${o.status}`;

  const known = map.get(w.target.key) ?? { id: o.resource?.id ?? '' };
  if (o.resource?.id) known.id = o.resource.id;
  if (o.version) known.version = o.version;
  else delete known.version;
  for (const s of w.steps) {
    if (s.kind === 'workspace.rename') {
      map.delete(s.before.name);
      map.set(s.after.name, known);
      return undefined;
    }
    const a = s.after;
    if (a === null) continue;
    if ('role' in a) known.role = a.role ?? null;
    if ('organization' in a && w.target.type === 'group') known.organization = a.organization ?? null;
    if ('status' in a) known.status = a.status;
  }
  map.set(w.target.key, known);
  return undefined;
}
