import fc from 'fast-check';
import { applyPlan } from '../../src/apply/index.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import { plan } from '../../src/plan/index.ts';
import type { PostgresProvider } from '../../src/providers/postgres/index.ts';
import type { Provider } from '../../src/model/live.ts';
import { ALLOW_ALL } from './apply.ts';
import { drift, EXCLUDED, fragments, rawDeclaration, sanitize, type Model } from './convergence-model.ts';
import { applyDrift, differences, expectedAfter, snapshot } from './convergence-oracle.ts';
import { NOW, load, messages } from './declare.ts';
import { tempTree } from './tree.ts';

export type Planner = typeof plan;

export interface PropertyParts {
  /** The store, reached with plain SQL for drift and for the oracle; emptied before each case. */
  store: PostgresProvider;
  /** The planner under test (a mutant in the mutation check). */
  planner?: Planner;
  /** The provider roster applies through (a wrapper that writes wrongly, in the mutation check). */
  provider?: Provider;
}

/** The error the oracle throws: the mutation check tells it apart from every other failure. */
export class OracleMismatch extends Error {}

/** Emptied before each case in dependency order (row deletes cost a tenth of a truncate on PGlite). */
const TABLES = [
  'audit_events',
  'credit_ledger',
  'credit_grants',
  'package_assignments',
  'project_members',
  'workspace_members',
  'invitations',
  'projects',
  'packages',
  'workspaces',
  'users',
  'roles',
  'organizations',
  'platform_settings',
];
const today = NOW.toISOString().slice(0, 10);

/**
 * The convergence property: for a sequence of random declarations, with
 * random drift made in the store between them, each apply leaves the store
 * exactly as the oracle says the declaration demands, and planning again
 * then finds nothing to do.
 */
export function convergenceProperty({ store, planner = plan, provider = store }: PropertyParts) {
  const apply = async (d: Declaration) => {
    const result = await applyPlan(provider, {
      replan: (live) => planner(d, live, NOW, ALLOW_ALL),
      actor: { name: 'property' },
      commit: null,
      lockTimeoutMs: 0,
      auditLog: `${tempTree()}/audit.jsonl`,
    });
    const failed = result.outcomes.filter((o) => o.result !== 'applied');
    if (failed.length) throw new Error(`apply failed: ${JSON.stringify(failed)}`);
  };

  return fc.asyncProperty(fc.array(rawDeclaration, { minLength: 2, maxLength: 3 }), fc.array(drift, { minLength: 2, maxLength: 2 }), async (raws, drifts) => {
    await store.client.exec(TABLES.map((t) => `delete from ${t};`).join('\n'));
    let previous: Model | undefined;
    for (const [i, raw] of raws.entries()) {
      // A turn of the event loop: the store's promises never leave the microtask queue, and a worker that never
      // reaches the poll phase misses vitest's replies ("Timeout calling onTaskUpdate") on a long run.
      await new Promise((resolve) => setImmediate(resolve));
      if (i > 0) {
        await store.client.query(
          `insert into users (email, role, status, organization, managed) values ($1, 'member', 'active', 'acme', false) on conflict do nothing`,
          [EXCLUDED],
        );
        await applyDrift(store.client, drifts[i - 1]!);
      }
      const before = await snapshot(store.client);
      const model = sanitize(raw, before, `d${i}`, previous, today);
      const loaded = load(fragments(model));
      if (!loaded.declaration) throw new Error(`the generator made an invalid declaration:\n${messages(loaded).join('\n')}`);
      await apply(loaded.declaration);

      const wrong = differences(await snapshot(store.client), expectedAfter(model, before, today));
      if (wrong.length) throw new OracleMismatch(`oracle: after declaration ${i} the store differs from what it declares:\n${wrong.join('\n')}`);
      const again = planner(loaded.declaration, await store.read(), NOW, ALLOW_ALL);
      if (again.steps.length)
        throw new Error(
          `apply then plan is not empty after declaration ${i}:\n${again.steps.map((s) => `${s.kind} ${s.key} ${JSON.stringify(s.before)} -> ${JSON.stringify(s.after)}`).join('\n')}`,
        );
      previous = model;
    }
  });
}

/** Cases per run: a CI-sized default, more with ROSTER_PROPERTY_RUNS (the scheduled long run). */
export const PROPERTY_RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 25);
