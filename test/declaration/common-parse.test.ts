import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commonParse } from '../../src/declaration/common-parse.ts';
import { fastParse } from '../../src/declaration/fast-parse.ts';
import { readFragments } from '../../src/declaration/files.ts';
import { fragments } from '../helpers/fragments.ts';
import { yaml } from '../helpers/tree.ts';
import { propertyRuns } from '../helpers/property.ts';

/** The first tier answers only where the js-yaml tier gives the very same value and positions. */
function expectSameAsFast(text: string): 'common' | 'left' {
  const common = commonParse('f.yaml', text);
  if (common === undefined) return 'left';
  expect(common).toEqual(fastParse('f.yaml', text));
  return 'common';
}

describe('the line parser (first parse tier)', () => {
  it('gives what js-yaml gives on generated fragments, and answers for most of them', () => {
    const seen = { common: 0, left: 0 };
    fc.assert(
      fc.property(fragments, (files) => {
        for (const text of Object.values(files)) seen[expectSameAsFast(text)]++;
      }),
      { numRuns: propertyRuns(200) },
    );
    // Not vacuous: it read most files, and left the unusual ones to js-yaml.
    expect(seen.common).toBeGreaterThan(seen.left);
    expect(seen.left).toBeGreaterThan(50);
  });

  it('reads every file of the example declaration', () => {
    for (const { file, text } of readFragments('users').fragments) {
      expect([file, expectSameAsFast(text)]).toEqual([file, 'common']);
    }
  });

  const READ: Record<string, string> = {
    'maps begun on list items, lists at the key column, flow maps and lists': yaml`
      users:
      - email: ann@acme.test   # the first
        workspaces: { analytics: admin, '2024': member }
        packages: [core, "a.b_c-d"]
      -   email: ben@acme.test
          role: member
      credits: [{ id: a, to: { role: admin }, amount: -5, reason: 'It''s "ok"' }, { id: b, amount: 1e3 }]
    `,
    'scalars the core schema reads as other types, and keys': yaml`
      a: [~, null, true, False, 0x1F, 0o17, .inf, -.5, 12, 2027-03-31, x#y]
      b: a:b
      "key with: colon": 1
      flow: { 1: a, true: b, ~: c }
      map:
        123: one
        ~: tilde
    `,
  };
  for (const [title, text] of Object.entries(READ)) {
    it(`reads ${title}`, () => expect(expectSameAsFast(text)).toBe('common'));
  }

  const LEFT: Record<string, string> = {
    'an empty value': 'a:\nb: 1\n',
    'a multi-line plain scalar': 'a: one\n  two\n',
    'a multi-line flow list': 'a: [1,\n  2]\n',
    'an escape': 'a: "\\u00e9"\n',
    'an anchor': 'a: &x 1\n',
    'a duplicate key': 'a: 1\na: 2\n',
    'a trailing comma': 'a: [1, 2, ]\n',
    'a key with a space before its colon': 'a : 1\n',
    'a value that is a map': 'a: b: c\n',
    'a lone dash': 'a:\n  -\n    b: 1\n',
    'nested dashes': 'a:\n  - - 1\n',
    'a block scalar': 'a: |\n  text\n',
    'a prototype key': '__proto__: { polluted: true }\n',
    'a root key that reads as a number': '123: one\n',
    'a deeper line after a value': 'a: 1\n   b: 2\n',
  };
  for (const [title, text] of Object.entries(LEFT)) {
    it(`leaves ${title} to js-yaml`, () => expect(commonParse('f.yaml', text)).toBeUndefined());
  }

  it('agrees with js-yaml on the benchmark-shaped file', () => {
    const text = readFileSync(new URL('../../users/people/engineering.yaml', import.meta.url), 'utf8');
    expect(expectSameAsFast(text)).toBe('common');
  });
});
