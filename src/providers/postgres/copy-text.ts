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
    return true;
  }

  /** The row's next field, null for NULL. */
  field(): string | null {
    const { copy, at, lineEnd } = this;
    const tab = copy.indexOf('\t', at);
    const end = tab < 0 || tab > lineEnd ? lineEnd : tab;
    this.at = end + 1;
    if (end - at === 2 && copy.charCodeAt(at) === 0x5c && copy.charCodeAt(at + 1) === 0x4e) return null;
    const value = copy.slice(at, end);
    return this.escaped && value.includes('\\') ? unescapeField(value) : value;
  }

  /** The row's next field, of a NOT NULL column. */
  text(): string {
    return this.field()!;
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescapeField(field: string): string {
  return field.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
}
