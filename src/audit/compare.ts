import type { AuditEvent } from '../model/audit.ts';

/** Where two copies of a trail part: the first sequence number that differs, and how. */
export interface Divergence {
  seq: number;
  reason: string;
}

/**
 * Compares the trail file with the store's audit table, event by event: the
 * file mirrors the store, so both must hold the same events up to the same
 * head. Each chain is verified on its own; equal hashes then mean equal events.
 */
export function compareTrails(file: AuditEvent[], store: AuditEvent[]): Divergence | null {
  const n = Math.min(file.length, store.length);
  for (let i = 0; i < n; i++) {
    const f = file[i]!;
    const s = store[i]!;
    if (f.seq !== s.seq || f.hash !== s.hash)
      return { seq: Math.min(f.seq, s.seq), reason: `the file's event ${f.seq} (${f.hash}) is not the store's event ${s.seq} (${s.hash})` };
  }
  const fileHead = file.at(-1)?.seq ?? 0;
  const storeHead = store.at(-1)?.seq ?? 0;
  if (file.length < store.length)
    return {
      seq: fileHead + 1,
      reason: `the file ends at event ${fileHead}, the store at event ${storeHead}: the file lacks ${store.length - file.length} event(s)`,
    };
  if (store.length < file.length)
    return {
      seq: storeHead + 1,
      reason: `the store ends at event ${storeHead} but the file holds events up to ${fileHead}: events were removed from the store`,
    };
  return null;
}
