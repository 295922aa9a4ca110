import { DOCUMENT_LINE, FAST_MAX_DEPTH, ItemStarts, resolvePlainScalar, Unusual, type FastFragment, type TopLevelEntry } from './fast-parse.ts';

/**
 * The first parse tier: the YAML that declarations are written in, read
 * line by line, about four times faster than js-yaml. It knows block maps
 * and lists (a map may start on a list item's line), one-line flow maps and
 * lists, one-line quoted scalars without escapes, plain scalars, comments
 * and blank lines, and nothing else: anything it does not know (an empty
 * value, a scalar or a flow collection over several lines, a backslash, an
 * indicator, a duplicate key...) makes it return undefined, and the file goes
 * to the js-yaml path (fast-parse.ts), then to the precise path if need be.
 *
 * What it returns must be exactly what fastParse returns for the same text,
 * value and entity positions alike: test/declaration/common-parse.test.ts
 * checks that on the generated fragments, and the fast-path test checks both
 * against the precise path.
 */
export function commonParse(file: string, text: string): FastFragment | undefined {
  if (UNREAD_CHARACTERS.test(text) || (text.includes('\r') && LONE_CR.test(text))) return undefined;
  try {
    return new LineParser(file, text).document();
  } catch (e) {
    if (e instanceof Unusual) return undefined;
    throw e;
  }
}

/**
 * In one pass over the text: what js-yaml refuses as unprintable, the odd
 * breaks and spaces fastParse leaves alone (tabs, NEL, LS, PS, a BOM), and
 * any surrogate (an emoji is fine, but rare enough to leave to js-yaml).
 */
// eslint-disable-next-line no-control-regex
const UNREAD_CHARACTERS = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
/** A carriage return that does not end a line (CRLF files are read). */
const LONE_CR = /\r(?!\n)/;
/** Places per map for remembered keys (blockKey); later keys share the last. */
const KEY_SLOTS = 16;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const QUESTION = 0x3f;
const SINGLE = 0x27;
const DOUBLE = 0x22;
const COMMA = 0x2c;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
/** Character classes, looked up by code (ASCII only; anything else is an ordinary character). */
const INDICATOR = 1;
const FLOW_STOP = 2;
const CLASSES = new Uint8Array(128);
// Characters a plain scalar may not start with here: YAML's indicators (a `-`, `?` or `:` only before a space).
for (const c of ',[]{}#&*!|>\'"%@`') CLASSES[c.charCodeAt(0)]! |= INDICATOR;
// Characters that end a plain scalar inside a flow collection, or make it one this parser leaves alone.
for (const c of ',[]{}:#') CLASSES[c.charCodeAt(0)]! |= FLOW_STOP;
const is = (c: number, kind: number) => c < 128 && (CLASSES[c]! & kind) !== 0;
/** May not start a plain scalar: an indicator, or `-`, `?`, `:` before a space (or, in a flow collection, before a flow indicator). */
const badStart = (first: number, second: number, inFlow: boolean) =>
  is(first, INDICATOR) ||
  ((first === DASH || first === QUESTION || first === COLON) && (second === SPACE || Number.isNaN(second) || (inFlow && is(second, FLOW_STOP))));

const bail = (): never => {
  throw new Unusual();
};

class LineParser {
  /** The current content line: its start, where its content starts and ends (before any CR), and its number (0-based). */
  private lineStart = 0;
  private content = 0;
  private end = 0;
  private line = -1;
  private next = 0;
  private eof = false;
  private depth = 0;

  /** The next `#` and `:` at or after the last search's start (text.length for none). */
  private readonly found = { '#': -1, ':': -1 };
  /**
   * Plain keys seen before, by depth and place in their map: the users of a
   * file mostly spell the same keys in the same order, and a key recognised
   * in the text is neither scanned nor sliced again.
   */
  private readonly keys: (string | undefined)[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  private nextOf(char: '#' | ':', from: number): number {
    if (this.found[char] < from) {
      const at = this.text.indexOf(char, from);
      this.found[char] = at < 0 ? this.text.length : at;
    }
    return this.found[char];
  }

  document(): FastFragment | undefined {
    this.advance();
    // An empty file, or a root that is not a map: fastParse gives no fragment either.
    if (this.eof || this.startsItem(this.content)) return undefined;
    const entries: TopLevelEntry[] = [];
    const value = this.mapping(this.indent, this.content, entries);
    if (!this.eof) bail();
    return { file: this.file, text: this.text, value, entries };
  }

  private get indent(): number {
    return this.content - this.lineStart;
  }

  /** Moves to the next line with content, skipping blank and comment lines. */
  private advance(): void {
    const { text } = this;
    let pos = this.next;
    for (;;) {
      if (pos >= text.length) {
        this.eof = true;
        return;
      }
      this.line++;
      const newline = text.indexOf('\n', pos);
      const lineEnd = newline < 0 ? text.length : newline;
      let content = pos;
      while (text.charCodeAt(content) === SPACE) content++;
      if (content < lineEnd && text.charCodeAt(content) !== HASH && !(content === lineEnd - 1 && text.charCodeAt(content) === 0x0d)) {
        // Directives and document markers: several documents, or one with a header, are left alone.
        if (content === pos && DOCUMENT_LINE.test(text.slice(pos, pos + 3))) bail();
        this.lineStart = pos;
        this.content = content;
        this.end = text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
        this.next = lineEnd + 1;
        return;
      }
      pos = lineEnd + 1;
    }
  }

  /** `- ` at `at`: a list item. A lone `-` (its item on the lines below) is left to js-yaml. */
  private startsItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    if (at + 1 >= this.end) return bail();
    return this.text.charCodeAt(at + 1) === SPACE;
  }

  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** After a value on the current line: nothing, or a comment; then the next content line, which may not be deeper. */
  private finishLine(after: number, indent: number): void {
    const at = this.skipSpaces(after);
    if (at < this.end && (this.text.charCodeAt(at) !== HASH || at === after)) bail();
    this.advance();
    if (!this.eof && this.indent > indent) bail();
  }

