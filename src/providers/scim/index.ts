import type { ScimService } from './service.ts';
import type { AuditDraft } from '../../model/audit.ts';
import type { ServiceGap } from '../../model/capabilities.ts';
import type { Step } from '../../model/plan.ts';
import { DEFAULT_LIMITS, type HttpClient, type HttpLimits, type RetryEvent } from '../../http/client.ts';
import { redactTarget } from '../../http/redact.ts';
import { lockTarget } from '../target-lock.ts';
import type { LiveState, Provider, ProviderInfo, Release } from '../../model/live.ts';
import { emptyLiveState } from '../../model/live.ts';
import { discover, gapsOf } from './discovery.ts';
import { sendWrites } from './execute.ts';
import { ScimHttpClient } from './names.ts';
import { sameText, toLiveUser, toLiveWorkspace, type ListResponse, type ScimGroup, type ScimUser } from './protocol.ts';
import type { Directory } from './writes.ts';

export interface ScimConfig {
  /** Base URL of the SCIM service, e.g. https://idp.example/scim/v2 (ROSTER_SCIM_URL). */
  url: string;
  /** Bearer token (ROSTER_SCIM_TOKEN); never printed. */
  token: string;
  limits?: Partial<HttpLimits>;
  /** Resources asked for per list request; the service's own limit (filter.maxResults) wins when lower. */
  pageSize?: number;
  /** Where the local apply lock lives (a SCIM service has no lock roster could take). */
  lockDir?: string;
  /** Told of each retry and its wait before the wait starts, so it can be shown while it happens. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Any SCIM 2.0 service (RFC 7643/7644): Users, and Groups as workspaces.
 * Reads are paginated lists (no per-user GETs), updates are PATCHes of the
 * changed attributes, and /Bulk is used when the service advertises it.
 */
export class ScimProvider implements Provider {
  private dir: Directory = { users: new Map(), groups: new Map() };

  private constructor(
    private readonly http: HttpClient,
    private readonly service: ScimService,
    private readonly info: ProviderInfo,
    private readonly lockDir: string | undefined,
    /** What the service said it lacks (discovery.ts), for the caller to check the declaration against before planning. */
    readonly lacking: ServiceGap[],
  ) {}

  static async open(config: ScimConfig): Promise<ScimProvider> {
    const http = new ScimHttpClient('scim', config.url, config.token, { ...DEFAULT_LIMITS, ...config.limits }, 'application/scim+json', config.onRetry);
    const discovered = await discover(http);
    const spc = discovered.config;
    const bulk = spc?.bulk?.supported
      ? { maxOperations: Math.max(1, spc.bulk.maxOperations ?? 1), maxPayloadSize: spc.bulk.maxPayloadSize ?? 1_048_576 }
      : null;
    const service: ScimService = {
      bulk,
      etags: Boolean(spc?.etag?.supported),
      pageSize: Math.max(1, Math.min(config.pageSize ?? 100, spc?.filter?.maxResults ?? Infinity)),
    };
    const target = redactTarget(config.url);
    return new ScimProvider(
      http,
      service,
      { name: 'scim', target, identity: `scim:${target.replace(/\/+$/, '')}`, capabilities: ['workspaces'] },
      config.lockDir,
      gapsOf(discovered),
    );
  }

  describe(): ProviderInfo {
    return this.info;
  }

  /** What the service advertised in /ServiceProviderConfig, as roster uses it. */
  get advertised(): ScimService {
    return this.service;
  }

  async read(): Promise<LiveState> {
    // A service without Groups (it said so in /ResourceTypes) answers no list of them, and the declaration holds no workspaces then.
    const hasGroups = !this.lacking.some((g) => g.feature === 'workspaces');
    const [users, groups] = await Promise.all([this.list<ScimUser>('/Users'), hasGroups ? this.list<ScimGroup>('/Groups') : []]);
    const dir: Directory = { users: new Map(), groups: new Map() };
    const memberships = new Map<string, Record<string, 'member'>>();
    const workspaces = groups.map(toLiveWorkspace);
    for (const [i, g] of groups.entries()) {
      dir.groups.set(g.displayName, { id: g.id, organization: workspaces[i]!.organization, ...(g.meta?.version && { version: g.meta.version }) });
      for (const m of g.members ?? []) {
        if (m.type && !sameText(m.type, 'User')) continue;
        const of = memberships.get(m.value) ?? {};
        of[g.displayName] = 'member';
        memberships.set(m.value, of);
      }
    }
    const live = emptyLiveState();
    for (const u of users) {
      const user = toLiveUser(u, memberships.get(u.id) ?? {});
      dir.users.set(user.email, { id: u.id, role: user.role, status: user.status, ...(u.meta?.version && { version: u.meta.version }) });
      live.users.push(user);
    }
    this.dir = dir;
    live.users.sort((a, b) => (a.email < b.email ? -1 : 1));
    live.workspaces = workspaces.sort((a, b) => (a.name < b.name ? -1 : 1));
    live.valueOnly = ['organizations', 'roles'];
    return live;
  }

  /**
   * Pages through a resource type with startIndex/count. It stops once
   * startIndex passes totalResults (some services answer a page past the
   * end with the first page again) and skips resources already seen.
   */
  private async list<T extends { id: string }>(path: string): Promise<T[]> {
    const out = new Map<string, T>();
    let startIndex = 1;
    for (;;) {
      const { body } = await this.http.request<ListResponse<T>>('GET', `${path}?startIndex=${startIndex}&count=${this.service.pageSize}`);
      const page = body?.Resources ?? [];
      for (const r of page) if (!out.has(r.id)) out.set(r.id, r);
      startIndex += page.length;
      if (page.length === 0 || startIndex > (body?.totalResults ?? 0)) return [...out.values()];
    }
  }

  applyBatch(steps: Step[], _draft: (step: Step) => AuditDraft, onStep?: (step: Step) => void): Promise<void> {
    return sendWrites(this.http, this.service, this.dir, steps, onStep);
  }

  lock(timeoutMs: number): Promise<Release> {
    return lockTarget(this.lockDir, 'scim', this.info.target, timeoutMs, `the SCIM service ${this.info.target}`);
  }

  async close(): Promise<void> {}
}
