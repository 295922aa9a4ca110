import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, so equal data always gives equal text (and
 * hashes). The audit chain hashes this text: its output must never change.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A role's permissions as a set: resources in sorted order, each with its
 * actions sorted and without repeats. Stores hand them back in their own
 * order (jsonb: shorter keys first), and the order never means anything.
 */
export function canonicalPermissions(p: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const resource of Object.keys(p).sort()) out[resource] = [...new Set(p[resource])].sort();
  return out;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Strings JSON writes as they are, between quotes (it escapes control characters, quotes, backslashes and lone surrogates). */
// eslint-disable-next-line no-control-regex
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const quote = (s: string) => (PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * Whether JSON.stringify writes this value exactly as canonicalJson does:
 * plain objects whose keys are already in sorted order, lists, strings,
 * numbers, booleans and null all the way down.
 */
function alreadyCanonical(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === undefined) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const item of v) if (item === undefined || !alreadyCanonical(item)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  for (const key in v) {
    if (previous !== undefined && previous >= key) return false;
    previous = key;
    if (!alreadyCanonical((v as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * sha256 of canonicalJson(value), streamed into the hash. Items of lists
 * already in canonical form (objects built with their keys in order) are
 * written by the native JSON.stringify; the rest key by key. A 100,000-user live state
 * digests in a fraction of canonicalJson's time.
 */
export function digest(value: unknown): string {
  const hash = createHash('sha256');
  let text = '';
  // Lists are always written item by item, so no piece of text grows to the size of the whole state.
  const write = (v: unknown): void => {
    if (typeof v === 'string') text += quote(v);
    else if (typeof v === 'number') text += Number.isFinite(v) ? String(v) : 'null';
    else if (typeof v === 'boolean') text += v ? 'true' : 'false';
    else if (v === null || typeof v !== 'object') text += 'null';
    else {
      if (Array.isArray(v)) {
        text += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) text += ',';
          const item: unknown = v[i];
          if (item !== null && typeof item === 'object' && !Array.isArray(item) && alreadyCanonical(item)) text += JSON.stringify(item);
          else write(item);
        }
        text += ']';
      } else {
        const keys = Object.keys(v).sort();
        text += '{';
        let first = true;
        for (const key of keys) {
          const member = (v as Record<string, unknown>)[key];
          if (member === undefined) continue;
          text += first ? `${quote(key)}:` : `,${quote(key)}:`;
          first = false;
          write(member);
        }
        text += '}';
      }
    }
    // Only between whole values: a piece never ends inside a string (or a surrogate pair).
    if (text.length >= 1 << 16) {
      hash.update(text);
      text = '';
    }
  };
  write(value);
  hash.update(text);
  return `sha256:${hash.digest('hex')}`;
}
