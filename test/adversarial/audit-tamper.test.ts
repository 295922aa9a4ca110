import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.ts';
import type { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { converge } from '../helpers/apply.ts';
import { BASE, declare } from '../helpers/declare.ts';
import { describeEach } from '../helpers/each.ts';
import { engines } from '../helpers/store.ts';

describeEach(engines())('tampering with the audit table on $name', (engine) => {
  let provider: PostgresProvider;
  beforeEach(async () => {
    provider = await engine.open();
    await converge(provider, declare({ 'users/a.yaml': BASE }));
  });
  afterEach(async () => {
    await provider.close();
  });
  const verify = async () => verifyChain(await provider.auditStore.events());
  const sql = (text: string) => provider.client.exec(text);

  it('an intact table verifies', async () => {
    expect(await verify()).toEqual({ ok: true, count: 11 });
  });

  it('an edited row is found at its sequence number', async () => {
    await sql(`update audit_events set event = jsonb_set(event, '{actor,name}', '"mallory"') where seq = 6`);
    expect(await verify()).toMatchObject({ ok: false, firstBad: 6, reason: 'its content does not match its hash (edited)' });
  });

  it('an edited row whose hash was recomputed breaks the link from the next one', async () => {
    const events = await provider.auditStore.events();
    const { hashEvent } = await import('../../src/audit/chain.ts');
    const forged = { ...events[3]!, reason: 'forged' };
    const { hash: _old, ...rest } = forged;
    const rehashed = { ...forged, hash: hashEvent(rest) };
    await provider.client.query(`update audit_events set event = $1, hash = $2 where seq = 4`, [JSON.stringify(rehashed), rehashed.hash]);
    expect(await verify()).toMatchObject({ ok: false, firstBad: 5, reason: 'does not link to the event before it' });
  });

  it('a deleted row is found', async () => {
    await sql(`delete from audit_events where seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, firstBad: 3 });
  });

  it('an inserted row is found', async () => {
    const events = await provider.auditStore.events();
    await sql(`update audit_events set seq = seq + 100 where seq >= 5`);
    await provider.client.query(`insert into audit_events (seq, event, prev, hash) values (5, $1, $2, $3)`, [
      JSON.stringify({ ...events[4]!, reason: 'inserted', hash: 'sha256:x' }),
      events[3]!.hash,
      'sha256:x',
    ]);
    await sql(`update audit_events set seq = seq - 99, event = jsonb_set(event, '{seq}', to_jsonb(seq - 99)) where seq >= 105`);
    expect(await verify()).toMatchObject({ ok: false, firstBad: 5 });
  });

  it('two swapped rows are found at the first of them', async () => {
    await sql(`update audit_events set seq = -1 where seq = 7; update audit_events set seq = 7 where seq = 8; update audit_events set seq = 8 where seq = -1`);
    expect(await verify()).toMatchObject({ ok: false, firstBad: 7 });
  });
});
