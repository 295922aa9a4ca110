import { appendToTrail, fileAuditStore, lastTrailEvent } from '../audit/file.ts';
import { intentJournal } from '../audit/intents.ts';
import type { Actor, AuditDraft, AuditEvent } from '../model/audit.ts';
import { BlockedPlanError, endsTheRun, InvalidInputError, PartialBatchError, StalePlanError } from '../errors.ts';
import { isBlocked } from '../plan/index.ts';
import { byPhase } from '../plan/order.ts';
import type { ApplyResult, StepOutcome } from '../model/apply.ts';
import type { Plan, Step, OverrideGrants } from '../model/plan.ts';
import { hasErrors } from '../model/problems.ts';
import type { AuditStore, LiveState, Provider } from '../model/live.ts';
import type { ProgressObserver } from '../model/progress.ts';
import type { ApplyObserver } from './observer.ts';
import { overridesByStep } from './overrides.ts';
import { NOTHING_RECOVERED, recoverIntents } from './recover.ts';
import { planDifferences } from './stale.ts';

/** Steps per transaction: bounds what a failure rolls back and how long progress stays silent. */
const CHUNK = 500;

export interface ApplyOptions {
  /** Recomputes the plan from a fresh read, under the lock. */
  replan: (live: LiveState) => Plan;
  /** A saved plan: the apply refuses if the live state now gives another. */
  expected?: Plan;
  /**
   * Without a saved plan: shown the plan computed under the lock; returns
   * false to cancel (the person said no). Holding the lock while asking keeps
   * what they confirm exactly what runs.
   */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Last check before anything changes, on the plan made under the lock (the two-person rule); throws to refuse. */
  authorize?: (plan: Plan) => void | Promise<void>;
  actor: Actor;
  commit: string | null;
  /** The declaration had uncommitted changes: every event records `dirty: true`. */
  dirty?: boolean;
  /** Who granted each override flag in force (the command line unless said otherwise), for the events. */
  overrideGrants?: OverrideGrants;
  /** The --now the plan was made for, when it is not the clock: every event records it. */
  plannedFor?: string;
  lockTimeoutMs: number;
  auditLog: string;
  /** The store's id, recorded in every event so a trail file is never mistaken for another store's. */
  store?: string;
  /** Told when the live read starts and ends, then the steps done after each chunk. */
  progress?: ProgressObserver;
  /** Told of each step written, intent journaled and event recorded (the crash tests' kill points). */
  observer?: ApplyObserver;
}

/**
 * Lock, re-read, settle what an interrupted apply left open, refuse a
 * stale plan, then apply phase by phase. A phase is tried in transactions
 * of up to CHUNK steps; when one fails its steps are retried one by one so
 * independent steps still land, steps whose prerequisites failed are
 * skipped, and every failure is reported at the end. Where the live system
 * keeps no audit store, a chunk's events are written to an intents journal
 * before its requests go out (docs/write-ahead-audit.md).
 */
