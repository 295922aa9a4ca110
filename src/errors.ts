import type { Step } from './model/plan.ts';
import type { Problem } from './model/problems.ts';

/**
 * Exit codes, documented in the README. `plan --detailed-exitcode` adds 2 for
 * "changes present", as Terraform does.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  blocked: 3,
  stale: 4,
  locked: 5,
  partial: 6,
  unapproved: 7,
  unavailable: 8,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base of every error roster expects; anything else is a bug. */
export class RosterError extends Error {
  readonly exitCode: ExitCode = ExitCode.error;
}

/** The declaration (or a plan made from it) has problems; they are listed, not thrown one by one. */
export class InvalidInputError extends RosterError {
  constructor(readonly problems: Problem[]) {
    super(`${problems.filter((p) => p.severity === 'error').length} problem(s) in the declaration`);
  }
}

export class UsageError extends RosterError {}

export class ConfigError extends RosterError {}

export class LockedError extends RosterError {
  override readonly exitCode = ExitCode.locked;
}

/**
 * The live store, or a file roster writes (data dir, lock, trail), cannot be
 * used: disk full, read-only, permission denied, connection lost. The run
 * stops at once: steps applied before stay applied and audited, none after
 * is tried. The message names the path or server and the fix.
 */
export class StoreFaultError extends RosterError {
  override readonly exitCode = ExitCode.unavailable;
}

/**
 * The store is missing, or older than this roster, and the command only
 * reads (plan, audit, history): it never creates or migrates. The message
 * names the command that does (`roster migrate`, or `roster apply`).
 */
export class StoreNotReadyError extends RosterError {
  override readonly exitCode = ExitCode.unavailable;
}

/** Errors that end an apply at once rather than failing one step: the next step would meet the same lock or fault. */
export const endsTheRun = (e: unknown): boolean => e instanceof StoreFaultError || e instanceof LockedError;

const FILE_FAULTS: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'the disk is full', fix: 'free space on that disk (or point --data-dir / --audit-log at another one)' },
  EDQUOT: { what: 'the disk quota is exceeded', fix: 'free space within the quota (or point --data-dir / --audit-log at another disk)' },
  EROFS: { what: 'the file system is read-only', fix: 'mount it writable (or point --data-dir / --audit-log at a writable place)' },
  EACCES: { what: 'permission denied', fix: 'give the user running roster write access to it (or point --data-dir / --audit-log elsewhere)' },
  EPERM: { what: 'operation not permitted', fix: 'give the user running roster write access to it (or point --data-dir / --audit-log elsewhere)' },
};

/**
 * A file-system error (Node's errno errors) as a typed fault naming the path
 * and the fix; undefined for anything else. `path` names the place when the
 * error does not carry one.
 */
export function fileFault(e: unknown, path?: string): StoreFaultError | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const fault = code ? FILE_FAULTS[code] : undefined;
  if (!fault) return undefined;
  const where = (e as NodeJS.ErrnoException).path ?? path;
  return new StoreFaultError(`${where ? `cannot write ${where}` : 'cannot write a file roster needs'}: ${fault.what} (${code}); ${fault.fix}, then run again.`);
}

export class StalePlanError extends RosterError {
  override readonly exitCode = ExitCode.stale;
  constructor(readonly differences: string[]) {
    super(`the saved plan is stale: the live system or the declaration changed since it was made`);
  }
}

export class BlockedPlanError extends RosterError {
  override readonly exitCode = ExitCode.blocked;
}

/** Some steps failed; the rest were applied and audited. */
export class PartialApplyError extends RosterError {
  override readonly exitCode = ExitCode.partial;
}

/** The live system refused or failed an operation. */
export class ProviderError extends RosterError {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/**
 * A batch on a live system without transactions (HTTP) failed part-way:
 * `applied` were done and stay done; the others were not.
 */
export class PartialBatchError extends ProviderError {
  constructor(
    message: string,
    readonly applied: Step[],
  ) {
    super(message);
  }
}

/** How a GitHub call failed: GitHub answered with an error, or no answer came (refused, DNS, timed out, connection lost). */
export type GitHubFailure = 'http' | 'refused' | 'dns' | 'timeout' | 'network';

/**
 * A call to the GitHub API failed, from the pull-request commands or the
 * organization provider; the message names the operation and what happened,
 * never the token. `status` is 0 when no answer came.
 */
export class GitHubApiError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
    readonly failure: GitHubFailure = 'http',
    /** Attempts made; after more than one, an earlier attempt may have been done with its answer lost. */
    readonly attempts = 1,
  ) {
    super(message, status === 0 || status === 429 || status >= 500);
  }
}

/** Privileged steps lack the approving reviews settings.approvals requires; `missing` says which step needs what. */
export class ApprovalRequiredError extends RosterError {
  override readonly exitCode = ExitCode.unapproved;
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message);
  }
}

/** The audit trail file cannot be continued as it is (torn, or another store's); the message names the fix. */
export class TrailError extends RosterError {}
