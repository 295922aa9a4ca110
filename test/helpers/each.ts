import { describe } from 'vitest';

/** A row of describeEach: its name, and why it cannot run here, if it cannot. */
export interface Row {
  name: string;
  skip?: string;
}

const skippedTitle = (title: string, why: string) => `${title} (skipped: ${why})`;

/**
 * describe.each, except that a row that cannot run here (a server that is not
 * configured) is reported as skipped, the reason in its name, rather than left
 * out: a run without the server shows fewer tests passed, not fewer tests.
 */
export function describeEach<T extends Row>(rows: readonly T[]): (title: string, body: (row: T) => void) => void {
  return (title, body) => {
    for (const row of rows) describeUnless(row.skip, title.replaceAll('$name', row.name), () => body(row));
  };
}

/** describe, or describe.skip with the reason in its name when `skip` says why. */
export function describeUnless(skip: string | undefined, title: string, body: () => void): void {
  if (skip) describe.skip(skippedTitle(title, skip), body);
  else describe(title, body);
}
