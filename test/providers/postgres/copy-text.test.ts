import { describe, expect, it } from 'vitest';
import { CopyText } from '../../../src/providers/postgres/copy-text.ts';

/** Every row of a COPY text, each field read as `read` says. */
function rows(copy: string, read: ('field' | 'runText')[]): (string | null)[][] {
  const cursor = new CopyText(copy);
  const out: (string | null)[][] = [];
  while (cursor.next()) out.push(read.map((how) => cursor[how]()));
  return out;
}

describe('COPY text format', () => {
  it('reads NULLs, empty strings and every escape COPY TO writes', () => {
    expect(rows('a\t\\N\t\nb\\tc\t\\\\N\tx\\ny\\rz\\\\\n\\b\\f\\v\t\\\\\t\\N\n', ['field', 'field', 'field'])).toEqual([
      ['a', null, ''],
      ['b\tc', '\\N', 'x\ny\rz\\'],
      ['\b\f\v', '\\', null],
    ]);
  });

  it('reads text without escapes as it is', () => {
    expect(rows('ana@acme.test\tAna\nben@acme.test\t\\N\n', ['field', 'field'])).toEqual([
      ['ana@acme.test', 'Ana'],
      ['ben@acme.test', null],
    ]);
  });

  it('gives a run of equal values one string, and tells apart values that only look equal in raw text', () => {
    // `a\\b` is a, backslash, b; right after it, raw `a\b` (the same three characters) is a and a backspace.
    const copy = ['ws\ta', 'ws\tb', 'ws2\tc', 'a\\\\b\td', 'a\\b\te', 'a\\b\tf', 'w\tg'].join('\n') + '\n';
    const read = rows(copy, ['runText', 'field']);
    expect(read).toEqual([
      ['ws', 'a'],
      ['ws', 'b'],
      ['ws2', 'c'],
      ['a\\b', 'd'],
      ['a\b', 'e'],
      ['a\b', 'f'],
      ['w', 'g'],
    ]);
  });
});