export async function applyPlan(provider: Provider, options: ApplyOptions): Promise<ApplyResult> {
  const release = await provider.lock(options.lockTimeoutMs);
  try {
    options.progress?.start('read');
    const live = await provider.read();
    options.progress?.end('read');
    // Providers without a store of their own: the trail file is the store, and each change is announced in a journal before it is sent.
    const ownStore = provider.auditStore;
    const store = ownStore ?? fileAuditStore(options.auditLog);
    const journal = ownStore ? undefined : intentJournal(options.auditLog, provider.describe().target);
    const recovery = journal ? await recoverIntents(journal, store, live) : NOTHING_RECOVERED;
    const fresh = options.replan(live);
    if (options.expected) {
      const differences = planDifferences(options.expected, fresh);
      if (differences.length) throw new StalePlanError(differences);
    }
    // Where this run's events will start in the trail file, for a provider that keeps them only there.
    const firstSeq = ownStore ? 0 : (lastTrailEvent(options.auditLog)?.seq ?? 0);
    const declined = options.confirm && !(await options.confirm(fresh));
    if (hasErrors(fresh.problems)) throw new InvalidInputError(fresh.problems);
    if (isBlocked(fresh))
      throw new BlockedPlanError(
        `the plan is blocked by ${fresh.blocks
          .filter((b) => !b.overridden)
          .map((b) => `${b.guard} (${b.flag})`)
          .join(', ')}`,
      );
    if (declined) return { plan: fresh, ran: false, outcomes: [], events: [], recovery };
    // Even with no step: a change to the rules themselves (approvals, guards on SCIM/GitHub) is privileged.
    await options.authorize?.(fresh);
    if (fresh.steps.length === 0) return { plan: fresh, ran: false, outcomes: [], events: [], recovery };

    const overrides = overridesByStep(fresh, options.overrideGrants ?? {});
    const draft = (step: Step): AuditDraft => ({
      at: new Date().toISOString(),
      step: step.kind,
      key: step.key,
      before: step.before,
      after: step.after,
      reason: step.reason,
      source: step.source,
      actor: options.actor,
      commit: options.commit,
      ...(options.dirty && { dirty: true as const }),
      ...(options.store !== undefined && { store: options.store }),
      result: 'applied',
      ...(overrides.has(step.key) && { overrides: overrides.get(step.key) }),
      ...(options.plannedFor !== undefined && { now: options.plannedFor }),
    });
    const observer = options.observer ?? {};
    const counts = { steps: 0, intents: 0, events: 0 };
    const tell = (count: keyof typeof counts, added: number, callback: 'stepWritten' | 'intentsJournaled' | 'eventsRecorded') => {
      counts[count] += added;
      observer[callback]?.(counts[count]);
    };
    const onStep = () => tell('steps', 1, 'stepWritten');

    /** The events a chunk's steps will get, fixed (and for HTTP providers journaled) before any of them is sent. */
    const announce = (steps: Step[]): Map<Step, AuditDraft> => {
      const drafts = new Map(steps.map((s) => [s, draft(s)]));
      if (journal && steps.length) {
        const afterSeq = lastTrailEvent(options.auditLog)?.seq ?? 0;
        const target = provider.describe().target;
        journal.record(steps.map((s) => ({ afterSeq, target, draft: drafts.get(s)! })));
        tell('intents', steps.length, 'intentsJournaled');
      }
      return drafts;
    };
    const record = async (drafts: AuditDraft[]) => {
      await store.append(drafts);
      tell('events', drafts.length, 'eventsRecorded');
    };

    const outcomes: StepOutcome[] = [];
    const failedKeys = new Set<string>();
    const total = fresh.steps.length;
    const report = () => options.progress?.advance(outcomes.length, total);
    options.progress?.start('apply', total);
    for (const phase of byPhase(fresh.steps)) {
      for (let i = 0; i < phase.length; i += CHUNK) {
        const chunk = phase.slice(i, i + CHUNK);
        // Blocked by what failed before this chunk; a step skipped here does not block its own chunk.
        const blocked = new Set(chunk.filter((s) => s.requires?.some((k) => failedKeys.has(k))));
        for (const s of blocked) skip(s);
        const ready = blocked.size ? chunk.filter((s) => !blocked.has(s)) : chunk;
        const drafts = announce(ready);
        const eventOf = (step: Step) => drafts.get(step)!;
        const appliedBatch = async (steps: Step[]) => {
          await provider.applyBatch(steps, eventOf, onStep);
          if (!ownStore) await record(steps.map(eventOf));
        };
        try {
          await appliedBatch(ready);
          for (const step of ready) outcomes.push({ step, result: 'applied' });
        } catch (e) {
          // A full disk, a lock held elsewhere, a lost connection: every later step would meet it too.
          if (endsTheRun(e)) throw e;
          // Without transactions part of the batch may have happened: those steps are applied, not retried.
          const done = e instanceof PartialBatchError ? e.applied : [];
          if (done.length) {
            if (!ownStore) await record(done.map(eventOf));
            for (const step of done) outcomes.push({ step, result: 'applied' });
          }
          for (const step of ready) {
            if (done.includes(step)) continue;
            if (step.requires?.some((k) => failedKeys.has(k))) {
              skip(step);
              continue;
            }
            try {
              await appliedBatch([step]);
              outcomes.push({ step, result: 'applied' });
            } catch (e) {
              if (endsTheRun(e)) throw e;
              const message = (e as Error).message;
              failedKeys.add(step.key);
              outcomes.push({ step, result: 'failed', error: message });
              await store.append([{ ...eventOf(step), result: 'failed', error: message }]);
            }
          }
        }
        // Every intent of the chunk is settled by its event, or was skipped and never sent.
        journal?.clear();
        report();
      }
    }
    options.progress?.end('apply');
    const events = ownStore ? await syncAuditLog(ownStore, options.auditLog) : await store.events(firstSeq);
    return { plan: fresh, ran: true, outcomes, events, recovery };

    function skip(step: Step) {
      failedKeys.add(step.key);
      outcomes.push({ step, result: 'skipped', error: `skipped: ${step.requires!.filter((k) => failedKeys.has(k)).join(', ')} failed` });
    }
  } finally {
    await release();
  }
}

/** Copies the store's events the JSON-lines trail does not hold yet; returns the ones written. */
export async function syncAuditLog(store: AuditStore, path: string): Promise<AuditEvent[]> {
  const last = lastTrailEvent(path)?.seq ?? 0;
  const events = await store.events(last);
  appendToTrail(path, events, last);
  return events;
}
