import { resolvePlainScalar } from '../declaration/fast-parse.ts';

/**
 * YAML text for exported entries, written the way the fragments in users/
 * are: block lists of block maps, short lists and workspace maps in flow
 * style, strings plain unless that would read as something else. Written
 * by hand rather than through the `yaml` package's stringify: the style is
 * fixed, and 100,000 users take a fraction of the time.
 */

const PLAIN = /^[\p{L}\p{N}_][\p{L}\p{M}\p{N} _.@/+'()&,!?%*=~;$-]*$/u;
const PLAIN_IN_FLOW = /^[\p{L}\p{N}_][\p{L}\p{M}\p{N} _.@/+'()&!?%*=~;$-]*$/u;

/** Whether a plain scalar reads back as this same string (not null, a boolean or a number). */
function readsAsString(s: string): boolean {
  try {
    return resolvePlainScalar(s) === s;
  } catch {
    return false;
  }
}

export function scalar(value: unknown, flow = false): string {
  if (typeof value !== 'string') return String(value);
  const plain = (flow ? PLAIN_IN_FLOW : PLAIN).test(value) && !value.endsWith(' ') && readsAsString(value);
  return plain ? value : JSON.stringify(value);
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
/** Lists of scalars and maps of scalars read best on one line: `[a, b]`, `{ analytics: admin }`. */
const isFlat = (v: unknown) => (Array.isArray(v) ? v.every(isScalar) : v !== null && typeof v === 'object' && Object.values(v).every(isScalar));

function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x, true)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length ? `{ ${entries.map(([k, x]) => `${scalar(k, true)}: ${scalar(x, true)}`).join(', ')} }` : '{}';
}

/** The lines of a block map at this indentation; the first line may take a prefix (`- `). */
export function mapLines(o: Record<string, unknown>, indent: string, out: string[], first = indent): void {
  let prefix = first;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const key = `${prefix}${scalar(k, true)}:`;
    prefix = indent;
    if (isScalar(v)) out.push(`${key} ${scalar(v)}`);
    else if (isFlat(v)) out.push(`${key} ${flow(v)}`);
    else if (Array.isArray(v)) {
      out.push(key);
      for (const item of v) mapLines(item as Record<string, unknown>, `${indent}    `, out, `${indent}  - `);
    } else {
      out.push(key);
      mapLines(v as Record<string, unknown>, `${indent}  `, out);
    }
  }
}

/** A top-level list (`users:`), its entries separated by blank lines when they run over a few lines. */
export function listSection(key: string, entries: Record<string, unknown>[], spaced: boolean, out: string[]): void {
  out.push(`${key}:`);
  entries.forEach((e, i) => {
    if (spaced && i > 0) out.push('');
    mapLines(e, '    ', out, '  - ');
  });
}

/** Comment text on one line: no line breaks or other control characters can end the comment early. */
// eslint-disable-next-line no-control-regex
export const commentText = (s: string) => s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
