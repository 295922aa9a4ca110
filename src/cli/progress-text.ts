import type { ProgressObserver, ProgressPhase } from '../model/progress.ts';
import type { Io } from './io.ts';

/** Each stage in words, and what it counts. */
export const PHASES: Record<ProgressPhase, { label: string; unit: string }> = {
  load: { label: 'loading the declaration', unit: 'files' },
  read: { label: 'reading the live system', unit: '' },
  apply: { label: 'applying', unit: 'steps' },
};

/** What a stage is at, in words: `applying: 20/100 steps (2s)`, `reading the live system (4s)`. */
export function progressText(phase: ProgressPhase, elapsedMs: number, done?: number, total?: number): string {
  const { label, unit } = PHASES[phase];
  const counted = done !== undefined && total !== undefined ? `: ${done}/${total} ${unit}` : '';
  return `${label}${counted} (${Math.round(elapsedMs / 1000)}s)`;
}

/** A run's progress: the observer handed to the layers below, and the io the command writes through. */
export interface RunProgress extends ProgressObserver {
  /** On a terminal, writes and questions go around the live line, so no output lands inside it. */
  io: Io;
  /** Clears the live line and stops its timers; call it however the run ends. */
  close(): void;
}
