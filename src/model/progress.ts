/** The stages of a run that a front end can show while they last. */
export type ProgressPhase = 'load' | 'read' | 'apply';

/**
 * Told as a run goes: a stage starts (with its size, when known), moves on,
 * ends. The layers below call it; only the command line shows it, so they
 * never print and never need a terminal to run.
 */
export interface ProgressObserver {
  start(phase: ProgressPhase, total?: number): void;
  /** How much of the current stage is done, and its size once known. */
  advance(done: number, total?: number): void;
  end(phase: ProgressPhase): void;
}
