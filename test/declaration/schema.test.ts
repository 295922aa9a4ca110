import { describe, expect, it } from 'vitest';
import { itGivesMessages, load, messages } from '../helpers/declare.ts';
import { yaml } from '../helpers/tree.ts';

/** Loads one fragment, users/a.yaml. */
const one = (text: string) => load({ 'users/a.yaml': text });

const NAME_RULE = "is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";

/* Each describe holds a table of cases (a rule, its fragment, every message it gives); a case that checks more is an `it` of its own. */

describe('schema: unknown keys', () => {
  it('suggests the nearest top-level key', () => {
    const r = one(yaml`
      organisations:
        - name: acme
    `);
    expect(messages(r)).toEqual(['users/a.yaml:1:1 error: organisations: unknown key "organisations"; did you mean "organizations"?']);
    expect(r.declaration).toBeUndefined();
  });

  itGivesMessages(
    [
      {
        rule: 'suggests the nearest key of a user, pointing at the key',
        case: yaml`
          users:
            - email: a@acme.test
              role: admin
              departement: Sales
        `,
        expect: ['users/a.yaml:4:5 error: users[0].departement: unknown key "departement"; did you mean "department"?'],
      },
      {
        rule: 'suggests the nearest key in settings.guards',
        case: yaml`
          settings:
            guards:
              minAdmin: 2
        `,
        expect: ['users/a.yaml:3:5 error: settings.guards.minAdmin: unknown key "minAdmin"; did you mean "minAdmins"?'],
      },
      {
        rule: 'lists the allowed keys when nothing is close',
        case: yaml`
          settings:
            guards:
              frobnicate: 2
          colour: blue
        `,
        expect: [
          'users/a.yaml:3:5 error: settings.guards.frobnicate: unknown key "frobnicate" (allowed: maxRemovalPercent, minAdmins, privilegedCreditAmount)',
          'users/a.yaml:4:1 error: colour: unknown key "colour" (allowed: settings, organizations, roles, workspaces, projects, packages, users, credits)',
        ],
      },
      {
        rule: 'locates keys that need JSON-pointer escaping',
        case: yaml`
          roles:
            - name: a
              "x/y~z": 1
        `,
        expect: ['users/a.yaml:3:5 error: roles[0].x/y~z: unknown key "x/y~z" (allowed: name, description, owner, admin, permissions)'],
      },
    ],
    one,
  );
});

describe('schema: values', () => {
  const shapes = 'must be an email, a list of emails, or one of {role: NAME}, {workspace: NAME}, {organization: NAME}, {department: NAME}, {all: true}';

  itGivesMessages(
    [
      {
        rule: 'reports a wrong type at the value',
        case: yaml`
          settings:
            guards:
              minAdmins: two
          organizations: acme
          roles:
            - name: admin
              admin: yes
        `,
        expect: [
          'users/a.yaml:3:16 error: settings.guards.minAdmins: must be a whole number',
          'users/a.yaml:4:16 error: organizations: must be a list',
          'users/a.yaml:7:12 error: roles[0].admin: must be a boolean',
        ],
      },
      {
        rule: 'reports a fragment that is not a mapping',
        case: '- a\n- b\n',
        expect: ['users/a.yaml:1:1 error: document: must be a mapping'],
      },
      {
        rule: 'reports an empty value where a list is expected at its key',
        case: 'roles: []\nusers:\n',
        expect: ['users/a.yaml:2:7 error: users: must be a list'],
      },
      {
        rule: 'reports a value outside an enum, listing the allowed ones',
        case: yaml`
          users:
            - email: a@acme.test
              role: admin
              status: gone
              workspaces: { analytics: owner }
        `,
        expect: [
          'users/a.yaml:4:13 error: users[0].status: must be one of: active, invited, inactive, suspended',
          'users/a.yaml:5:30 error: users[0].workspaces.analytics: must be one of: admin, member, viewer',
        ],
      },
      {
        rule: 'rejects a name that breaks the name pattern',
        case: yaml`
          roles:
            - name: Admin
            - name: -lead
        `,
        expect: [`users/a.yaml:2:11 error: roles[0].name: ${NAME_RULE}`, `users/a.yaml:3:11 error: roles[1].name: ${NAME_RULE}`],
      },
      {
        rule: 'rejects a malformed email',
        case: yaml`
          users:
            - email: not-an-email
              role: admin
            - email: two@@acme.test
              role: admin
        `,
        expect: [
          'users/a.yaml:2:12 error: users[0].email: is not a valid email address',
          'users/a.yaml:4:12 error: users[1].email: is not a valid email address',
        ],
      },
      {
        rule: 'rejects dates that do not exist',
        case: yaml`
          users:
            - email: a@acme.test
              role: admin
              expires: 2027-02-30
            - email: b@acme.test
              role: admin
              expires: 2026-13-01
            - email: c@acme.test
              role: admin
              expires: 2028-02-29
        `,
        expect: [
          'users/a.yaml:4:14 error: users[0].expires: is not a valid date (YYYY-MM-DD, a day that exists)',
          'users/a.yaml:7:14 error: users[1].expires: is not a valid date (YYYY-MM-DD, a day that exists)',
        ],
      },
      {
        rule: 'rejects a credit of 0 and a fractional amount',
        case: yaml`
          credits:
            - id: nothing
              to: a@acme.test
              amount: 0
              reason: test
            - id: half
              to: a@acme.test
              amount: 1.5
              reason: test
        `,
        expect: ['users/a.yaml:4:13 error: credits[0].amount: must not be 0', 'users/a.yaml:8:13 error: credits[1].amount: must be a whole number'],
      },
      {
        rule: 'explains the allowed shapes of a credit target',
        case: yaml`
          credits:
            - id: team
              to: { team: sales }
              amount: 5
              reason: test
            - id: typo
              to: { rol: admin }
              amount: 5
              reason: test
            - id: none
              to: { all: false }
              amount: 5
              reason: test
        `,
        expect: [
          `users/a.yaml:3:9 error: credits[0].to: ${shapes}`,
          `users/a.yaml:7:9 error: credits[1].to: ${shapes}`,
          `users/a.yaml:11:9 error: credits[2].to: ${shapes}`,
        ],
      },
      {
        rule: 'reports a missing required key at the entry',
        case: yaml`
          users:
            - email: a@acme.test
              name: A
          credits:
            - id: promo
              to: a@acme.test
              amount: 5
        `,
        expect: ['users/a.yaml:2:5 error: users[0]: missing required key "role"', 'users/a.yaml:5:5 error: credits[0]: missing required key "reason"'],
      },
      {
        rule: 'reports a repeated item of a uniqueItems list at the repeat',
        case: yaml`
          settings:
            exclude:
              - svc@acme.test
              - svc@acme.test
          users:
            - email: a@acme.test
              role: admin
              projects: [apollo, zeus, apollo]
        `,
        expect: [
          'users/a.yaml:4:7 error: settings.exclude[1]: items 0 and 1 are the same',
          'users/a.yaml:8:30 error: users[0].projects[2]: items 0 and 2 are the same',
        ],
      },
    ],
    one,
  );

  it('gives no declaration when one fragment fails the schema, and skips semantic rules', () => {
    const r = load({
      'users/a.yaml': yaml`
        users:
          - email: a@acme.test
            role: nobody
      `,
      'users/b.yaml': 'roles:\n  - name: Bad\n',
    });
    // The dangling role in a.yaml is not reported: rules run only on a schema-valid declaration.
    expect(messages(r)).toEqual([`users/b.yaml:2:11 error: roles[0].name: ${NAME_RULE}`]);
    expect(r.declaration).toBeUndefined();
  });
});
