/** Printable ASCII without spaces. */
const SIMPLE_ASCII = /^[\x21-\x7e]*$/;

/**
 * Lower-case printable ASCII as a string of its own, or undefined for other
 * text. A value cut from a larger text (a file, a COPY output) is a view into
 * it (a V8 sliced string), and toLowerCase gives the same view back when
 * nothing changes; views are several times slower to compare and hash, and
 * an address is sorted, indexed and looked up all through the rules and the
 * plan (100,000 users: 0.1 s on the sort alone). Upper then lower case makes
 * new strings, with the same text for ASCII.
 */
export function standaloneLowerAscii(text: string): string | undefined {
  return SIMPLE_ASCII.test(text) ? text.toUpperCase().toLowerCase() : undefined;
}

/**
 * Characters that do not show as themselves: controls (C0, DEL, C1), format
 * characters (zero-width spaces and joiners, bidirectional marks, embeddings,
 * overrides and isolates, the soft hyphen, the BOM...), the other
 * default-ignorable ones (variation selectors, Hangul fillers...), line and
 * paragraph separators, private-use characters and lone surrogates. Two
 * strings that differ only in these look the same to a reviewer, and some
 * rewrite what a terminal or a browser shows around them.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/** Controls free text may not hold: C0 but newline and tab, DEL, C1; and lone surrogates, which no store can keep. */
// eslint-disable-next-line no-control-regex
const FREE_TEXT_FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|\p{Cs}/u;

/** Where the first invisible character of an identifier is, or -1. */
export function firstInvisible(text: string): number {
  return text.search(INVISIBLE);
}

/** Where the first control character (other than newline and tab) of free text is, or -1. */
export function firstForbiddenControl(text: string): number {
  return text.search(FREE_TEXT_FORBIDDEN);
}

/** The character at `index` (a code point) as `U+200B`. */
export function codePointLabel(text: string, index: number): string {
  return `U+${text.codePointAt(index)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text with every invisible character written out visibly: `\n`, `\t`,
 * `\r`, else `\u001b` (`\u{f0000}` beyond the first plane). The one
 * escaping rule of text output: declared and live data cannot move the
 * cursor, colour, erase or reorder what a person reads, or start a line.
 */
export function showInvisible(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE_ALL, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `showInvisible` for a message made of lines: its own line breaks stay, everything else invisible is written out. */
export function showInvisibleLines(text: string): string {
  return text.split('\n').map(showInvisible).join('\n');
}

/** Trim, Unicode NFC, lower case: two spellings of one address are one identity. Printable ASCII is already trimmed and in NFC. */
export function normalizeEmail(email: string): string {
  return standaloneLowerAscii(email) ?? email.trim().normalize('NFC').toLowerCase();
}

/** A declaration fragment's file name: YAML, either extension, any case. */
export const isFragmentName = (name: string) => /\.ya?ml$/i.test(name);
