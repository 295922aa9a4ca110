import { resolvePlainScalar } from '../declaration/fast-parse.ts';
import type { ExportedUser } from './model.ts';

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

/** Keys repeat in every entry (`id`, `amount`, `to`, ...): each is checked once, up to a bound on how many are kept. */
const KEYS = new Map<string, string>();
function keyText(k: string): string {
  let text = KEYS.get(k);
  if (text === undefined) {
    text = scalar(k, true);
    if (KEYS.size < 10_000) KEYS.set(k, text);
  }
  return text;
}

/** The lines of a block map at this indentation; the first line may take a prefix (`- `). */
export function mapLines(o: Record<string, unknown>, indent: string, out: string[], first = indent): void {
  let prefix = first;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const key = `${prefix}${keyText(k)}:`;
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

/**
 * scalar() of values that repeat across people (roles, departments, names,
 * workspace names and roles), remembered for one export: at 100,000 people
 * the checks behind scalar() were a tenth of the export's build.
 */
export function scalarMemo(): (value: string, flow: boolean) => string {
  const block = new Map<string, string>();
  const inFlow = new Map<string, string>();
  return (value, flow) => {
    const memo = flow ? inFlow : block;
    let text = memo.get(value);
    if (text === undefined) memo.set(value, (text = scalar(value, flow)));
    return text;
  };
}

const USER_KEYS = ['email', 'name', 'github', 'role', 'status', 'organization', 'department', 'expires', 'resendInvitation'] as const;
const [EMAIL, ...AFTER_EMAIL] = USER_KEYS.map((k) => `${scalar(k, true)}: `);
const LIST_KEYS = ['workspaces', 'projects', 'packages'] as const;
const [WORKSPACES, PROJECTS, PACKAGES] = LIST_KEYS.map((k) => `\n    ${scalar(k, true)}: `);

/**
 * One person of a `users:` list as one piece of text: the same bytes
 * listSection's lines give for an ExportedUser (its keys in the order
 * model.ts puts them, tested against it), without building the lines,
 * entries and flow pieces for each of 100,000 people.
 */
export function userText(u: ExportedUser, memo: (value: string, flow: boolean) => string): string {
  let t = `  - ${EMAIL!}${scalar(u.email)}`;
  for (let i = 0; i < AFTER_EMAIL.length; i++) {
    const v = u[USER_KEYS[i + 1]!];
    // Logins and invitation keys (and the emails) are unique: remembering them would cost more than it saves.
    if (v !== undefined) t += `\n    ${AFTER_EMAIL[i]!}${i === 1 || i === 7 ? scalar(v) : memo(v, false)}`;
  }
  if (u.workspaces !== undefined) {
    let w = '';
    for (const k in u.workspaces) w += `${w ? ', ' : ''}${memo(k, true)}: ${memo(u.workspaces[k]!, true)}`;
    t += `${WORKSPACES!}${w ? `{ ${w} }` : '{}'}`;
  }
  if (u.projects !== undefined) t += `${PROJECTS!}[${u.projects.map((x) => memo(x, true)).join(', ')}]`;
  if (u.packages !== undefined) t += `${PACKAGES!}[${u.packages.map((x) => memo(x, true)).join(', ')}]`;
  return t;
}

/** `users:` and its people, blank lines between them, as listSection writes them. */
export function usersSection(users: ExportedUser[], out: string[]): void {
  const memo = scalarMemo();
  out.push('users:');
  users.forEach((u, i) => {
    if (i > 0) out.push('');
    out.push(userText(u, memo));
  });
}

/** Comment text on one line: no line breaks or other control characters can end the comment early. */
// eslint-disable-next-line no-control-regex
export const commentText = (s: string) => s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
