import type { ApplyOptions } from './index.ts';

const POINTS = { 'kill-after-step': 'killAfterStep', 'kill-after-intent': 'killAfterIntent', 'kill-after-event': 'killAfterEvent' } as const;

/** The crash tests' failpoint, `kill-after-step:3` and the like, as apply options; anything else sets none. */
export function failpointOptions(spec: string | undefined): Pick<ApplyOptions, (typeof POINTS)[keyof typeof POINTS]> {
  const [point, count] = (spec ?? '').split(':');
  const option = POINTS[point as keyof typeof POINTS];
  const n = Number(count);
  return option && Number.isInteger(n) && n > 0 ? { [option]: n } : {};
}