  private enter(): void {
    if (++this.depth > FAST_MAX_DEPTH) bail();
  }

  /** A block map whose first key is at `first` (on the current line), its keys at column `indent`. */
  private mapping(indent: number, first: number, entries?: TopLevelEntry[]): Record<string, unknown> {
    this.enter();
    const map: Record<string, unknown> = {};
    let at = first;
    for (let k = 0; ; k++) {
      if (!this.blockKey(at, this.depth * KEY_SLOTS + Math.min(k, KEY_SLOTS - 1))) bail();
      const { keyName: name, keyColon: colon } = this;
      if (name === '__proto__' || Object.hasOwn(map, name)) bail();
      // The root's keys are names of sections; one that reads as another type is left to the other paths, as fastParse does.
      if (entries && !this.keyIsString) bail();
      const entry: TopLevelEntry | undefined = entries && { key: name, keyAt: { line: this.line + 1, col: at - this.lineStart + 1, offset: at } };
      const valueAt = this.skipSpaces(colon + 1);
      if (valueAt >= this.end || this.text.charCodeAt(valueAt) === HASH) {
        // The value is on the lines below: a deeper block, or a list at the key's own column.
        this.advance();
        if (this.eof || this.indent < indent) bail();
        if (this.indent > indent) map[name] = this.block(entry);
        else if (this.startsItem(this.content)) map[name] = this.sequence(indent, entry);
        else bail();
      } else {
        const [value, after] = this.inline(valueAt, entry);
        map[name] = value;
        this.finishLine(after, indent);
      }
      if (entry) entries!.push(entry);
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent || this.startsItem(this.content)) bail();
      at = this.content;
    }
    this.depth--;
    return map;
  }

  /** A block node starting on the current line, at its indentation. */
  private block(entry: TopLevelEntry | undefined): unknown {
    const indent = this.indent;
    if (this.startsItem(this.content)) return this.sequence(indent, entry);
    return this.mapping(indent, this.content);
  }

  /** A block list whose dashes are at column `indent`; each item a scalar, a flow collection or a map begun on its line. */
  private sequence(indent: number, entry: TopLevelEntry | undefined): unknown[] {
    this.enter();
    const list: unknown[] = [];
    const items = entry && new ItemStarts();
    for (;;) {
      const at = this.skipSpaces(this.content + 2);
      if (at >= this.end || this.text.charCodeAt(at) === HASH || this.startsItem(at)) bail();
      items?.add(this.line + 1, at - this.lineStart + 1, at);
      if (this.blockKey(at, (this.depth + 1) * KEY_SLOTS)) list.push(this.mapping(at - this.lineStart, at));
      else {
        const [value, after] = this.inline(at);
        list.push(value);
        this.finishLine(after, indent);
      }
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) bail();
      if (!this.startsItem(this.content)) break; // the parent map's next key, at the list's column
    }
    if (entry) entry.items = items!.done();
    this.depth--;
    return list;
  }

  /**
   * Whether the line has the key of a block map entry at `at`: a quoted or
   * plain scalar followed by `:` and a space or the line's end. The key, where
   * its `:` is, and whether it is a string are left in keyName, keyColon and keyIsString.
   */
  private blockKey(at: number, slot: number): boolean {
    const { text, end } = this;
    const first = text.charCodeAt(at);
    if (first === SINGLE || first === DOUBLE) {
      const [name, after] = this.quoted(at);
      if (text.charCodeAt(after) !== COLON) return false;
      if (after + 1 < end && text.charCodeAt(after + 1) !== SPACE) bail();
      return this.foundKey(name, after, true);
    }
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return false;
    const known = this.keys[slot];
    if (known !== undefined && text.startsWith(known, at)) {
      // The same checks as below hold for a key seen before, and its text is already a string.
      const colon = at + known.length;
      if (text.charCodeAt(colon) === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE)) return this.foundKey(known, colon, true);
    }
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
        if (badStart(first, text.charCodeAt(at + 1), false)) bail();
        if (text.charCodeAt(i - 1) === SPACE || i === at) bail();
        const written = text.slice(at, i);
        const plain = resolvePlainScalar(written);
        if (plain === written) this.keys[slot] = written;
        return this.foundKey(String(plain), i, typeof plain === 'string');
      }
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) return false;
    }
    return false;
  }

  private keyName = '';
  private keyColon = 0;
  private keyIsString = true;
  private foundKey(name: string, colon: number, isString: boolean): true {
    this.keyName = name;
    this.keyColon = colon;
    this.keyIsString = isString;
    return true;
  }

  /** A value on one line: a flow collection, a quoted scalar or a plain scalar. Returns it and where it ends. */
  private inline(at: number, entry?: TopLevelEntry): [unknown, number] {
    const { text, end } = this;
    const first = text.charCodeAt(at);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at, entry);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at);
    if (badStart(first, at + 1 === end ? NaN : text.charCodeAt(at + 1), false)) bail();
    // Most values have neither `#` nor `:`: found with two searches that only ever move forward.
    if (this.nextOf('#', at) >= end && this.nextOf(':', at) >= end) {
      let last = end;
      while (text.charCodeAt(last - 1) === SPACE) last--;
      return [resolvePlainScalar(text.slice(at, last)), last];
    }
    let last = at;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      // `a: b` as a value is a map where one may not start.
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) bail();
      last = i + 1;
    }
    return [resolvePlainScalar(text.slice(at, last)), last];
  }

  /** A quoted scalar that closes on its line; double-quoted ones without escapes. */
  private quoted(at: number): [string, number] {
    const { text, end } = this;
    const quote = text.charCodeAt(at);
    if (quote === DOUBLE) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= end) bail();
      const value = text.slice(at + 1, close);
      if (value.includes('\\')) bail();
      return [value, close + 1];
    }
    let value = '';
    let from = at + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= end) bail();
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) !== SINGLE) return [value, close + 1];
      value += "'";
      from = close + 2;
    }
  }

  /** A flow list or map that closes on its line. A list that is a root key's value records where its items start. */
  private flow(at: number, entry?: TopLevelEntry): [unknown, number] {
    const { text } = this;
    this.enter();
    const isList = text.charCodeAt(at) === OPEN_SQUARE;
    const close = isList ? CLOSE_SQUARE : CLOSE_CURLY;
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    const items = isList && entry ? new ItemStarts() : undefined;
    let p = this.skipSpaces(at + 1);
    if (text.charCodeAt(p) !== close) {
      for (;;) {
        if (p >= this.end) bail();
        if (isList) {
          items?.add(this.line + 1, p - this.lineStart + 1, p);
          const [value, after] = this.flowItem(p);
          list.push(value);
          p = after;
        } else {
          const [name, colon] = this.flowKey(p);
          if (name === '__proto__' || Object.hasOwn(map, name)) bail();
          const [value, after] = this.flowItem(this.skipSpaces(colon + 1));
          map[name] = value;
          p = after;
        }
        p = this.skipSpaces(p);
        const c = text.charCodeAt(p);
        if (c === close) break;
        if (c !== COMMA || p >= this.end) bail();
        p = this.skipSpaces(p + 1);
        if (text.charCodeAt(p) === close) bail(); // a trailing comma
      }
    }
    if (entry && items) entry.items = items.done();
    this.depth--;
    return [isList ? list : map, p + 1];
  }

  private flowItem(at: number): [unknown, number] {
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === OPEN_SQUARE || first === OPEN_CURLY) return this.flow(at);
    if (first === SINGLE || first === DOUBLE) return this.quoted(at);
    const stop = this.flowPlainEnd(at);
    return [resolvePlainScalar(text.slice(at, stop)), stop];
  }

  /** A flow map's key and the position of its `:`, which must be followed by a space. */
  private flowKey(at: number): [string, number] {
    const { text } = this;
    const first = text.charCodeAt(at);
    let name: string;
    let colon: number;
    if (first === SINGLE || first === DOUBLE) [name, colon] = this.quoted(at);
    else if (first === OPEN_SQUARE || first === OPEN_CURLY) return bail();
    else {
      colon = this.flowPlainEnd(at);
      name = String(resolvePlainScalar(text.slice(at, colon)));
    }
    if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) bail();
    return [name, colon];
  }

  /** Where a plain scalar inside a flow collection ends: before `,`, `]`, `}` or `:`; any other stop, or none, is left alone. */
  private flowPlainEnd(at: number): number {
    const { text, end } = this;
    if (badStart(text.charCodeAt(at), text.charCodeAt(at + 1), true)) bail();
    let last = at;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) !== SPACE) {
        last = i + 1;
        continue;
      }
      if (is(c, FLOW_STOP)) {
        if (c === HASH || c === OPEN_SQUARE || c === OPEN_CURLY || last === at) bail();
        return last;
      }
      if (c !== SPACE) last = i + 1;
    }
    return bail();
  }
}
