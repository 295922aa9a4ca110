import { DEFAULT_SETTINGS } from '../declaration/normalize.ts';
import type { Declaration, ResolvedSettings } from '../declaration/types.ts';
import type { LiveState } from '../providers/types.ts';
import { addStep, at, type PlanContext } from './context.ts';

type Guards = ResolvedSettings['guards'];
const KEYS = ['maxRemovalPercent', 'minAdmins', 'privilegedCreditAmount'] as const;

/** The guard settings recorded in the live system (defaults where none was recorded), or undefined where it records none. */
function recorded(live: LiveState): Guards | undefined {
  return live.guards && { ...DEFAULT_SETTINGS.guards, ...live.guards };
}

/**
 * The guard settings that judge a plan: the live side's, so a change cannot
 * relax the rules it is judged by (raising privilegedCreditAmount next to a
 * large grant). A declaration may tighten them at once; loosening takes
 * effect once applied. Where the live system records no settings (SCIM,
 * GitHub), the declaration's.
 */
export function guardsInForce(d: Declaration, live: LiveState): Guards {
  const base = recorded(live);
  const declared = d.settings.guards;
  if (!base) return declared;
  return {
    maxRemovalPercent: Math.min(base.maxRemovalPercent, declared.maxRemovalPercent),
    minAdmins: Math.max(base.minAdmins, declared.minAdmins),
    privilegedCreditAmount: Math.min(base.privilegedCreditAmount, declared.privilegedCreditAmount),
  };
}

/** A change to a setting that decides what is privileged or guarded is itself privileged, and recorded in the live system. */
export function planGuardSettings(ctx: PlanContext): void {
  const base = recorded(ctx.live);
  if (!base) return;
  const source = ctx.d.settingsAt ? at(ctx.d.settingsAt) : 'settings';
  for (const key of KEYS) {
    const want = ctx.d.settings.guards[key];
    if (want === base[key]) continue;
    const name = `guards.${key}`;
    addStep(ctx, 'settings.update', `settings:${name}`, { [name]: base[key] }, { [name]: want }, 'declared guard differs; the live value judges this plan', source, ['privileged']);
  }
}
