import type { AuditDraft, AuditEvent } from './audit.ts';
import type { Plan, Step } from './plan.ts';

/** What became of one step of an apply. */
export interface StepOutcome {
  step: Step;
  result: 'applied' | 'failed' | 'skipped';
  error?: string;
}

/** What an earlier, interrupted apply left open and a later one settled before it started. */
export interface Recovery {
  /** Changes an interrupted apply made without recording them, now in the trail (marked `recovered`). */
  recorded: AuditEvent[];
  /** Changes it meant to make that never reached the live system: nothing to record, the plan makes them again if still declared. */
  notApplied: AuditDraft[];
}

/** What an apply did: apply/ computes it, render/ and the command line show it. */
export interface ApplyResult {
  plan: Plan;
  /** False when confirm() declined or there was nothing to do. */
  ran: boolean;
  outcomes: StepOutcome[];
  events: AuditEvent[];
  /** What an earlier, interrupted apply left open and this one settled before it started. */
  recovery: Recovery;
}
