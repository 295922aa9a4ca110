import type { AuditDraft } from '../../model/audit.ts';
import { PartialBatchError, ProviderError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import { redactTarget } from '../../http/redact.ts';
import { lockTarget } from '../target-lock.ts';
import type { LiveState, Provider, ProviderInfo, Release } from '../../model/live.ts';
import { GitHubClient } from '../../http/github.ts';
import { MANAGED_TEAM } from './mapping.ts';
import { readOrganization, type Known } from './read.ts';
import type { GithubConfig } from './config.ts';
import { writeStep } from './write.ts';

/**
 * One GitHub organization through its REST API: members (admin or member),
 * pending invitations (present, never re-invited), and teams as workspaces
 * (maintainer = admin, member = member). roster remembers whom it manages
 * as the members and invitees of the team `roster-managed`.
 */
export class GithubProvider implements Provider {
  private known: Known | undefined;

  private constructor(
    readonly github: GitHubClient,
    private readonly config: GithubConfig,
    private readonly info: ProviderInfo,
  ) {}

  static async open(config: GithubConfig): Promise<GithubProvider> {
    if (!/^[A-Za-z0-9-]+$/.test(config.org)) throw new ProviderError(`ROSTER_GITHUB_ORG must be an organization login, got "${config.org}"`);
    const apiUrl = config.apiUrl ?? 'https://api.github.com';
    const github = new GitHubClient({
      token: config.token,
      apiUrl,
      limits: config.limits ?? {},
      ...(config.onRetry && { onRetry: config.onRetry }),
      hints: {
        apiUrlVariable: 'ROSTER_GITHUB_API_URL',
        forbidden: 'the token lacks a permission: it needs to administer the organization (members and teams: read and write)',
      },
    });
    return new GithubProvider(github, config, {
      name: 'github',
      target: `${redactTarget(apiUrl)} organization ${config.org}`,
      identity: `github:${redactTarget(apiUrl).replace(/\/+$/, '')}/${config.org.toLowerCase()}`,
      capabilities: ['workspaces'],
    });
  }

  describe(): ProviderInfo {
    return this.info;
  }

  async read(): Promise<LiveState> {
    const { live, known } = await readOrganization(this.github, this.config.org, this.config.mapping);
    this.known = known;
    return live;
  }

  async applyBatch(steps: Step[], _draft: (step: Step) => AuditDraft, onStep?: (step: Step) => void): Promise<void> {
    const known = this.known ?? (await this.read(), this.known!);
    if (steps.some((s) => s.kind === 'user.create' || s.kind === 'user.adopt') && known.managedTeamId === null) {
      const { data } = await this.github.call(`POST /orgs/${this.config.org}/teams`, (octokit) =>
        octokit.request('POST /orgs/{org}/teams', {
          org: this.config.org,
          name: MANAGED_TEAM,
          description: 'People roster manages (do not edit by hand)',
          privacy: 'secret',
        }),
      );
      known.managedTeamId = data.id;
    }
    const failures: string[] = [];
    const applied: Step[] = [];
    // Writes are paced by the throttling plugin one after another; independent steps still all get their turn.
    await Promise.all(
      steps.map(async (step) => {
        try {
          await writeStep(this.github, this.config, known, step);
          applied.push(step);
          onStep?.(step);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }),
    );
    if (failures.length) throw new PartialBatchError(failures.join('; '), applied);
  }

  lock(timeoutMs: number): Promise<Release> {
    return lockTarget(this.config.lockDir, 'github', this.info.target, timeoutMs, `the GitHub organization ${this.config.org}`);
  }

  async close(): Promise<void> {}
}
