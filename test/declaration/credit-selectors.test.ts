import { describe, expect, it } from 'vitest';
import { itGivesMessages, messages, onBase } from '../helpers/declare.ts';
import { yaml } from '../helpers/tree.ts';

/** users/base.yaml: people in two departments; the case file starts at line 1 so its locations read naturally. */
const BASE_FRAGMENT = yaml`
  settings:
    organization: acme
    exclude: [breakglass@acme.test]
  organizations:
    - name: acme
  roles:
    - name: owner
      owner: true
    - name: member
  users:
    - email: olivia@acme.test
      role: owner
      department: Sales
    - email: bob@acme.test
      role: member
      department: Support
    - email: ian@acme.test
      role: member
      status: inactive
`;

const given = onBase(BASE_FRAGMENT);

describe('credit grants to a department or a list of emails', () => {
  const shapes = 'must be an email, a list of emails, or one of {role: NAME}, {workspace: NAME}, {organization: NAME}, {department: NAME}, {all: true}';

  it('accepts a known department and a list of declared users, emails normalised', () => {
    const r = given(yaml`
      credits:
        - { id: q1-sales, to: { department: Sales }, amount: 10, reason: quarter bonus }
        - { id: helpers, to: [Bob@Acme.test, ' olivia@acme.test'], amount: 5, reason: thanks for the help }
    `);
    expect(messages(r)).toEqual([]);
    expect(r.declaration!.credits.map((c) => c.to)).toEqual([['bob@acme.test', 'olivia@acme.test'], { department: 'Sales' }]);
  });

  /* A table of cases (a rule, its case file, every message it gives): adding a case is adding a row. */
  itGivesMessages(
    [
      {
        rule: 'refuses an unknown department, suggesting the near one',
        case: yaml`
          credits:
            - id: q1
              to: { department: Sails }
              amount: 10
              reason: quarter bonus
        `,
        expect: [
          'users/case.yaml:3:9 warning: credit grant q1 matches no active user: applying it now would credit nobody and seal it',
          'users/case.yaml:3:23 error: credit grant q1 refers to department "Sails", which no declared user is in; did you mean "Sales"?',
        ],
      },
      {
        rule: 'refuses an empty list, a duplicate (after normalising) and an undeclared email, each at its item',
        case: yaml`
          credits:
            - id: none
              to: []
              amount: 5
              reason: nobody at all
            - id: twice
              to:
                - bob@acme.test
                - olivia@acme.test
                - BOB@acme.test
              amount: 5
              reason: paid twice?
            - id: stranger
              to: [bob@acme.test, olivla@acme.test]
              amount: 5
              reason: a typo
        `,
        expect: [
          'users/case.yaml:3:9 error: credit grant none lists no users: name at least one email, or remove the grant',
          'users/case.yaml:10:9 error: credit grant twice lists bob@acme.test twice (items 1 and 3): each user is paid once per grant',
          'users/case.yaml:14:25 error: credit grant stranger refers to user "olivla@acme.test", which is not declared',
        ],
      },
      {
        rule: 'warns about an inactive user in a list and refuses an excluded one',
        case: yaml`
          credits:
            - { id: mixed, to: [bob@acme.test, ian@acme.test, breakglass@acme.test], amount: 5, reason: a mixed list }
        `,
        expect: [
          'users/case.yaml:2:38 warning: credit grant mixed goes to ian@acme.test, who is inactive',
          "users/case.yaml:2:53 error: credit grant mixed refers to breakglass@acme.test, which settings.exclude keeps out of roster's hands: remove one or the other",
          'users/case.yaml:2:53 error: credit grant mixed refers to user "breakglass@acme.test", which is not declared',
        ],
      },
      {
        rule: 'refuses a list item that is not an email, and an empty department, through the schema',
        case: yaml`
          credits:
            - { id: bad, to: [bob@acme.test, not-an-email], amount: 5, reason: a bad list }
            - { id: blank, to: { department: '' }, amount: 5, reason: no department }
        `,
        expect: [`users/case.yaml:2:20 error: credits[0].to: ${shapes}`, `users/case.yaml:3:22 error: credits[1].to: ${shapes}`],
      },
    ],
    given,
  );
});
