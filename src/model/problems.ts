/** A place in a declaration file. Lines and columns count from 1. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/**
 * One thing wrong (or worth a look) in the input. Never thrown: collected and
 * returned, so a run can report every problem at once.
 */
export interface Problem {
  severity: Severity;
  /** Stable identifier for machines, e.g. `schema.unknown-key`, `ref.role`. */
  code: string;
  message: string;
  at?: Location;
  /** Dotted path inside the fragment, e.g. `users[3].role`. */
  path?: string;
}

export function formatLocation(at: Location | undefined): string {
  return at ? `${at.file}:${at.line}:${at.col}` : '';
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.at?.file ?? '').localeCompare(b.at?.file ?? '') ||
      (a.at?.line ?? 0) - (b.at?.line ?? 0) ||
      (a.at?.col ?? 0) - (b.at?.col ?? 0) ||
      a.message.localeCompare(b.message),
  );
}
