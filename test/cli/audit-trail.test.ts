import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashEvent } from '../../src/audit/chain.ts';
import type { AuditEvent } from '../../src/model/audit.ts';
import { runCli } from '../helpers/cli.ts';
import { BASE } from '../helpers/declare.ts';
import { gitRepo } from '../helpers/git.ts';
import { describeEach } from '../helpers/each.ts';
import { sharedStores, type SharedStore } from '../helpers/store.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const alice = { name: 'Alice Admin', email: 'alice@acme.test' };
const CAROL = 'users:\n  - email: carol@acme.test\n    role: member\n';
const SLOW = 600_000;

/** Events 1..n as the test reads them itself from the trail file, one JSON object per line. */
const linesOf = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
const eventsOf = (path: string) => linesOf(path).map((l) => JSON.parse(l) as AuditEvent);

/**
 * What an attacker with write access to the store does: edits one event and
 * recomputes every hash from there on, so that each chain verifies alone.
 */
function forge(events: AuditEvent[], seq: number, reason: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const e of events) {
    const previous = out.at(-1);
    const edited = { ...e, ...(e.seq === seq && { reason }), ...(previous && { prev: previous.hash }) };
    const { hash: _old, ...rest } = edited;
    out.push(e.seq < seq ? e : { ...edited, hash: hashEvent(rest) });
  }
  return out;
}

async function rewriteStore(store: SharedStore, events: AuditEvent[]): Promise<void> {
  const provider = await store.open();
  try {
    await provider.client.transaction(async (tx) => {
      for (const e of events)
        await tx.query('update audit_events set event = $1, prev = $2, hash = $3 where seq = $4', [JSON.stringify(e), e.prev, e.hash, e.seq]);
    });
  } finally {
    await provider.close();
  }
}

