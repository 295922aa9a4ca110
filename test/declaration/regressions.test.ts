import { describe, expect, it } from 'vitest';
import { load, messages } from '../helpers/declare.ts';

const BASE = 'settings:\n  organization: acme\norganizations:\n  - name: acme\nroles:\n  - name: member\nworkspaces:\n  - name: compass\n  - name: analytics\n';

describe('found in review', () => {
  it('a workspace whose name looks like a secret word can be assigned', () => {
    const r = load({ 'users/a.yaml': BASE + 'users:\n  - email: a@acme.test\n    role: member\n    workspaces: { compass: member }\n' });
    expect(messages(r)).toEqual([]);
  });

  it('an invalid workspace key is reported at that key, naming it', () => {
    const r = load({
      'users/a.yaml': BASE + 'users:\n  - email: a@acme.test\n    role: member\n    workspaces:\n      analytics: member\n      Research: viewer\n',
    });
    expect(messages(r)).toEqual([
      `users/a.yaml:15:7 error: users[0].workspaces: key "Research" is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters`,
    ]);
  });

  it('an undeclared settings.organization is one error, not one per user relying on it', () => {
    const r = load({
      'users/a.yaml':
        BASE.replace('organization: acme', 'organization: acmee') +
        'users:\n  - { email: a@acme.test, role: member }\n  - { email: b@acme.test, role: member }\n',
    });
    expect(messages(r)).toEqual(['users/a.yaml:2:17 error: settings.organization refers to organization "acmee", which is not declared; did you mean "acme"?']);
  });

  it('absurd nesting is one located error', () => {
    const r = load({ 'users/a.yaml': '['.repeat(5000) + ']'.repeat(5000) + '\n' });
    expect(r.problems).toHaveLength(1);
    expect(messages(r)[0]).toMatch(/^users\/a\.yaml:\d+:\d+ error: /);
  });

  it('several YAML documents in one file are refused with advice for people', () => {
    const r = load({ 'users/a.yaml': BASE + '---\nusers: []\n' });
    expect(messages(r)).toEqual(['users/a.yaml:10:1 error: a fragment holds one YAML document: split this file at the "---" into several files']);
  });
});

it('a misspelt required key is one problem: the did-you-mean, not also "missing"', () => {
  const r = load({ 'users/a.yaml': BASE + 'users:\n  - emial: a@acme.test\n    role: member\n' });
  expect(messages(r)).toEqual(['users/a.yaml:11:5 error: users[0].emial: unknown key "emial"; did you mean "email"?']);
});
