import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { mapLines, scalar } from './emit.ts';

/**
 * Edits to a fragment's text at the places the `yaml` package's document
 * says a node is, so everything not edited (comments, blank lines, key
 * order, quoting, alignment) stays byte for byte: the document is never
 * written back through its stringifier.
 */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

export class TextEdits {
  private readonly splices: Splice[] = [];
  constructor(readonly text: string) {}

  add(start: number, end: number, text: string): void {
    this.splices.push({ start, end, text });
  }

  get changed(): boolean {
    return this.splices.length > 0;
  }

  /** The text with every splice made; insertions at the same place keep the order they were added in. */
  apply(): string {
    const ordered = this.splices.map((s, i) => ({ ...s, i })).sort((a, b) => b.start - a.start || b.i - a.i);
    let out = this.text;
    for (const s of ordered) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    return out;
  }

  lineStart(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  /** Just past the newline that ends the line `at` is on (or the end of the text). */
  lineEnd(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl === -1 ? this.text.length : nl + 1;
  }

  column(at: number): number {
    return at - this.lineStart(at);
  }
}

const range = (n: Node) => n.range!;
export const keyOf = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : '');
export const pairOf = (m: YAMLMap, key: string) => m.items.find((p) => keyOf(p) === key) as Pair<Node, Node> | undefined;

/** A value as one piece of YAML text: a scalar, or a flow list or map. */
export function flowText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x, true)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length
      ? `{ ${entries.map(([k, x]) => `${scalar(k, true)}: ${Array.isArray(x) || (x && typeof x === 'object') ? flowText(x) : scalar(x, true)}`).join(', ')} }`
      : '{}';
  }
  return scalar(v);
}

/** Where a key people write in a set place goes when added: after the last of these present (else at the end). */
const PLACE_AFTER: Record<string, string[]> = { status: ['github', 'role'], organization: ['role', 'status'], department: ['role', 'status', 'organization'] };

/** Sets one key of a map: the value replaced in place, or a line added where that key goes (a flow map is written again). */
export function setKey(e: TextEdits, m: YAMLMap, key: string, value: unknown): void {
  const pair = pairOf(m, key);
  if (m.flow) return rewriteFlowMap(e, m, { [key]: value });
  if (pair?.value) {
    const [start, end] = range(pair.value);
    const isBlockCollection = (isMap(pair.value) || isSeq(pair.value)) && !(pair.value as YAMLMap).flow;
    if (!isBlockCollection) return e.add(start, end, flowText(value));
    // A block collection becomes one flow line: the value moves onto the key's line.
    return e.add(range(pair.key as Node)[1], e.lineEnd(end - 1) - 1, `: ${flowText(value)}`);
  }
  insertKeys(e, m, { [key]: value });
}

/** Adds keys at the end of a block map, at its indentation. */
export function insertKeys(e: TextEdits, m: YAMLMap, fields: Record<string, unknown>): void {
  if (m.flow) return rewriteFlowMap(e, m, fields);
  const first = m.items[0]?.key as Node | undefined;
  const keys = Object.keys(fields);
  const after =
    keys.length === 1
      ? PLACE_AFTER[keys[0]!]
          ?.map((k) => pairOf(m, k))
          .filter((p) => p !== undefined)
          .pop()
      : undefined;
  const last = after ?? m.items[m.items.length - 1];
  if (!first || !last) return;
  const indent = ' '.repeat(e.column(range(first)[0]));
  const out: string[] = [];
  mapLines(fields, indent, out);
  const lastEnd = range((last.value ?? last.key) as Node)[1];
  const at = e.lineEnd(Math.max(lastEnd - 1, 0));
  e.add(at, at, (at === e.text.length && !e.text.endsWith('\n') ? '\n' : '') + out.join('\n') + '\n');
}

/** Removes a key: its lines from a block map, or from a flow map written again. */
export function deleteKey(e: TextEdits, m: YAMLMap, key: string): void {
  const pair = pairOf(m, key);
  if (!pair) return;
  if (m.flow) return rewriteFlowMap(e, m, { [key]: undefined });
  const start = e.lineStart(range(pair.key as Node)[0]);
  // The first key of a list item shares its line with the dash: only the key goes, and the next key moves up.
  if (m.items[0] === pair) {
    const next = m.items[1];
    if (!next) return;
    return e.add(range(pair.key as Node)[0], range(next.key as Node)[0], '');
  }
  e.add(start, e.lineEnd(Math.max(range((pair.value ?? pair.key) as Node)[1] - 1, 0)), '');
}

/** A flow map written again with some keys changed (undefined: removed), its other keys in their order. */
function rewriteFlowMap(e: TextEdits, m: YAMLMap, changes: Record<string, unknown>): void {
  const o: Record<string, unknown> = {};
  for (const p of m.items) o[keyOf(p)] = (p.value as Node | null)?.toJSON();
  Object.assign(o, changes);
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  const [start, end] = range(m);
  e.add(start, end, flowText(o));
}

/** Appends entries to a block list (`users:`), at its items' indentation, a blank line before each when the list is spaced that way. */
export function appendItems(e: TextEdits, seq: YAMLSeq, entries: Record<string, unknown>[]): void {
  const items = seq.items as Node[];
  const last = items[items.length - 1]!;
  const col = Math.max(0, e.column(range(items[0]!)[0]) - 2);
  const endOf = (item: Node) => {
    const pairs = isMap(item) ? item.items : [];
    const lastPair = pairs[pairs.length - 1];
    return lastPair ? range((lastPair.value ?? lastPair.key) as Node)[1] : range(item)[1];
  };
  // A blank line between the first two items' text (not counted in the yaml package's ranges) means the list is spaced.
  const spaced = items.length > 1 && /\n[ \t]*\n/.test(e.text.slice(e.lineEnd(Math.max(endOf(items[0]!) - 1, 0)) - 1, range(items[1]!)[0]));
  const out: string[] = [];
  for (const entry of entries) {
    if (spaced) out.push('');
    mapLines(entry, ' '.repeat(col + 2), out, `${' '.repeat(col)}- `);
  }
  const at = e.lineEnd(Math.max(endOf(last) - 1, 0));
  e.add(at, at, (at === e.text.length && !e.text.endsWith('\n') ? '\n' : '') + out.join('\n') + '\n');
}