describeEach(sharedStores('trail'))('the trail as evidence on $name', ({ make }) => {
  it(
    'a store rewritten with recomputed hashes is found against the head anchored in a git note, even when the file is rewritten too',
    async () => {
      const repo = gitRepo();
      const applied = repo.commit(alice, '2026-11-20T09:00:00Z', 'Declare the team', { 'users/base.yaml': BASE });
      const store = make(repo.dir);
      const run = (...args: string[]) => runCli([...args, ...NOW], repo.dir, store.env);

      const apply = await run('apply', '--yes');
      expect(apply.code).toBe(0);
      const trail = join(repo.dir, '.roster/audit.jsonl');
      const honest = eventsOf(trail);
      expect(honest).toHaveLength(11);
      const head = honest.at(-1)!;
      expect(apply.stdout).toContain(`Audit head (event 11, ${head.hash}) anchored in refs/notes/roster on commit ${applied.slice(0, 7)}.`);
      const note = repo.git(['notes', '--ref=roster', 'show', applied]);
      expect(JSON.parse(note.replace(/^roster-audit-head /, ''))).toMatchObject({ store: head.store, seq: 11, hash: head.hash });

      const ok = await run('audit', 'verify', '--store');
      expect(ok.stdout).toBe(
        [
          '.roster/audit.jsonl: OK, 11 event(s), hash chain intact',
          'the postgres audit store: OK, 11 event(s), hash chain intact',
          '.roster/audit.jsonl and the store: OK, the same 11 event(s), the same head',
          `.roster/audit.jsonl against the anchors in refs/notes/roster: OK, 1 published head(s) match (newest: event 11, commit ${applied.slice(0, 7)})`,
          `the store against the anchors in refs/notes/roster: OK, 1 published head(s) match (newest: event 11, commit ${applied.slice(0, 7)})`,
          '',
        ].join('\n'),
      );
      expect(ok.code).toBe(0);

      // The store alone rewritten: the file and the store part at the edited event.
      const forged = forge(honest, 5, 'approved by nobody');
      await rewriteStore(store, forged);
      const storeOnly = await run('audit', 'verify', '--store');
      expect(storeOnly.code).toBe(1);
      expect(storeOnly.stdout).toContain('the postgres audit store: OK, 11 event(s), hash chain intact\n');
      expect(storeOnly.stdout).toContain(
        `.roster/audit.jsonl and the store: DIFFER from event 5: the file's event 5 (${honest[4]!.hash}) is not the store's event 5 (${forged[4]!.hash})\n`,
      );
      expect(storeOnly.stdout).toContain(
        `the store against the anchors in refs/notes/roster: TAMPERED at event 11: event 11 is not the one published as the head (commit ${applied.slice(0, 7)}, `,
      );

      // An apply on top of the rewritten store refuses to continue the chain.
      writeTree(repo.dir, { 'users/carol.yaml': CAROL });
      const refused = await run('apply', '--yes');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        "Error: the audit trail .roster/audit.jsonl does not match the store (its event 11 is not the store's event 11): one of them was changed. Nothing was applied; run `roster audit verify --store` to see which\n",
      );

      // In CI the file is a fresh copy of the store: the published anchor still stops the apply.
      rmSync(trail);
      const stopped = await run('apply', '--yes');
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(
        new RegExp(
          `^Error: the store's audit trail contradicts the head published in refs/notes/roster on commit ${applied.slice(0, 7)} \\(event 11, [^)]+\\): it was rewritten or cut since\\. Nothing was applied; run \`roster audit verify --store\`\n$`,
        ),
      );
      expect(existsSync(trail)).toBe(false);

      // File and store rewritten alike: they agree, and each chain holds, but the anchor does not.
      writeFileSync(trail, forged.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const both = await run('audit', 'verify', '--store');
      expect(both.code).toBe(1);
      expect(both.stdout).toContain('.roster/audit.jsonl and the store: OK, the same 11 event(s), the same head\n');
      expect(both.stdout).toContain(
        `.roster/audit.jsonl against the anchors in refs/notes/roster: TAMPERED at event 11: event 11 is not the one published as the head (commit ${applied.slice(0, 7)}, `,
      );
      expect(both.stdout).toContain(`the store against the anchors in refs/notes/roster: TAMPERED at event 11:`);
      // The file alone, as an auditor holding only the CI artifact checks it.
      const fileOnly = await run('audit', 'verify');
      expect(fileOnly.code).toBe(1);
      expect(fileOnly.stdout).toMatch(
        /^\.roster\/audit\.jsonl: OK, 11 event\(s\), hash chain intact\n\.roster\/audit\.jsonl against the anchors in refs\/notes\/roster: TAMPERED at event 11: /,
      );
    },
    SLOW,
  );

  it(
    'a store whose id was rewritten (events re-hashed under the new id) does not escape the anchors of its target',
    async () => {
      const repo = gitRepo();
      const applied = repo.commit(alice, '2026-11-20T09:00:00Z', 'Declare the team', { 'users/base.yaml': BASE });
      const store = make(repo.dir);
      const run = (...args: string[]) => runCli([...args, ...NOW], repo.dir, store.env);
      expect((await run('apply', '--yes')).code).toBe(0);
      const note = JSON.parse(repo.git(['notes', '--ref=roster', 'show', applied]).replace(/^roster-audit-head /, '')) as { store: string; target: string };
      expect(note.target).toMatch(/^sha256:[0-9a-f]{64}$/);
      // The digest names where the store lives, never how it is reached.
      for (const secret of Object.values(store.env)) expect(JSON.stringify(note)).not.toContain(secret);

      // The attacker gives the store a new id and re-chains every event under it; the CI trail file is a fresh copy of the store.
      const trail = join(repo.dir, '.roster/audit.jsonl');
      const swapped: AuditEvent[] = [];
      for (const e of eventsOf(trail)) {
        const { hash: _old, ...rest } = { ...e, store: 'forged-store-id', prev: swapped.at(-1)?.hash ?? e.prev };
        swapped.push({ ...rest, hash: hashEvent(rest) });
      }
      await rewriteStore(store, swapped);
      const provider = await store.open();
      try {
        await provider.client.query(`update roster_meta set value = 'forged-store-id' where key = 'store_id'`);
      } finally {
        await provider.close();
      }
      writeFileSync(trail, swapped.map((e) => JSON.stringify(e)).join('\n') + '\n');

      const mismatch = `1 head(s) were published in refs/notes/roster for this target under store id ${note.store} (newest: event 11, commit ${applied.slice(0, 7)}), none under this store's id forged-store-id: the store's id was rewritten, or this is not the store those heads were published for`;
      const verified = await run('audit', 'verify', '--store');
      expect(verified.stdout).toContain('.roster/audit.jsonl and the store: OK, the same 11 event(s), the same head\n');
      expect(verified.stdout).toContain(`the store against the anchors in refs/notes/roster: MISMATCH: ${mismatch}\n`);
      expect(verified.code).toBe(1);
      // Nor can the next apply publish heads under the new id and so make the old ones irrelevant.
      writeTree(repo.dir, { 'users/carol.yaml': CAROL });
      const refused = await run('apply', '--yes');
      expect(refused.stderr).toBe(
        `Error: ${mismatch}. Nothing was applied; run \`roster audit verify --store\` (docs/audit-trail.md, "Anchors name their target")\n`,
      );
      expect(refused.code).toBe(1);
    },
    SLOW,
  );

  it(
    'a missing trail fails, and so does a file shorter than the store',
    async () => {
      const cwd = tempTree({ 'users/base.yaml': BASE });
      const store = make(cwd);
      const run = (...args: string[]) => runCli([...args, ...NOW], cwd, store.env);
      const missing = await run('audit', 'verify', 'no-such.jsonl');
      expect(missing).toMatchObject({ code: 1, stdout: 'no-such.jsonl: TAMPERED at event 1: no such file: there is no trail to verify\n' });

      expect((await run('apply', '--yes')).code).toBe(0);
      const trail = join(cwd, '.roster/audit.jsonl');
      writeFileSync(trail, linesOf(trail).slice(0, 6).join('\n') + '\n');
      const short = await run('audit', 'verify', '--store');
      expect(short.code).toBe(1);
      expect(short.stdout).toBe(
        [
          '.roster/audit.jsonl: OK, 6 event(s), hash chain intact',
          'the postgres audit store: OK, 11 event(s), hash chain intact',
          '.roster/audit.jsonl and the store: DIFFER from event 7: the file ends at event 6, the store at event 11: the file lacks 5 event(s)',
          '',
        ].join('\n'),
      );
    },
    SLOW,
  );

  it(
    'a torn last line stops the apply with the fix named; audit repair cuts it and records that it did',
    async () => {
      const cwd = tempTree({ 'users/base.yaml': BASE });
      const store = make(cwd);
      const run = (...args: string[]) => runCli([...args, ...NOW], cwd, store.env);
      expect((await run('apply', '--yes')).code).toBe(0);
      const trail = join(cwd, '.roster/audit.jsonl');
      const whole = readFileSync(trail);
      truncateSync(trail, whole.length - 100); // a crash mid-write
      const cut = whole.subarray(whole.lastIndexOf(0x0a, whole.length - 2) + 1, whole.length - 100);

      writeTree(cwd, { 'users/carol.yaml': CAROL });
      const refused = await run('apply', '--yes');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `Error: the audit trail .roster/audit.jsonl cannot be continued: the last line is torn (${cut.length} byte(s) without a newline: a write stopped half-way); roster audit repair cuts it and records that it did. Run \`roster audit repair\`, then apply again\n`,
      );
      expect((await run('plan', '--detailed-exitcode')).code).toBe(2); // nothing was applied
      expect((await run('audit', 'verify')).stdout).toBe(
        `.roster/audit.jsonl: TAMPERED at event 11: the last line is torn (${cut.length} byte(s) without a newline: a write stopped half-way); roster audit repair cuts it and records that it did\n`,
      );

      const repaired = await run('audit', 'repair');
      expect(repaired.code).toBe(0);
      expect(repaired.stdout).toMatch(
        new RegExp(
          `^\\.roster/audit\\.jsonl: cut a torn last line of ${cut.length} byte\\(s\\) \\(sha256:[0-9a-f]{64}\\) after event 10; recorded as event 12 \\(audit\\.repair\\)\\n$`,
        ),
      );
      const events = eventsOf(trail);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // event 11 copied back from the store
      expect(events[11]).toMatchObject({
        step: 'audit.repair',
        key: 'trail:.roster/audit.jsonl',
        before: { afterEvent: 10, bytes: cut.length },
        after: { cut: true },
        result: 'applied',
      });
      const { createHash } = await import('node:crypto');
      expect((events[11]!.before as { sha256: string }).sha256).toBe(`sha256:${createHash('sha256').update(cut).digest('hex')}`);
      expect((await run('audit', 'verify', '--store')).code).toBe(0);
      expect((await run('audit', 'repair')).stdout).toBe('.roster/audit.jsonl: nothing to repair (the last line is whole)\n');

      const applied = await run('apply', '--yes');
      expect(applied.code).toBe(0);
      expect((await run('audit', 'verify', '--store')).code).toBe(0);
    },
    SLOW,
  );
});

