import { isAscii } from 'node:buffer';

/**
 * Reads PostgreSQL's COPY text format: one row per line, columns separated
 * by tabs, `\N` for NULL, and backslash escapes for a backslash and the
 * control characters (COPY TO writes no octal or hex escapes). A cursor
 * rather than arrays of rows: at 100,000 users the arrays cost more than
 * the strings in them.
 *
 *   const rows = new CopyText(text);
 *   while (rows.next()) { const email = rows.text(); const name = rows.field(); ... }
 */
export class CopyText {
  private at = 0;
  private lineEnd = -1;
  /** The field's place in its row, and the last value read at each place by runText. */
  private column = 0;
  private readonly last: string[] = [];
  /** Without any backslash but those of `\N`, no field needs unescaping: the common case, found with one search. */
  private readonly escaped: boolean;

  constructor(private readonly copy: string) {
    this.escaped = /\\[^N]/.test(copy);
  }

  /** Moves to the next row; false after the last. */
  next(): boolean {
    if (this.lineEnd >= 0) this.at = this.lineEnd + 1;
    if (this.at >= this.copy.length) return false;
    const end = this.copy.indexOf('\n', this.at);
    this.lineEnd = end < 0 ? this.copy.length : end;
    this.column = 0;
    return true;
  }

  /** The row's next field, null for NULL. */
  field(): string | null {
    const { copy, at, lineEnd } = this;
    const tab = copy.indexOf('\t', at);
    const end = tab < 0 || tab > lineEnd ? lineEnd : tab;
    this.at = end + 1;
    this.column++;
    if (end - at === 2 && copy.charCodeAt(at) === 0x5c && copy.charCodeAt(at + 1) === 0x4e) return null;
    const value = copy.slice(at, end);
    return this.escaped && value.includes('\\') ? unescapeField(value) : value;
  }

  /** The row's next field, of a NOT NULL column. */
  text(): string {
    return this.field()!;
  }

  /**
   * The next field of a NOT NULL column whose equal values come one after
   * another (the first column of the order): the string of the row before
   * when it is the same, so a run of rows (a workspace's members, a grant's
   * entries) makes one string, and looking it up or using it as a key is
   * as cheap as it gets.
   */
  runText(): string {
    const { copy, at, column } = this;
    const before = this.last[column];
    // A value with a backslash of its own is not compared with raw text, where a backslash starts an escape.
    if (
      before !== undefined &&
      copy.startsWith(before, at) &&
      (at + before.length === this.lineEnd || copy.charCodeAt(at + before.length) === 0x09) &&
      !before.includes('\\')
    ) {
      this.at = at + before.length + 1;
      this.column++;
      return before;
    }
    return (this.last[column] = this.text());
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescapeField(field: string): string {
  return field.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
}

/** COPY's output as text: most is ASCII, which needs no UTF-8 decoding. */
export function decodeCopy(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}
