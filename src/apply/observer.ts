/**
 * The points of an apply's write-ahead protocol, as they pass: each step
 * written, each batch of intents journaled, each batch of events recorded.
 * The crash tests stop the process at one of them
 * (test/helpers/failpoint-entry.mjs); progress by step could follow them
 * too (the progress lines use ApplyOptions.progress, told per transaction).
 * A plain object of callbacks, each optional, each called synchronously
 * right where the thing it names has just happened; counts are running
 * totals for this apply, starting at 1.
 */
export interface ApplyObserver {
  /** A step was written to the live system: inside its transaction where there is one; for HTTP providers answered, not yet recorded. */
  stepWritten?(count: number): void;
  /** HTTP providers: this many intents are on disk, and their requests not yet sent. */
  intentsJournaled?(count: number): void;
  /** HTTP providers: this many events are in the trail, and their intents not yet cleared. */
  eventsRecorded?(count: number): void;
}
