import jsYaml from 'js-yaml';
import { Schema as YamlSchema, isScalar, type ScalarTag } from 'yaml';
import { FORBIDDEN_KEYS, MAX_DEPTH } from './parse.ts';
import type { RosterFragment } from '../model/schema.generated.ts';

/**
 * The fast parse path: js-yaml, about thirteen times faster than the
 * `yaml` package's document model (0.96 s against 12.6 s for 100,000 users),
 * for the plain YAML that declarations are made of. It must give exactly what the precise path (parse.ts) gives, so it
 * only answers for files it fully understands: anything unusual (anchors,
 * aliases, tags, directives, multi-line scalars, complex keys, tabs, deep
 * nesting, any syntax error) returns undefined, as does (after the schema
 * check, readsAsPrecise) a key or a number the two paths would read
 * differently; the caller then uses the precise path for that file, which
 * reports what there is to report.
 *
 * Locations are not built for every node. The listener records where each
 * top-level key and each item of a top-level list starts (every entity's
 * `at`), and the offset each starts at, so that the location of a field
 * inside one entity can later be found by giving just that entity's lines
 * to the precise parser (locator.ts).
 */

/** Plain scalars resolve exactly as in the `yaml` package's YAML 1.2 core schema: its own tag definitions, reused. */
const CORE_TAGS = new YamlSchema({ schema: 'core' }).tags.filter(
  (t): t is ScalarTag & { test: RegExp } => !('collection' in t && t.collection) && t.default === true && 'test' in t && t.test instanceof RegExp,
);
const RESOLVE_OPTIONS = { intAsBigInt: false } as Parameters<ScalarTag['resolve']>[2];

/** Thrown where a parse meets something it leaves to a slower path. */
export class Unusual extends Error {}

/** Characters a plain scalar must start with to be anything but a string in the core schema (null, bool, int, float). */
const MAYBE_NOT_STRING = /^(?:$|[~nNtTfF0-9+\-.])/;

/**
 * One implicit type standing for all of the core schema's: js-yaml asks it
 * about every plain scalar, and most are ruled out by their first character
 * instead of by eight regular expressions. The tag found is the first whose
 * test matches, in the core schema's order, exactly as the `yaml` package
 * picks it. A space makes the tag name impossible to write in a YAML file
 * (`!<…>` rejects it), so only implicit resolution reaches it.
 */
const FAST_TAG = 'roster core scalar';
let matched: (typeof CORE_TAGS)[number] | undefined;

const construct = (tag: (typeof CORE_TAGS)[number], data: string): unknown => {
  const resolved = tag.resolve(
    data,
    () => {
      throw new Unusual();
    },
    RESOLVE_OPTIONS,
  );
  return isScalar(resolved) ? resolved.value : resolved;
};

/** A plain scalar's value under the core schema, as the `yaml` package reads it; may throw Unusual. */
export function resolvePlainScalar(data: string): unknown {
  // MAYBE_NOT_STRING by character code: this runs for every plain scalar of the first tier.
  const c = data.charCodeAt(0);
  if (c >= 0x61 /* a */ && c !== 0x6e /* n */ && c !== 0x74 /* t */ && c !== 0x66 /* f */ && c !== 0x7e /* ~ */) return data;
  if (!MAYBE_NOT_STRING.test(data)) return data;
  const tag = CORE_TAGS.find((t) => t.test.test(data));
  return tag === undefined ? data : construct(tag, data);
}
const FAST_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type(FAST_TAG, {
      kind: 'scalar',
      resolve: (data: unknown) => {
        matched = typeof data === 'string' && MAYBE_NOT_STRING.test(data) ? CORE_TAGS.find((tag) => tag.test.test(data)) : undefined;
        return matched !== undefined;
      },
      construct: (data: string) => construct(matched!, data),
    }),
  ],
});

/**
 * Cheap text checks for what the listener cannot see, each a place where the
 * two parsers were found to differ: tabs, odd line breaks and a byte order
 * mark inside the text, a lone CR, directives and document markers,
 * explicit keys (`? `), flow collections as keys (`[a]: b`), and a comment
 * glued to a quoted scalar or a collection (`'a'#b`). Written as searches
 * for rare characters: one regular expression with all the alternatives
 * costs a tenth of the parse on 30 MB.
 */
const ODD_CHARACTERS = /[\t\u0085\u2028\u2029\ufeff]/;
export const DOCUMENT_LINE = /^(?:%|---|\.\.\.)/m;
/** White space as a regular expression's \s sees it, or the end of the text. */
const isSpace = (c: number) => Number.isNaN(c) || /\s/.test(String.fromCharCode(c));

function unusualText(text: string): boolean {
  if (ODD_CHARACTERS.test(text) || DOCUMENT_LINE.test(text)) return true;
  const every = (char: string, test: (at: number) => boolean) => {
    for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) if (test(at)) return true;
    return false;
  };
  return (
    every('\r', (at) => text.charCodeAt(at + 1) !== 0x0a) ||
    every('?', (at) => (at === 0 || isSpace(text.charCodeAt(at - 1)) || '[{,'.includes(text[at - 1]!)) && isSpace(text.charCodeAt(at + 1))) ||
    every('#', (at) => at > 0 && ']}\'"'.includes(text[at - 1]!)) ||
    [']', '}'].some((close) =>
      every(close, (at) => {
        let next = at + 1;
        while (text.charCodeAt(next) === 0x20) next++;
        return text.charCodeAt(next) === 0x3a && isSpace(text.charCodeAt(next + 1));
      }),
    )
  );
}

