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
