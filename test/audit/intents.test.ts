import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chain } from '../../src/audit/chain.ts';
import { intentJournal, openIntents, unsettled, type Intent } from '../../src/audit/intents.ts';
import { fileAuditStore } from '../../src/audit/file.ts';
import type { AuditDraft, AuditEvent } from '../../src/model/audit.ts';
import { tempTree } from '../helpers/tree.ts';

const draft = (key: string, at = '2026-11-23T12:00:00.000Z'): AuditDraft => ({
  at,
  step: 'user.create',
  key,
  before: null,
  after: { email: key.slice(5) },
  reason: 'declared',
  source: 'users/a.yaml:1:1',
  actor: { name: 'test' },
  commit: null,
  result: 'applied',
});
const intent = (key: string, afterSeq = 0, at?: string): Intent => ({ afterSeq, target: 'https://scim.test', draft: draft(key, at) });

function events(...drafts: AuditDraft[]): AuditEvent[] {
  let head: AuditEvent | null = null;
  return drafts.map((d) => (head = chain(d, head)));
}

describe('the intents journal', () => {
  it('an event settles an intent when it was recorded from its draft after the intent, applied or failed', () => {
    const trail = events(
      draft('user:a@x.test'),
      { ...draft('user:b@x.test'), result: 'failed', error: '500' },
      draft('user:c@x.test', '2026-11-23T12:00:01.000Z'),
    );
    const open = unsettled([intent('user:a@x.test'), intent('user:b@x.test'), intent('user:c@x.test'), intent('user:d@x.test')], trail);
    // c's event has another time (another attempt), d has none.
    expect(open.map((i) => i.draft.key)).toEqual(['user:c@x.test', 'user:d@x.test']);
    // An event from before the intent was written settles nothing.
    expect(unsettled([intent('user:a@x.test', 1)], trail)).toHaveLength(1);
  });

  it('an event of another apply in the same millisecond settles nothing: another store, commit or actor', () => {
    const mine: Intent = { ...intent('user:a@x.test'), draft: { ...draft('user:a@x.test'), store: 'store-one', commit: 'c0ffee' } };
    const others = [
      { ...mine.draft, store: 'store-two' },
      { ...mine.draft, commit: 'beef' },
      { ...mine.draft, actor: { name: 'second' } },
    ];
    for (const other of others) expect(unsettled([mine], events(other)), JSON.stringify(other)).toEqual([mine]);
    expect(unsettled([mine], events(...others, { ...mine.draft }))).toEqual([]);
  });

  it('reads back what it recorded, ignores a line torn by a crash, and is gone once cleared', () => {
    const trailPath = `${tempTree()}/audit.jsonl`;
    const journal = intentJournal(trailPath, 'https://scim.test');
    journal.record([intent('user:a@x.test'), intent('user:b@x.test')]);
    appendFileSync(journal.path, '{"type":"intent","afterSeq":0,"dra');
    expect(journal.read().map((i) => i.draft.key)).toEqual(['user:a@x.test', 'user:b@x.test']);
    journal.clear();
    expect(journal.read()).toEqual([]);
  });

  it('audit verify sees every journal of the trail with what its events do not settle', async () => {
    const trailPath = `${tempTree()}/audit.jsonl`;
    intentJournal(trailPath, 'https://one.test').record(['user:a@x.test', 'user:b@x.test'].map((k) => ({ ...intent(k), target: 'https://one.test' })));
    intentJournal(trailPath, 'https://two.test').record([{ ...intent('user:c@x.test'), target: 'https://two.test' }]);
    await fileAuditStore(trailPath).append([draft('user:a@x.test')]);
    expect(
      openIntents(trailPath)
        .map((o) => [o.target, o.intents.map((i) => i.draft.key)])
        .sort(),
    ).toEqual([
      ['https://one.test', ['user:b@x.test']],
      ['https://two.test', ['user:c@x.test']],
    ]);
  });
});
