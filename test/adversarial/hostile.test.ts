import type * as Fs from 'node:fs';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { MAX_FRAGMENT_BYTES } from '../../src/declaration/files.ts';
import { plan } from '../../src/plan/index.ts';
import { BASE, NOW, declare, load, messages } from '../helpers/declare.ts';
import { baseUsers, liveWith } from '../helpers/live.ts';

// Every file read, recorded: the loader must refuse an oversized fragment without reading it.
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof Fs>();
  return { ...fs, readFileSync: vi.fn(fs.readFileSync) };
});

describe('hostile declarations', () => {
  it('warns about an address that looks like another one (homoglyphs)', () => {
    // The first "a" of the impostor is CYRILLIC SMALL LETTER A.
    const r = load({ 'users/a.yaml': BASE + '  - email: \u0430lice@acme.test\n    role: member\n  - email: m\u0430llory@acme.test\n    role: member\n' });
    expect(messages(r)).toEqual([
      'users/a.yaml:26:12 warning: user \u0430lice@acme.test looks like alice@acme.test but is a different address (non-ASCII letters); check it is not an impersonation',
      'users/a.yaml:28:12 warning: user m\u0430llory@acme.test mixes Latin with Cyrillic or Greek letters and looks like mallory@acme.test; check it is the intended address',
    ]);
  });

  it('treats emails differing only in case or Unicode form as one identity', () => {
    const r = load({
      'users/a.yaml':
        BASE +
        '  - email: ALICE@acme.test\n    role: member\n  - email: jose\u0301@acme.test\n    role: member\n  - email: jos\u00e9@acme.test\n    role: member\n',
    });
    expect(messages(r)).toEqual([
      'users/a.yaml:26:5 error: duplicate user "alice@acme.test": declared at users/a.yaml:20:5 and at users/a.yaml:26:5',
      'users/a.yaml:30:5 error: duplicate user "jos\u00e9@acme.test": declared at users/a.yaml:28:5 and at users/a.yaml:30:5',
    ]);
  });

  it('a selector grant matching nobody warns; one reaching every active user is privileged whatever its amount', () => {
    const r = load({ 'users/a.yaml': BASE + 'credits:\n  - { id: ghost, to: { role: admin }, amount: 5, reason: Nobody here }\n' });
    expect(messages(r)).toEqual([]);
    const nobody = load({
      'users/a.yaml': BASE.replace('role: admin', 'role: member') + 'credits:\n  - { id: ghost, to: { role: admin }, amount: 5, reason: Nobody here }\n',
    });
    expect(messages(nobody)).toEqual([
      'users/a.yaml:27:22 warning: credit grant ghost matches no active user: applying it now would credit nobody and seal it',
    ]);

    const everyone = declare({ 'users/a.yaml': BASE + 'credits:\n  - { id: all-acme, to: { organization: acme }, amount: 1, reason: Everyone gets one }\n' });
    expect(plan(everyone, liveWith(baseUsers()), NOW).steps).toEqual([expect.objectContaining({ key: 'credit:all-acme', risk: ['privileged'] })]);
  });

  it('refuses amounts beyond what a ledger row can hold exactly', () => {
    const r = load({
      'users/a.yaml': BASE + 'credits:\n  - { id: huge, to: bob@acme.test, amount: 9007199254740993, reason: Overflow }\n',
      'users/b.yaml': 'credits:\n  - { id: big, to: bob@acme.test, amount: 1000000001, reason: Too much }\n',
    });
    expect(messages(r)).toEqual([
      'users/a.yaml:27:44 error: credits[0].amount: 9007199254740993 is too large to be represented exactly',
      'users/b.yaml:2:43 error: credits[0].amount: must be at most 1000000000',
    ]);
  });

  it('refuses a 50 MB fragment without reading it into the parser', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    big.write('users: []\n');
    const reads = vi.mocked(readFileSync);
    reads.mockClear();
    const r = load({ 'users/a.yaml': BASE, 'users/huge.yaml': big });
    expect(messages(r)).toEqual([
      `users/huge.yaml:1:1 error: users/huge.yaml is ${big.length} bytes; fragments may be at most ${MAX_FRAGMENT_BYTES} bytes (25 MB): split it into several files`,
    ]);
    // Refused from its size alone: its bytes were never read, so never parsed.
    const read = reads.mock.calls.map(([path]) => String(path));
    expect(read.filter((p) => p.endsWith('/users/a.yaml'))).toHaveLength(1);
    expect(read.filter((p) => p.includes('huge'))).toEqual([]);
  });
});
