import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan, withoutExcluded } from '../../src/plan/index.ts';
import { canonicalJson, digest, sha256 } from '../../src/util/canonical.ts';
import { BASE, NOW, declare } from '../helpers/declare.ts';
import { baseUsers, liveWith } from '../helpers/live.ts';
import { propertyRuns } from '../helpers/property.ts';

/** JSON-like data as the plan digests it: objects in any key order (integer-like keys too), undefined members, lists of objects. */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('10', '2', '007', 'a', 'B', '__x', 'é', '\ud83d\ude00', '"', '\\'));
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), tie('object'), tie('list')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  list: fc.array(fc.oneof(tie('object'), tie('value')), { maxLength: 5 }),
}));

describe('the plan digest', () => {
  it('is the sha256 of the canonical JSON, whatever the key order and however it is written', () => {
    fc.assert(
      fc.property(data.value, (value) => {
        expect(digest(value)).toBe(sha256(canonicalJson(value)));
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('does not depend on the order object keys were set in', () => {
    const a = { users: [{ email: 'a@x', role: 'member', workspaces: { beta: 'viewer', alpha: 'admin', '10': 'member', '2': 'member' } }] };
    const b = { users: [{ workspaces: { '2': 'member', alpha: 'admin', '10': 'member', beta: 'viewer' }, role: 'member', email: 'a@x' }] };
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest({ users: [{ ...a.users[0], role: 'admin' }] }));
  });

  it('streams long lists without changing the result', () => {
    const users = Array.from({ length: 5000 }, (_, i) => ({
      email: `u${i}@acme.test`,
      name: i % 7 ? `User ${i}` : 'Zoë "quoted" \\ name',
      workspaces: { [`ws-${i % 13}`]: 'member' },
      projects: [],
      expires: null,
    }));
    expect(digest({ users })).toBe(sha256(canonicalJson({ users })));
  });

  it("is the plan's live fingerprint, computed when first read and present in the plan's JSON", () => {
    const d = declare({ 'users/a.yaml': BASE.replace('organization: acme', 'organization: acme\n  exclude: [breakglass@acme.test]') });
    const live = liveWith([...baseUsers(), { ...baseUsers()[0]!, email: 'breakglass@acme.test' }]);
    const p = plan(d, live, NOW);
    const json = JSON.parse(JSON.stringify(p)) as { liveFingerprint: string; desiredDigest: string };
    expect(json.liveFingerprint).toBe(digest(withoutExcluded(live, ['breakglass@acme.test'])));
    expect(json.liveFingerprint).not.toBe(digest(live)); // excluded accounts are not part of what was planned against
    expect(p.liveFingerprint).toBe(json.liveFingerprint);
    expect(Object.keys(p)).toContain('liveFingerprint');
    expect(json.desiredDigest).toBe(d.digest);
  });
});
