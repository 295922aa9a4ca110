/**
 * What an apply tells whoever watches it: the command line's progress
 * lines, and the crash tests, which stop the process at one of these points
 * (test/helpers/failpoint-entry.mjs). Every callback is optional and is called
 * synchronously, right where the thing it names has just happened; counts
 * are running totals for this apply, starting at 1.
 */
export interface ApplyObserver {
  /** A step was written to the live system: inside its transaction where there is one; for HTTP providers answered, not yet recorded. */
  stepWritten?(count: number): void;
  /** HTTP providers: this many intents are on disk, and their requests not yet sent. */
  intentsJournaled?(count: number): void;
  /** HTTP providers: this many events are in the trail, and their intents not yet cleared. */
  eventsRecorded?(count: number): void;
  /** A transaction's worth of steps is settled: `done` of the plan's `total` steps have an outcome. */
  progress?(done: number, total: number): void;
}