const nonStringKey = (key: string) => CORE_TAGS.some((t) => t.test.test(key));
/** Below the precise path's depth limit, so anything near it is left to the precise path (the line parser uses it too). */
export const FAST_MAX_DEPTH = MAX_DEPTH - 4;

/** `]` and `}`: a collection that closes on one of them is a flow collection. */
const FLOW_END = new Set([0x5d, 0x7d]);

interface ListenerState {
  input: string;
  position: number;
  line: number;
  lineStart: number;
  kind: string | null;
  result: unknown;
  tag: string | null;
  anchor: string | null;
}

/** Where a top-level key and its value sit; list values also have where each item starts. */
export interface TopLevelEntry {
  key: string;
  keyAt: { line: number; col: number; offset: number };
  /** Items of a list value: line and column of each (1-based), and the offset of each item's start. */
  items?: { lines: Int32Array; cols: Int32Array; offsets: Int32Array };
}

/** Where the items of a list start (line and column 1-based, and offset), gathered as both fast paths meet them. */
export class ItemStarts {
  private readonly lines: number[] = [];
  private readonly cols: number[] = [];
  private readonly offsets: number[] = [];

  add(line: number, col: number, offset: number): void {
    this.lines.push(line);
    this.cols.push(col);
    this.offsets.push(offset);
  }

  done(): NonNullable<TopLevelEntry['items']> {
    return { lines: Int32Array.from(this.lines), cols: Int32Array.from(this.cols), offsets: Int32Array.from(this.offsets) };
  }
}

export interface FastFragment {
  file: string;
  text: string;
  value: unknown;
  entries: TopLevelEntry[];
}

/** Parses with the fast path, or returns undefined when the file needs the precise path. */
export function fastParse(file: string, text: string): FastFragment | undefined {
  if (unusualText(text)) return undefined;
  const entries: TopLevelEntry[] = [];
  // The line each open node opened on. Depth 1 is the document's root, 2 its keys and values, 3 their children.
  const openLines: number[] = [];
  let depth = 0;
  let opened = { line: 0, col: 0, offset: 0 };
  let children = new ItemStarts();
  let key: TopLevelEntry | undefined;
  const listener = (event: 'open' | 'close', state: ListenerState) => {
    if (event === 'open') {
      openLines[depth++] = state.line;
      if (depth === 2) opened = { line: state.line + 1, col: state.position - state.lineStart + 1, offset: state.position };
      else if (depth === 3) {
        children.add(state.line + 1, state.position - state.lineStart + 1, state.position);
      }
      return;
    }
    depth--;
    if (state.anchor !== null || (state.tag !== null && state.tag !== '?' && state.tag !== FAST_TAG)) throw new Unusual();
    if (state.kind === null) throw new Unusual(); // an empty node or an alias
    // A scalar or a flow collection over several lines (or below its key): where the parsers' rules on indentation differ.
    if (state.line !== openLines[depth] && (state.kind === 'scalar' || FLOW_END.has(state.input.charCodeAt(state.position - 1)))) throw new Unusual();
    if (depth !== 1) return;
    // A key or a value of the root mapping closed; they alternate (checked against the result below).
    if (!key) {
      if (typeof state.result !== 'string') throw new Unusual();
      key = { key: state.result, keyAt: opened };
    } else {
      if (state.kind === 'sequence') key.items = children.done();
      entries.push(key);
      key = undefined;
    }
    children = new ItemStarts();
  };
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: FAST_SCHEMA, listener: listener as never, maxDepth: FAST_MAX_DEPTH } as jsYaml.LoadOptions);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (!matches(entries, value as Record<string, unknown>)) return undefined;
  return { file, text, value, entries };
}

/** The recorded keys and list items are exactly the value's: nothing was skipped or miscounted. */
function matches(entries: TopLevelEntry[], value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  if (keys.length !== entries.length) return false;
  return entries.every((e, i) => {
    const v = value[e.key];
    return keys[i] === e.key && (Array.isArray(v) ? e.items?.offsets.length === v.length : e.items === undefined);
  });
}

/**
 * What the JSON Schema does not rule out, checked on a fragment that passed
 * it: every object in the schema forbids unknown keys (so a forbidden,
 * secret-looking or non-string key anywhere else is already a schema error,
 * reported by the precise path), except the two maps keyed by names, whose
 * keys must still read as the same strings on both paths; and integers
 * without an upper bound must be exact. test/declaration/fast-path.test.ts
 * checks that the schema still has this shape.
 */
export function readsAsPrecise(fragment: RosterFragment): boolean {
  const nameKeysOk = (map: Record<string, unknown> | undefined) => {
    for (const key in map) if (FORBIDDEN_KEYS.has(key) || nonStringKey(key)) return false;
    return true;
  };
  for (const u of fragment.users ?? []) if (!nameKeysOk(u.workspaces)) return false;
  for (const r of fragment.roles ?? []) if (!nameKeysOk(r.permissions)) return false;
  const s = fragment.settings;
  return [s?.guards?.minAdmins, s?.guards?.privilegedCreditAmount, s?.approvals?.privileged?.minApprovals].every(
    (n) => n === undefined || Number.isSafeInteger(n),
  );
}

/** The name maps and the unbounded integers readsAsPrecise knows about, for the test that keeps it honest. */
export const FAST_PATH_ASSUMES = {
  nameMaps: ['User.workspaces', 'Role.permissions'],
  unboundedIntegers: ['Guards.minAdmins', 'Guards.privilegedCreditAmount', 'Approvals.privileged.minApprovals'],
};
