import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeIntoFragments } from '../../src/export/merge.ts';
import { plan } from '../../src/plan/index.ts';
import type { LiveState } from '../../src/model/live.ts';
import { NOW, load, messages } from '../helpers/declare.ts';
import { liveUser, liveWith } from '../helpers/live.ts';
import { yaml } from '../helpers/tree.ts';

const PEOPLE = yaml`
  users:
    # Alice runs analytics.
    - email: alice@acme.test
      name: Alice   # as she signs
      role: admin
      workspaces:
        analytics: admin   # since 2025
        # research access is temporary
        research2: member

    - email: bob@acme.test
      role: member
      workspaces: { analytics: member }
`;
const SETUP = yaml`
  settings: { organization: acme }
  organizations: [{ name: acme }, { name: globex }]
  roles:
    - { name: admin, admin: true }   # keep flow
    - name: member
  workspaces:
    - name: analytics
    - name: research2
`;

/** Merges a live state into the fragments above; the files after, and whether they load and plan empty. */
function mergeWith(live: LiveState, into?: string) {
  const loaded = load({ 'users/setup.yaml': SETUP, 'users/people.yaml': PEOPLE });
  const d = loaded.declaration!;
  const texts = new Map(d.files.map((f) => [f, readFileSync(join(loaded.dir, f), 'utf8')]));
  const result = mergeIntoFragments({
    declaration: d,
    texts,
    live,
    options: { provider: 'postgres', includeUnmanaged: true },
    dir: 'users',
    today: '2026-11-23',
    ...(into && { into }),
  });
  const files = Object.fromEntries([...texts].map(([f, t]) => [f, result.files.get(f) ?? t]));
  for (const [f, t] of result.files) files[f] = t;
  const again = load(Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t])));
  return {
    result,
    files,
    problems: messages(again),
    steps: again.declaration ? plan(again.declaration, live, NOW).steps.map((s) => `${s.kind} ${s.key}`) : ['invalid'],
  };
}

const live = (
  overrides: { alice?: Parameters<typeof liveUser>[1]; bob?: Parameters<typeof liveUser>[1]; extra?: ReturnType<typeof liveUser>[] } = {},
  roles?: LiveState['roles'],
) =>
  liveWith(
    [
      liveUser('alice@acme.test', { name: 'Alice', role: 'admin', workspaces: { analytics: 'admin', research2: 'member' }, ...overrides.alice }),
      liveUser('bob@acme.test', { workspaces: { analytics: 'member' }, ...overrides.bob }),
      ...(overrides.extra ?? []),
    ],
    {
      workspaces: [
        { name: 'analytics', organization: 'acme', description: null, archived: false, managed: true },
        { name: 'research2', organization: 'acme', description: null, archived: false, managed: true },
      ],
      roles: roles ?? [
        { name: 'admin', description: null, owner: false, admin: true, permissions: {}, managed: true },
        { name: 'member', description: null, owner: false, admin: false, permissions: {}, managed: true },
      ],
    },
  );

describe('export --merge edits', () => {
  it('changes nothing when the live system matches', () => {
    const { result } = mergeWith(live());
    expect(result.files.size).toBe(0);
    expect(result.changes).toEqual([]);
  });

  it('edits a block map key by key, keeping the comments inside it', () => {
    const { files, steps } = mergeWith(live({ alice: { workspaces: { analytics: 'member' } } }));
    expect(files['users/people.yaml']).toBe(
      PEOPLE.replace(
        '      analytics: admin   # since 2025\n      # research access is temporary\n      research2: member\n',
        '      analytics: member   # since 2025\n      # research access is temporary\n',
      ),
    );
    expect(steps).toEqual([]);
  });

  it('removes a field the live system no longer has, and inserts status after the role', () => {
    const { files, steps, problems } = mergeWith(live({ alice: { name: null }, bob: { status: 'suspended' } }));
    expect(problems).toEqual([]);
    expect(files['users/people.yaml']).toBe(
      PEOPLE.replace('    name: Alice   # as she signs\n', '').replace('    role: member\n', '    role: member\n    status: suspended\n'),
    );
    expect(steps).toEqual([]);
  });

  it('writes a flow entity again, and a role flag the live system dropped', () => {
    const roles = [
      { name: 'admin', description: null, owner: false, admin: false, permissions: {}, managed: true },
      { name: 'member', description: null, owner: false, admin: false, permissions: {}, managed: true },
    ];
    const { files, steps } = mergeWith(live({}, roles), undefined);
    expect(files['users/setup.yaml']).toBe(SETUP.replace('- { name: admin, admin: true }   # keep flow', '- { name: admin }   # keep flow'));
    expect(steps).toEqual([]);
  });

  it('puts a new person next to their neighbours, or in --into', () => {
    const carol = liveUser('carol@acme.test', { role: 'member', managed: true, workspaces: { analytics: 'viewer' } });
    const next = mergeWith(live({ extra: [carol] }));
    expect(next.files['users/people.yaml']).toBe(PEOPLE + '\n  - email: carol@acme.test\n    role: member\n    workspaces: { analytics: viewer }\n');
    expect(next.steps).toEqual([]);
    const into = mergeWith(live({ extra: [carol] }), 'users/new.yaml');
    expect(into.files['users/people.yaml']).toBe(PEOPLE);
    expect(into.files['users/new.yaml']).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/roster\.schema\.json\n(#.*\n)users:\n  - email: carol@acme.test\n/,
    );
    expect(into.steps).toEqual([]);
  });
});
