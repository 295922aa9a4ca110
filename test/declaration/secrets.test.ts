import { describe, expect, it } from 'vitest';
import { load, messages } from '../helpers/declare.ts';
import { yaml } from '../helpers/tree.ts';

const one = (text: string) => load({ 'users/a.yaml': text });

const EXPLAIN =
  'passwords and tokens must never be in the declaration. New users are created invited and the platform sends them an invitation (set resendInvitation to send another); credentials for roster itself come from ROSTER_* environment variables';

describe('secrets in the declaration', () => {
  it('rejects a password on a user at the key, explaining invitations, and no unknown-key error besides', () => {
    const r = one(yaml`
      roles:
        - name: member
      users:
        - email: carol@acme.test
          role: member
          password: hunter2
    `);
    expect(messages(r)).toEqual([`users/a.yaml:6:5 error: users[0].password: "password" looks like a secret; ${EXPLAIN}`]);
    expect(r.problems[0]?.code).toBe('secret');
    expect(r.declaration).toBeUndefined();
  });

  it('rejects apiToken anywhere: settings, a role, nested under an unknown key, at the top', () => {
    const r = one(yaml`
      settings:
        apiToken: abc
      roles:
        - name: member
          apiToken: def
      users:
        - email: a@acme.test
          role: member
          extra:
            apiToken: ghi
      apiToken: jkl
    `);
    expect(messages(r)).toEqual([
      `users/a.yaml:2:3 error: settings.apiToken: "apiToken" looks like a secret; ${EXPLAIN}`,
      `users/a.yaml:5:5 error: roles[0].apiToken: "apiToken" looks like a secret; ${EXPLAIN}`,
      'users/a.yaml:9:5 error: users[0].extra: unknown key "extra" (allowed: email, name, role, status, organization, department, github, workspaces, projects, packages, expires, resendInvitation)',
      `users/a.yaml:10:7 error: users[0].extra.apiToken: "apiToken" looks like a secret; ${EXPLAIN}`,
      `users/a.yaml:11:1 error: apiToken: "apiToken" looks like a secret; ${EXPLAIN}`,
    ]);
  });

  it('accepts a role permission on a resource named tokens', () => {
    const r = one(yaml`
      roles:
        - name: integrator
          permissions: { tokens: [view, create], secrets: [view] }
      users:
        - email: a@acme.test
          role: integrator
    `);
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.roles[0]?.permissions).toEqual({ secrets: ['view'], tokens: ['create', 'view'] });
  });
});
