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

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Rebuilds each object with its keys in sorted order (JavaScript still puts integer-like keys first, in numeric order). */
function sortedKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/**
 * A fingerprint of plain data: equal data, whatever the order its objects'
 * keys were set in, gives the same digest. Native JSON.stringify with sorted
 * keys is several times faster than canonicalJson on a 100,000-user state;
 * its text differs from canonicalJson only in where integer-like keys go,
 * so it is never used for the audit chain.
 */
export function digest(value: unknown): string {
  return sha256(JSON.stringify(value, sortedKeys) ?? 'null');
}
