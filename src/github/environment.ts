import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { GitHubApi } from './api.ts';
import type { RetryEvent } from '../http/github.ts';
import { OctokitGitHub } from './octokit.ts';

/** The pull request a workflow run is about, from its event payload. */
export interface EventPullRequest {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
}

/** What GitHub Actions tells a job through its environment (docs: "Default environment variables"). */
export interface GitHubEnvironment {
  token: string;
  repository: string;
  apiUrl: string;
  /** The commit the run is for (GITHUB_SHA). */
  sha?: string;
  /** The run's page, for links from comments and issues. */
  runUrl?: string;
  /** File whose markdown becomes the job summary. */
  stepSummary?: string;
  /** pull_request and pull_request_review events. */
  pullRequest?: EventPullRequest;
  /** push events: the branch's commit before the push. */
  before?: string;
  /** The repository's default branch (the event's repository.default_branch): its rule is the one in force. */
  defaultBranch?: string;
  /** The ref the run is for (GITHUB_REF, else the event's ref), e.g. refs/heads/main. */
  ref?: string;
}

const NO_COMMIT = /^0+$/;

/** Reads the GitHub Actions environment; a missing variable is a ConfigError naming it. The token is kept, never shown. */
export function githubEnvironment(env: NodeJS.ProcessEnv): GitHubEnvironment {
  const missing = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'].filter((k) => !env[k]);
  if (missing.length)
    throw new ConfigError(
      `${missing.join(' and ')} must be set: roster github commands run in GitHub Actions (pass GITHUB_TOKEN: \${{ github.token }} in the step's env)`,
    );
  const out: GitHubEnvironment = { token: env.GITHUB_TOKEN!, repository: env.GITHUB_REPOSITORY!, apiUrl: env.GITHUB_API_URL || 'https://api.github.com' };
  if (env.GITHUB_SHA) out.sha = env.GITHUB_SHA;
  if (env.GITHUB_RUN_ID) out.runUrl = `${env.GITHUB_SERVER_URL || 'https://github.com'}/${out.repository}/actions/runs/${env.GITHUB_RUN_ID}`;
  if (env.GITHUB_STEP_SUMMARY) out.stepSummary = env.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_EVENT_PATH) Object.assign(out, readEvent(env.GITHUB_EVENT_PATH));
  if (env.GITHUB_REF) out.ref = env.GITHUB_REF;
  return out;
}

type EventFacts = Pick<GitHubEnvironment, 'pullRequest' | 'before' | 'defaultBranch' | 'ref'>;

function readEvent(path: string): EventFacts {
  let event: { pull_request?: Record<string, unknown>; before?: unknown; ref?: unknown; repository?: { default_branch?: unknown } };
  try {
    event = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read the workflow event GITHUB_EVENT_PATH=${path}: ${(e as Error).message}`);
  }
  const out: EventFacts = {};
  const pr = event.pull_request as { number?: number; title?: string; user?: { login?: string }; head?: { sha?: string }; base?: { sha?: string } } | undefined;
  if (pr && typeof pr.number === 'number') {
    out.pullRequest = { number: pr.number, title: pr.title ?? '', author: pr.user?.login ?? '', headSha: pr.head?.sha ?? '', baseSha: pr.base?.sha ?? '' };
  }
  if (typeof event.before === 'string' && !NO_COMMIT.test(event.before)) out.before = event.before;
  if (typeof event.repository?.default_branch === 'string') out.defaultBranch = event.repository.default_branch;
  if (typeof event.ref === 'string') out.ref = event.ref;
  return out;
}

/** The API client for this environment; `onRetry` hears of each retry before its wait (the CLI prints it). */
export function connect(env: GitHubEnvironment, onRetry?: (event: RetryEvent) => void): GitHubApi {
  return new OctokitGitHub({ token: env.token, repository: env.repository, apiUrl: env.apiUrl, ...(onRetry && { onRetry }) });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
