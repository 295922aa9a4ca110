import type { OverrideGrants, OverrideFlag, PlanOptions } from '../model/plan.ts';
import type { OverrideRequest } from '../github/overrides.ts';
import type { RunObserver } from './observer.ts';

/** Each override option and the flag that grants it. */
export const OVERRIDE_OPTIONS: [keyof PlanOptions, OverrideFlag][] = [
  ['allowDelete', '--allow-delete'],
  ['allowMassRemoval', '--allow-mass-removal'],
  ['allowOwnerChange', '--allow-owner-change'],
];

/** The requests that do not count, told to the observer (said, never used). */
export function tellRefused(fromPullRequest: { pr: number | null; requests: OverrideRequest[] }, observer: RunObserver): void {
  for (const r of fromPullRequest.requests) if (!r.granted) observer.onOverrideRefused?.(fromPullRequest.pr!, r);
}

/** The run's own overrides and those a pull request's labels grant: either is enough. */
export function withGranted(own: PlanOptions, granted: Partial<PlanOptions> | undefined): PlanOptions {
  const options = { ...own };
  for (const [option] of OVERRIDE_OPTIONS) options[option] ||= granted?.[option] === true;
  return options;
}

/**
 * Who granted each override in force, for the audit events: the pull
 * request's labels, and the run's own (the command line) winning the record,
 * as they were given for this run.
 */
export function grantsOf(own: PlanOptions, pullRequest: OverrideGrants | undefined): OverrideGrants {
  const grants: OverrideGrants = { ...pullRequest };
  for (const [option, flag] of OVERRIDE_OPTIONS) if (own[option]) grants[flag] = { from: 'command-line' };
  return grants;
}

/** The override flags a saved plan was made with that this apply does not grant: said, never used. */
export function ungrantedSavedOverrides(saved: { options?: PlanOptions } | undefined, granted: PlanOptions): OverrideFlag[] {
  if (!saved?.options) return [];
  return OVERRIDE_OPTIONS.filter(([option]) => saved.options![option] === true && !granted[option]).map(([, flag]) => flag);
}
