import type { Step } from './plan/types.ts';
import type { Problem } from './problems.ts';

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

/** A call to the GitHub API failed; the message names the operation and never the token. */
export class GitHubApiError extends RosterError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
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
