import { createHmac } from 'node:crypto';
import { ProviderError } from '../../errors.ts';
import type { SqlClient } from './sql.ts';

/** The roster_secrets row holding the key of deleted people's pseudonyms. */
export const PSEUDONYM_KEY = 'pseudonym-key';
export const DELETED_PREFIX = 'deleted:';

/**
 * What a deleted person's address becomes in the ledger and in grant
 * targets: an HMAC-SHA-256 under the store's own secret (generated when the
 * store is first migrated, never printed), so the pseudonym cannot be
 * recomputed from a list of addresses, while balances still add up per
 * person. 128 bits of it are kept.
 */
export function pseudonym(key: string, email: string): string {
  return `${DELETED_PREFIX}${createHmac('sha256', Buffer.from(key, 'hex')).update(email).digest('hex').slice(0, 32)}`;
}

/**
 * The id a deleted person's signup grant takes: `signup:` and the same keyed
 * digest as their ledger rows, so the grant stays once in the ledger (its
 * primary key) and no longer names them.
 */
export function signupPseudonym(key: string, email: string): string {
  return `signup:${pseudonym(key, email).slice(DELETED_PREFIX.length)}`;
}

export async function pseudonymKey(sql: SqlClient): Promise<string> {
  const { rows } = await sql.query<{ value: string }>('select value from roster_secrets where name = $1', [PSEUDONYM_KEY]);
  if (!rows[0]) throw new ProviderError('the store has no pseudonym key: run roster migrate');
  return rows[0].value;
}
