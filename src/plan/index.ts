import type { Declaration } from '../model/declaration.ts';
import { sortProblems } from '../model/problems.ts';
import type { LiveState } from '../model/live.ts';
import { byEmail } from '../util/by-email.ts';
import { canonicalPermissions, digest } from '../util/canonical.ts';
import type { PlanContext } from './context.ts';
import { planCredits } from './credits.ts';
import { planEntities, planPolicies, planProjectOwners } from './entities.ts';
import { effectiveAccess, roleFlags } from './effective-access.ts';
import { checkGuards } from './guards.ts';
import { markRaisedPrivilege } from './privilege.ts';
import { guardsInForce, planGuardSettings } from './settings-in-force.ts';
import { stateAfter } from './state-after.ts';
import { compareSteps } from './order.ts';
import { actionOf, type JudgedBy, type Plan, type PlanOptions } from '../model/plan.ts';
import { planUsers } from './users.ts';

export const NO_OVERRIDES: PlanOptions = { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false };

/** Live objects roster must never read or touch (settings.exclude) are dropped before planning. */
export function withoutExcluded(live: LiveState, exclude: readonly string[]): LiveState {
  if (exclude.length === 0) return live;
  const out = new Set(exclude);
  return { ...live, users: live.users.filter((u) => !out.has(u.email)) };
}

/**
 * The plan: pure. Same declaration, live state, options and instant give
 * the same plan, with steps in a stable order.
 */
export function plan(d: Declaration, liveState: LiveState, now: Date, options: PlanOptions = NO_OVERRIDES, judgedBy: JudgedBy = {}): Plan {
  const live = withoutExcluded(liveState, d.settings.exclude);
  const declaredUsers = byEmail(d.users);
  const ctx: PlanContext = {
    d,
    live,
    today: now.toISOString().slice(0, 10),
    options,
    guards: guardsInForce(d, live, judgedBy.baseGuards),
    steps: [],
    problems: [],
    unmanaged: [],
    renamed: new Map(),
    liveUsers: byEmail(live.users),
    declaredUsers,
    undeclaredLive: live.users.filter((u) => !declaredUsers.has(u.email)),
    excludedLive: live === liveState ? [] : liveState.users.filter((u) => d.settings.exclude.includes(u.email)),
  };
  planEntities(ctx);
  planPolicies(ctx);
  planGuardSettings(ctx);
  planUsers(ctx);
  planProjectOwners(ctx);
  planCredits(ctx);
  // Privilege and guards judge the whole plan: effective access before it and after it.
  const after = stateAfter(live, ctx.steps);
  const before = effectiveAccess(live, roleFlags(live, d.roles));
  const change = { before, after: after === live ? before : effectiveAccess(after, roleFlags(after, d.roles)) };
  markRaisedPrivilege(ctx, change);
  const blocks = checkGuards(ctx, change);

  const keys = new Set(ctx.steps.map((s) => s.key));
  const steps = ctx.steps
    .map((s) => {
      const requires = s.requires?.filter((k) => keys.has(k) && k !== s.key);
      const { requires: _omit, ...rest } = s;
      return requires?.length ? { ...rest, requires } : rest;
    })
    .sort(compareSteps);
  const summary = { add: 0, change: 0, remove: 0 };
  for (const s of steps) summary[actionOf(s.kind)]++;
  const result = {
    formatVersion: 1,
    now: now.toISOString(),
    steps,
    blocks,
    problems: sortProblems(ctx.problems),
    unmanaged: ctx.unmanaged.sort(),
    summary,
    desiredDigest: d.digest,
  } as Plan;
  return withLiveFingerprint(result, live);
}

/**
 * The live fingerprint is a digest of the whole live state: about a third of
 * a second at 100,000 users, and only a saved plan or JSON output shows it.
 * It is an ordinary enumerable property (JSON, spreads and deep equality see
 * it) computed on first read; the state is let go once it has been.
 */
function withLiveFingerprint(result: Plan, live: LiveState): Plan {
  let state: LiveState | undefined = live;
  let fingerprint: string | undefined;
  return Object.defineProperty(result, 'liveFingerprint', {
    enumerable: true,
    get: () => {
      if (fingerprint === undefined) {
        fingerprint = digest(canonicalRoles(state!));
        state = undefined;
      }
      return fingerprint;
    },
  });
}

/** The same state whatever order the store gave permissions in (roles are few: copied; users are not). */
function canonicalRoles(live: LiveState): LiveState {
  return { ...live, roles: live.roles.map((r) => ({ ...r, permissions: canonicalPermissions(r.permissions) })) };
}

export function isBlocked(p: Plan): boolean {
  return p.blocks.some((b) => !b.overridden);
}