describe('two stores used from one folder', () => {
  it(
    'each gets its own trail; a trail is never continued by another store, and history does not call it tampered',
    async () => {
      const repo = gitRepo();
      repo.commit(alice, '2026-11-20T09:00:00Z', 'Declare the team', { 'users/base.yaml': BASE });
      const [first, second] = sharedStores('trail2')
        .filter((s) => !s.skip)
        .map((s) => s.make(repo.dir));
      // Without a server, the second store is a second embedded data dir.
      const other: SharedStore = second ?? { env: { ROSTER_DATA_DIR: join(repo.dir, '.roster/other') }, open: () => first!.open() };
      const run = (env: Record<string, string>, ...args: string[]) => runCli([...args, ...NOW], repo.dir, env);

      expect((await run(first!.env, 'apply', '--yes')).code).toBe(0);
      const own = eventsOf(join(repo.dir, '.roster/audit.jsonl'));
      const applied = await run(other.env, 'apply', '--yes');
      expect(applied.code).toBe(0);
      const id = /trail in \.roster\/audit-([0-9a-f-]{36})\.jsonl\./.exec(applied.stdout)?.[1];
      expect(id).toBeDefined();
      const theirs = eventsOf(join(repo.dir, `.roster/audit-${id}.jsonl`));
      expect(theirs).toHaveLength(11);
      expect(theirs.every((e) => e.store === id)).toBe(true);
      expect(own.every((e) => e.store !== id)).toBe(true);
      expect(eventsOf(join(repo.dir, '.roster/audit.jsonl'))).toEqual(own);

      // Another change to the second store: still its own file, and the first store's trail intact.
      writeTree(repo.dir, { 'users/carol.yaml': CAROL });
      expect((await run(other.env, 'apply', '--yes')).code).toBe(0);
      expect(eventsOf(join(repo.dir, `.roster/audit-${id}.jsonl`))).toHaveLength(theirs.length + 1);
      expect(await run(first!.env, 'audit', 'verify', '--store')).toMatchObject({ code: 0 });
      expect(await run(other.env, 'audit', 'verify', '--store')).toMatchObject({ code: 0 });
      const history = await run(first!.env, 'history', 'alice@acme.test');
      expect(history.stdout.split('\n')[0]).toContain('from .roster/audit.jsonl (11 in all, hash chain intact).');

      // Naming the first store's trail for the second store is refused, and nothing is appended.
      writeTree(repo.dir, { 'users/dave.yaml': 'users:\n  - email: dave@acme.test\n    role: member\n' });
      const refused = await run(other.env, 'apply', '--yes', '--audit-log', '.roster/audit.jsonl');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `Error: the audit trail .roster/audit.jsonl belongs to another store (${own[0]!.store}); this run's store is ${id}. Omit --audit-log (each store has a trail of its own) or name another file\n`,
      );
      expect(eventsOf(join(repo.dir, '.roster/audit.jsonl'))).toEqual(own);
      expect(existsSync(join(repo.dir, '.roster/audit.jsonl'))).toBe(true);
    },
    SLOW,
  );
});
