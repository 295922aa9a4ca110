import type { GitHubLimits, RetryEvent } from '../../http/github.ts';
import type { GithubMapping } from './mapping.ts';

export interface GithubConfig {
  /** ROSTER_GITHUB_ORG */
  org: string;
  /** GITHUB_TOKEN; never printed. */
  token: string;
  /** ROSTER_GITHUB_API_URL: GitHub Enterprise Server, or a test server. */
  apiUrl?: string;
  mapping: GithubMapping;
  limits?: Partial<GitHubLimits>;
  lockDir?: string;
  /** Each retry as it is about to wait; the CLI prints it on stderr. */
  onRetry?: (event: RetryEvent) => void;
}
