import type { OverrideRequest } from '../github/overrides.ts';
import type { RetryEvent as HttpRetryEvent } from '../http/client.ts';
import type { RetryEvent as GitHubRetryEvent } from '../http/github.ts';
import type { OverrideFlag } from '../model/plan.ts';
import type { Problem } from '../model/problems.ts';
import type { ProgressObserver } from '../model/progress.ts';

/**
 * What a run tells its front end while it runs. The engine never prints:
 * the CLI writes these on stderr as they happen (and draws the progress),
 * the Pulumi provider passes none. Every callback is optional.
 */
export interface RunObserver {
  /** The declaration loaded with warnings only, before anything is read. */
  onWarnings?(problems: Problem[]): void;
  /** A SCIM request is about to be retried, before the wait. */
  onHttpRetry?(event: HttpRetryEvent): void;
  /** A GitHub request (the organization provider or the pull-request API) is about to be retried, before the wait. */
  onGitHubRetry?(event: GitHubRetryEvent): void;
  /** Told as the declaration loads, the live system is read and the steps are applied (model/progress.ts). */
  progress?: ProgressObserver;
  /** A pull request asks for an override by label that does not count. */
  onOverrideRefused?(pr: number, request: OverrideRequest): void;
  /** A saved plan was made with overrides this apply does not grant: said, never used. */
  onSavedOverridesIgnored?(flags: OverrideFlag[]): void;
}
