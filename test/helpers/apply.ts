import { applyPlan } from '../../src/apply/index.ts';
import type { ApplyResult } from '../../src/model/apply.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import { NO_OVERRIDES, plan } from '../../src/plan/index.ts';
import type { PlanOptions } from '../../src/model/plan.ts';
import type { Provider } from '../../src/model/live.ts';
import { NOW } from './declare.ts';
import { tempTree } from './tree.ts';

export const ALLOW_ALL: PlanOptions = { allowDelete: true, allowMassRemoval: true, allowOwnerChange: true };

/** Plans the declaration against the provider and applies it, as `roster apply --yes` does. */
export async function converge(provider: Provider, d: Declaration, options: PlanOptions = NO_OVERRIDES, now = NOW): Promise<ApplyResult> {
  return applyPlan(provider, {
    replan: (live) => plan(d, live, now, options),
    actor: { name: 'test' },
    commit: null,
    lockTimeoutMs: 0,
    auditLog: `${tempTree()}/audit.jsonl`,
  });
}
