import { plan } from '../../src/plan/index.ts';
import type { Step } from '../../src/model/plan.ts';
import type { Fields } from '../../src/model/json.ts';
import type { Provider } from '../../src/model/live.ts';

/**
 * Deliberately broken parts for the mutation check: each drops a user's
 * `department`, one when planning and one when writing. A property test
 * that cannot tell them from the real ones proves nothing.
 */

const USER_STEPS = new Set(['user.create', 'user.adopt', 'user.update']);

const withoutDepartment = (fields: Fields | null): Fields | null => {
  if (fields === null || !('department' in fields)) return fields;
  const { department: _dropped, ...rest } = fields;
  return rest;
};
// Broken on purpose: a user.create without `department` is not a step of its kind, hence the cast.
const dropDepartment = (s: Step): Step =>
  USER_STEPS.has(s.kind) ? ({ ...s, before: withoutDepartment(s.before), after: withoutDepartment(s.after) } as Step) : s;

/** The real planner, but user steps never carry `department`. */
export const plannerDroppingDepartment: typeof plan = (...args) => {
  const p = plan(...args);
  return { ...p, steps: p.steps.map(dropDepartment) };
};

/** The real provider, but it never writes a user's `department`. */
export function writerDroppingDepartment(provider: Provider): Provider {
  return {
    describe: () => provider.describe(),
    read: () => provider.read(),
    applyBatch: (steps, draft, onStep) => provider.applyBatch(steps.map(dropDepartment), draft, onStep),
    lock: (timeoutMs) => provider.lock(timeoutMs),
    ...(provider.auditStore && { auditStore: provider.auditStore }),
    close: () => provider.close(),
  };
}
