import { afterEach, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../src/model/declaration.ts';
import { plan } from '../../../src/plan/index.ts';
import { ScimProvider } from '../../../src/providers/scim/index.ts';
import { converge } from '../../helpers/apply.ts';
import { NOW, declare } from '../../helpers/declare.ts';
import { startBetterAuthScimServer } from '../../helpers/better-auth-scim-server.ts';
import { startScimServer, type LoggedRequest, type ScimServer, type ScimServerOptions } from '../../fakes/scim-server.ts';
import { TEST_LIMITS } from '../../helpers/targets.ts';
import { tempTree } from '../../helpers/tree.ts';

/** N users over three workspaces, each user in one of them. */
function people(n: number, extra = ''): Declaration {
  const users = Array.from(
    { length: n },
    (_, i) =>
      `  - { email: user${String(i).padStart(3, '0')}@acme.test, name: User ${i}, role: ${i % 10 === 0 ? 'admin' : 'member'}, department: Dept ${i % 4}, workspaces: { ws${i % 3}: member } }`,
  );
  return declare({
    'users/a.yaml': [
      'settings:',
      '  provider: scim',
      '  guards: { maxRemovalPercent: 100 }',
      'organizations: [{ name: acme }]',
      'roles: [{ name: admin, admin: true }, { name: member }]',
      'workspaces: [{ name: ws0 }, { name: ws1 }, { name: ws2 }]',
      'users:',
      ...users,
      extra,
    ].join('\n'),
  });
}

let server: ScimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(options: ScimServerOptions, limits: Partial<typeof TEST_LIMITS> = {}) {
  server = await startScimServer(options);
  const provider = await ScimProvider.open({ url: server.url, token: server.token, limits: { ...TEST_LIMITS, ...limits }, lockDir: tempTree(), pageSize: 100 });
  return { server, provider };
}

const writes = (s: ScimServer, from = 0) => s.log.slice(from).filter((r) => r.method !== 'GET');
const lists = (s: ScimServer, from = 0) => s.log.slice(from).filter((r) => r.method === 'GET' && (r.path === '/Users' || r.path === '/Groups'));

describe('SCIM request counts', () => {
  it('a plan on N users reads ceil(N / page size) list pages per resource type and no per-user GETs', async () => {
    const { server, provider } = await open({ bulk: false, maxResults: 25 });
    const d = people(120);
    await converge(provider, d);
    const from = server.log.length;
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
    // The service's limit (25) wins over the requested page size (100).
    expect(provider.advertised.pageSize).toBe(25);
    expect(lists(server, from).filter((r) => r.path === '/Users')).toHaveLength(Math.ceil(120 / 25));
    expect(lists(server, from).filter((r) => r.path === '/Groups')).toHaveLength(1);
    expect(server.log.slice(from).filter((r) => /^\/(Users|Groups)\/./.test(r.path))).toEqual([]);
  });

  it('an apply of C changes sends at most C writes without /Bulk, one PATCH per changed resource', async () => {
    const { server, provider } = await open({ bulk: false, maxResults: 100 });
    const first = await converge(provider, people(60));
    const c1 = first.outcomes.length; // 3 groups + 60 users + 60 memberships
    expect(c1).toBe(123);
    expect(writes(server)).toHaveLength(3 + 60 + 3); // memberships go in one PATCH per group
    const from = server.log.length;
    // 10 role changes, 10 department changes on other users: 20 changes, 20 PATCHes.
    const changed = people(60).users.map((u, i) => ({
      ...u,
      ...(i < 10 && { role: u.role === 'admin' ? 'member' : 'admin' }),
      ...(i >= 10 && i < 20 && { department: 'Moved' }),
    }));
    const second = await converge(provider, { ...people(60), users: changed });
    expect(second.outcomes).toHaveLength(20);
    expect(writes(server, from).map((r) => r.method)).toEqual(Array(20).fill('PATCH'));
  });

  it('with /Bulk, an apply of C changes sends at most ceil(C / maxOperations) writes per phase', async () => {
    const { server, provider } = await open({ bulk: { maxOperations: 10, maxPayloadSize: 1_048_576 }, maxResults: 100 });
    expect(provider.advertised.bulk).toEqual({ maxOperations: 10, maxPayloadSize: 1_048_576 });
    const result = await converge(provider, people(60));
    expect(result.outcomes.every((o) => o.result === 'applied')).toBe(true);
    // Phases: 3 groups (1 bulk), 60 users (6 bulks), memberships as 3 group PATCHes (1 bulk).
    expect(writes(server).map((r) => `${r.method} ${r.path} ${r.operations ?? ''}`)).toEqual([
      'POST /Bulk 3',
      ...Array(6).fill('POST /Bulk 10'),
      'POST /Bulk 3',
    ]);
    expect(writes(server).length).toBeLessThanOrEqual(Math.ceil(result.outcomes.length / 10));
    expect(plan(people(60), await provider.read(), NOW).steps).toEqual([]);
  });

  it('splits /Bulk requests to stay under maxPayloadSize', async () => {
    const { server, provider } = await open({ bulk: { maxOperations: 100, maxPayloadSize: 2_000 }, maxResults: 100 });
    await converge(provider, people(20));
    const bulks = writes(server).filter((r) => r.path === '/Bulk');
    expect(bulks.length).toBeGreaterThan(2);
    expect(bulks.every((r) => r.status === 200)).toBe(true);
    expect(plan(people(20), await provider.read(), NOW).steps).toEqual([]);
  });
});

/** The same counts on every service: scimmy with and without /Bulk, and Better Auth's SCIM plugin (no /Bulk). */
const services: [string, () => Promise<{ url: string; token: string; log: LoggedRequest[]; close(): Promise<void> }>][] = [
  ['scimmy with /Bulk', () => startScimServer({ bulk: { maxOperations: 10, maxPayloadSize: 1_048_576 }, maxResults: 100 })],
  ['scimmy without /Bulk', () => startScimServer({ bulk: false, maxResults: 100 })],
  ['@better-auth/scim', () => startBetterAuthScimServer()],
];

describe.each(services)('SCIM request counts on %s', (name, start) => {
  it('reads one request per list page, writes at most one request per change (fewer with /Bulk)', async () => {
    const service = await start();
    try {
      const provider = await ScimProvider.open({ url: service.url, token: service.token, limits: TEST_LIMITS, lockDir: tempTree(), pageSize: 10 });
      const bulk = provider.advertised.bulk;
      const d = people(25);
      const since = (from: number) => service.log.slice(from);
      const writesIn = (log: LoggedRequest[]) => log.filter((r) => r.method !== 'GET');

      let from = service.log.length;
      const first = await converge(provider, d);
      expect(first.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
      const firstWrites = writesIn(since(from));
      expect(firstWrites.length).toBeLessThanOrEqual(first.outcomes.length);
      if (bulk) expect(firstWrites.every((r) => r.path === '/Bulk')).toBe(true);

      from = service.log.length;
      const live = await provider.read();
      expect(plan(d, live, NOW).steps).toEqual([]);
      const reads = since(from);
      // 25 users and 3 groups at 10 a page: 3 + 1 pages, and nothing else (no per-resource GETs).
      expect(reads.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /Groups', 'GET /Users', 'GET /Users', 'GET /Users']);

      from = service.log.length;
      const changed = d.users.map((u, i) => (i < 5 ? { ...u, role: u.role === 'admin' ? 'member' : 'admin' } : u));
      const second = await converge(provider, { ...d, users: changed });
      expect(second.outcomes).toHaveLength(5);
      const secondWrites = writesIn(since(from));
      expect(secondWrites.map((r) => `${r.method} ${r.path.split('/').slice(0, 2).join('/')}`)).toEqual(bulk ? ['POST /Bulk'] : Array(5).fill('PATCH /Users'));

      console.log(
        `SCIM request counts on ${name}: first apply ${first.outcomes.length} changes in ${firstWrites.length} writes` +
          `${bulk ? ` (/Bulk, ${bulk.maxOperations} operations a request)` : ''}; a read of 25 users and 3 groups at 10 a page: ${reads.length} list pages;` +
          ` 5 role changes: ${secondWrites.length} writes`,
      );
    } finally {
      await service.close();
    }
  });
});

describe('SCIM protocol details', () => {
  it('updates by PATCH with only the changed attributes, sending the ETag as If-Match', async () => {
    const { server, provider } = await open({ bulk: false });
    await converge(provider, people(3));
    const from = server.log.length;
    const users = people(3).users.map((u, i) => (i === 1 ? { ...u, department: 'Research' } : u));
    await converge(provider, { ...people(3), users });
    expect(writes(server, from).map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /Users/5']);
    const stored = server.store.users.get('5')!;
    expect(stored['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Research', organization: 'acme' });
  });

  it('refuses a stale write: a resource changed since the read answers 412 and the step fails', async () => {
    const { server, provider } = await open({ bulk: false });
    const d = people(2);
    await converge(provider, d);
    const users = d.users.map((u, i) => (i === 0 ? { ...u, name: 'Renamed' } : u));
    const p = plan({ ...d, users }, await provider.read(), NOW);
    // Someone edits the user in the console between roster's read and its write.
    server.store.versions.set('4', 99);
    await expect(provider.applyBatch(p.steps, () => ({}) as never)).rejects.toThrow(
      'scim PATCH /Users/4: 412 Precondition Failed: version mismatch: the resource changed on the service since roster read it; run apply again',
    );
  });

  it('says a refused connection is refused (no status, no "500"), after retrying it', async () => {
    const gone = await startScimServer();
    await gone.close();
    const port = new URL(gone.url).port;
    const e = (await ScimProvider.open({ url: `${gone.url}/scim/v2`, token: gone.token, limits: { ...TEST_LIMITS, retries: 1 }, lockDir: tempTree() }).catch(
      (x: Error) => x,
    )) as Error & { status: number; attempts: number };
    expect(e.message).toBe(`scim GET /ServiceProviderConfig: connection refused by 127.0.0.1:${port}: is the service running and the URL right?`);
    expect({ status: e.status, attempts: e.attempts }).toEqual({ status: 0, attempts: 2 });
  });

  it('never shows the token, not even when the service echoes it', async () => {
    const { provider } = await open({ bulk: false, token: 'scim-secret-token-123' });
    expect(JSON.stringify(provider.describe())).not.toContain('scim-secret-token-123');
    const wrong = await ScimProvider.open({ url: `${server!.url}`, token: 'not-the-token-xyz', limits: TEST_LIMITS, lockDir: tempTree() }).catch(
      (e: Error) => e,
    );
    expect((wrong as Error).message).toBe('scim GET /ServiceProviderConfig: 401 Unauthorized: Invalid bearer token');
    expect((wrong as Error).message).not.toContain('not-the-token-xyz');
  });
});

describe('SCIM externalId: one per resource roster creates', () => {
  const twoWorkspaces = (extra = '') =>
    declare({
      'users/a.yaml': [
        'settings: { provider: scim, organization: acme }',
        'organizations: [{ name: acme }]',
        'roles: [{ name: member }]',
        'workspaces: [{ name: analytics }, { name: research }]',
        'users:',
        '  - { email: ann@acme.test, role: member, workspaces: { analytics: member } }',
        '  - { email: ben@acme.test, role: member, workspaces: { research: member } }',
        extra,
      ].join('\n'),
    });

  it('two workspaces of one organization get their own externalIds, and the second plan is empty', async () => {
    const { server, provider } = await open({ bulk: false });
    const d = twoWorkspaces();
    const result = await converge(provider, d);
    expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
    const groups = [...server.store.groups.values()].map((g) => [g.displayName, g.externalId, g.members?.length]);
    expect(groups).toEqual([
      ['analytics', 'roster:group:acme:analytics', 1],
      ['research', 'roster:group:acme:research', 1],
    ]);
    expect([...server.store.users.values()].map((u) => u.externalId)).toEqual(['roster:ann@acme.test', 'roster:ben@acme.test']);
    expect((await provider.read()).workspaces.map((w) => [w.name, w.organization, w.managed])).toEqual([
      ['analytics', 'acme', true],
      ['research', 'acme', true],
    ]);
  });

  it('a rename gives the group the externalId of its new name, so the old name can be used again', async () => {
    const { server, provider } = await open({ bulk: false });
    await converge(provider, twoWorkspaces());
    const workspaces = (list: string) =>
      declare({
        'users/a.yaml': [
          'settings: { provider: scim, organization: acme }',
          'organizations: [{ name: acme }]',
          'roles: [{ name: member }]',
          `workspaces: ${list}`,
          'users:',
          '  - { email: ann@acme.test, role: member, workspaces: { insights: member } }',
          '  - { email: ben@acme.test, role: member, workspaces: { research: member } }',
          '',
        ].join('\n'),
      });
    for (const d of [
      workspaces('[{ name: insights, previously: [analytics] }, { name: research }]'),
      workspaces('[{ name: insights }, { name: research }, { name: analytics }]'),
    ]) {
      const result = await converge(provider, d);
      expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
      expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
    }
    expect([...server.store.groups.values()].map((g) => `${g.displayName} ${g.externalId}`).sort()).toEqual([
      'analytics roster:group:acme:analytics',
      'insights roster:group:acme:insights',
      'research roster:group:acme:research',
    ]);
  });

  it('a create answered 409 is found by its externalId and taken as done', async () => {
    const { server, provider } = await open({ bulk: false });
    const d = twoWorkspaces();
    const p = plan(d, await provider.read(), NOW);
    // An earlier attempt created the group (under another displayName by now) and its answer was lost.
    server.addGroup({ displayName: 'analytics (old)', externalId: 'roster:group:acme:analytics', members: [] });
    await provider.applyBatch(
      p.steps.filter((s) => s.kind === 'workspace.create'),
      () => ({}) as never,
    );
    const created = server.log.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(created.sort()).toEqual(['POST /Groups 201', 'POST /Groups 409']);
    expect(server.log.some((r) => r.method === 'GET' && decodeURIComponent(r.query).includes('externalId eq "roster:group:acme:analytics"'))).toBe(true);
    expect(server.store.groups.size).toBe(2);
  });

  it('migrates groups an earlier roster marked with the shared roster:<organization>: replaced by PATCH, nothing created twice', async () => {
    const { server, provider } = await open({ bulk: false });
    // As an earlier roster left a service that allowed the shared value: users marked per user, groups all `roster:acme`.
    const ann = server.addUser({
      userName: 'ann@acme.test',
      externalId: 'roster:ann@acme.test',
      emails: [{ value: 'ann@acme.test', primary: true }],
      active: true,
      roles: [{ value: 'member', primary: true }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { organization: 'acme' },
    });
    const ben = server.addUser({
      userName: 'ben@acme.test',
      externalId: 'roster:ben@acme.test',
      emails: [{ value: 'ben@acme.test', primary: true }],
      active: true,
      roles: [{ value: 'member', primary: true }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { organization: 'acme' },
    });
    server.addGroup({ displayName: 'analytics', externalId: 'roster:acme', members: [{ value: ann.id }] });
    server.addGroup({ displayName: 'research', externalId: 'roster:acme', members: [{ value: ben.id }] });
    const d = twoWorkspaces();
    const first = plan(d, await provider.read(), NOW);
    expect(first.steps.map((s) => `${s.kind} ${s.key}`)).toEqual(['workspace.adopt workspace:analytics', 'workspace.adopt workspace:research']);
    const from = server.log.length;
    const result = await converge(provider, d);
    expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    expect(writes(server, from).map((r) => `${r.method} ${r.path.replace(/\d+$/, ':id')}`)).toEqual(['PATCH /Groups/:id', 'PATCH /Groups/:id']);
    expect([...server.store.groups.values()].map((g) => [g.displayName, g.externalId, g.members?.map((m) => m.value)])).toEqual([
      ['analytics', 'roster:group:acme:analytics', [ann.id]],
      ['research', 'roster:group:acme:research', [ben.id]],
    ]);
    expect(server.store.users.size).toBe(2);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
  });
});

describe('SCIM under faults', () => {
  const faulty = { rate429: 0.15, rate500: 0.1, rateDrop: 0.1, afterProcessing: true, seed: 7 };

  it.each([
    ['without /Bulk', false as const],
    ['with /Bulk', { maxOperations: 5, maxPayloadSize: 65_536 }],
  ])('converges %s when a share of requests is answered 429 or 500 or dropped, creating nobody twice', async (_name, bulk) => {
    const { server, provider } = await open({ bulk, maxResults: 20, faults: faulty });
    const d = people(40);
    const result = await converge(provider, d);
    expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    expect(server.log.filter((r) => r.status === 429 || r.status === 500).length).toBeGreaterThan(5);
    server.setFaults(undefined);
    const live = await provider.read();
    expect(plan(d, live, NOW).steps).toEqual([]);
    // Nobody and no membership twice.
    expect(server.store.users.size).toBe(40);
    expect(new Set([...server.store.users.values()].map((u) => u.userName)).size).toBe(40);
    for (const g of server.store.groups.values()) expect(new Set(g.members!.map((m) => m.value)).size).toBe(g.members!.length);
    expect([...server.store.groups.values()].reduce((n, g) => n + g.members!.length, 0)).toBe(40);
  });

  it('a run that exhausts its retries reports every failed step and leaves the rest applied', async () => {
    const { server, provider } = await open({ bulk: false, maxResults: 100 }, { retries: 1 });
    const d = people(30);
    server.setFaults({ rate429: 0, rate500: 0.5, rateDrop: 0, afterProcessing: false, seed: 3, writesOnly: true });
    const result = await converge(provider, d);
    const failed = result.outcomes.filter((o) => o.result === 'failed');
    const applied = result.outcomes.filter((o) => o.result === 'applied');
    expect(failed.length).toBeGreaterThan(0);
    expect(applied.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.error).toMatch(/^scim (POST|PATCH) \/(Users|Groups)(\/\d+)?: 500 Internal Server Error: Internal error$/);
    // Every step is accounted for; the audit trail holds one event per applied or failed step.
    expect(result.outcomes.length).toBe(plan(d, (await startEmpty()).live, NOW).steps.length);
    expect(result.events.filter((e) => e.result === 'applied').length).toBe(applied.length);
    expect(
      result.events
        .filter((e) => e.result === 'failed')
        .map((e) => e.key)
        .sort(),
    ).toEqual(failed.map((f) => f.step.key).sort());
    server.setFaults(undefined);
    const live = await provider.read();
    const appliedUsers = applied.flatMap((o) => (o.step.kind === 'user.create' ? [o.step.after.email] : []));
    expect(live.users.map((u) => u.email).sort()).toEqual([...appliedUsers].sort());
    // And the next run finishes the job.
    const rerun = await converge(provider, d);
    expect(rerun.outcomes.every((o) => o.result === 'applied')).toBe(true);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
  });
});

/** The live state of an empty service, for counting the steps of a first plan. */
async function startEmpty() {
  const empty = await startScimServer();
  try {
    const p = await ScimProvider.open({ url: empty.url, token: empty.token, limits: TEST_LIMITS, lockDir: tempTree() });
    return { live: await p.read() };
  } finally {
    await empty.close();
  }
}
