import { describe, expect, it } from 'vitest';
import { itGivesMessages, load, messages, onBase } from '../helpers/declare.ts';
import { yaml } from '../helpers/tree.ts';

/**
 * users/base.yaml: a valid organisation chart the cases build on, so that the
 * case file (users/case.yaml) is short and its line numbers start at 1.
 */
const BASE_FRAGMENT = yaml`
  settings:
    organization: acme
    exclude: [breakglass@acme.test]
  organizations:
    - name: acme
    - name: globex
  roles:
    - name: owner
      owner: true
    - name: admin
      admin: true
    - name: member
  workspaces:
    - name: analytics
    - name: research
      organization: globex
  packages:
    - name: core
  users:
    - email: olivia@acme.test
      role: owner
    - email: gina@globex.test
      role: member
      organization: globex
`;

const given = onBase(BASE_FRAGMENT);

/*
 * Each describe holds a table of cases (a rule, its case file, every message
 * it gives): adding a case is adding a row. A case that checks more than the
 * messages (the declaration, the problem codes) is an `it` of its own.
 */

describe('the base fixture', () => {
  it('is valid on its own', () => {
    const r = given('');
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.users.map((u) => u.email)).toEqual(['gina@globex.test', 'olivia@acme.test']);
  });
});

describe('identity and duplicates', () => {
  itGivesMessages(
    [
      {
        rule: 'treats emails differing in case or surrounding spaces as one identity',
        case: yaml`
          users:
            - email: Alice@ACME.test
              role: admin
            - email: "  alice@acme.TEST "
              role: member
        `,
        expect: ['users/case.yaml:4:5 error: duplicate user "alice@acme.test": declared at users/case.yaml:2:5 and at users/case.yaml:4:5'],
      },
      {
        rule: 'reports duplicate workspaces, roles, organizations, projects, packages and credit grants',
        case: yaml`
          organizations:
            - name: globex
          roles:
            - name: admin
          workspaces:
            - name: analytics
          packages:
            - name: core
          projects:
            - name: apollo
              owner: olivia@acme.test
            - name: apollo
              owner: olivia@acme.test
          credits:
            - id: promo
              to: olivia@acme.test
              amount: 5
              reason: promotion
            - id: promo
              to: gina@globex.test
              amount: 5
              reason: promotion
        `,
        expect: [
          'users/case.yaml:2:5 error: duplicate organization "globex": declared at users/base.yaml:6:5 and at users/case.yaml:2:5',
          'users/case.yaml:4:5 error: duplicate role "admin": declared at users/base.yaml:10:5 and at users/case.yaml:4:5',
          'users/case.yaml:6:5 error: duplicate workspace "analytics": declared at users/base.yaml:14:5 and at users/case.yaml:6:5',
          'users/case.yaml:8:5 error: duplicate package "core": declared at users/base.yaml:18:5 and at users/case.yaml:8:5',
          'users/case.yaml:12:5 error: duplicate project "apollo": declared at users/case.yaml:10:5 and at users/case.yaml:12:5',
          'users/case.yaml:19:5 error: duplicate credit grant "promo": declared at users/case.yaml:15:5 and at users/case.yaml:19:5',
        ],
      },
      {
        rule: 'refuses settings in two files',
        case: yaml`
          settings:
            removal: delete
        `,
        expect: [
          'users/case.yaml:1:1 error: settings are declared more than once: at users/base.yaml:1:1 and at users/case.yaml:1:1; keep them in one fragment',
        ],
      },
    ],
    given,
  );

  it('names both locations of a user declared in two files', () => {
    const r = given(yaml`
      users:
        - email: olivia@acme.test
          role: admin
    `);
    expect(messages(r)).toEqual(['users/case.yaml:2:5 error: duplicate user "olivia@acme.test": declared at users/base.yaml:20:5 and at users/case.yaml:2:5']);
    expect(r.declaration).toBeUndefined();
  });

  it('treats NFC and NFD spellings of one email as one identity', () => {
    const nfc = 'jos\u00e9@acme.test';
    const nfd = 'jose\u0301@acme.test';
    expect(nfc).not.toBe(nfd);
    const r = given(yaml`
      users:
        - email: ${nfd}
          role: admin
        - email: ${nfc}
          role: member
    `);
    expect(messages(r)).toEqual([`users/case.yaml:4:5 error: duplicate user "${nfc}": declared at users/case.yaml:2:5 and at users/case.yaml:4:5`]);
  });
});

describe('references', () => {
  const nobody = (id: string) => `credit grant ${id} matches no active user: applying it now would credit nobody and seal it`;

  itGivesMessages(
    [
      {
        rule: 'reports an undeclared role at the role, with a did-you-mean when one is close',
        case: yaml`
          users:
            - email: a@acme.test
              role: admn
            - email: b@acme.test
              role: superuser
        `,
        expect: [
          'users/case.yaml:3:11 error: user a@acme.test refers to role "admn", which is not declared; did you mean "admin"?',
          'users/case.yaml:5:11 error: user b@acme.test refers to role "superuser", which is not declared',
        ],
      },
      {
        rule: 'says when no roles are declared at all',
        files: { 'users/a.yaml': 'users:\n  - email: a@acme.test\n    role: admin\n' },
        expect: ['users/a.yaml:3:11 error: user a@acme.test refers to role "admin", which is not declared (no roles are declared)'],
      },
      {
        rule: 'reports undeclared organizations of users, workspaces, projects and settings',
        case: yaml`
          workspaces:
            - name: ops
              organization: initech
          projects:
            - name: apollo
              organization: globx
              owner: gina@globex.test
          users:
            - email: a@acme.test
              role: member
              organization: acne
        `,
        expect: [
          'users/case.yaml:3:19 error: workspace ops refers to organization "initech", which is not declared',
          'users/case.yaml:6:19 error: project apollo refers to organization "globx", which is not declared; did you mean "globex"?',
          // The owner (of globex) is not of the project's organization either.
          'users/case.yaml:7:12 error: project apollo (organization globx) is owned by gina@globex.test of organization globex: move the project too, or assign a new owner from globx',
          'users/case.yaml:11:19 error: user a@acme.test refers to organization "acne", which is not declared; did you mean "acme"?',
        ],
      },
      {
        rule: 'reports settings.organization naming no declared organization',
        files: { 'users/a.yaml': 'settings:\n  organization: initech\norganizations:\n  - name: acme\n' },
        expect: ['users/a.yaml:2:17 error: settings.organization refers to organization "initech", which is not declared'],
      },
      {
        rule: 'reports an undeclared workspace, project and package of a user',
        case: yaml`
          users:
            - email: a@acme.test
              role: member
              workspaces: { analytcs: member }
              projects: [zeus]
              packages: [cor]
        `,
        expect: [
          'users/case.yaml:4:19 error: user a@acme.test refers to workspace "analytcs", which is not declared; did you mean "analytics"?',
          'users/case.yaml:5:16 error: user a@acme.test refers to project "zeus", which is not declared (no projects are declared)',
          'users/case.yaml:6:16 error: user a@acme.test refers to package "cor", which is not declared; did you mean "core"?',
        ],
      },
      {
        rule: 'reports an undeclared project owner and package creator at the field',
        case: yaml`
          projects:
            - name: apollo
              owner: nobody@initech.test
          packages:
            - name: billing
              createdBy: olivla@acme.test
        `,
        expect: [
          'users/case.yaml:3:12 error: owner of project apollo refers to user "nobody@initech.test", which is not declared',
          'users/case.yaml:6:16 error: createdBy of package billing refers to user "olivla@acme.test", which is not declared',
        ],
      },
      {
        rule: 'reports credit targets naming nobody: an email, a role, a workspace, an organization',
        case: yaml`
          credits:
            - id: c1
              to: olivla@acme.test
              amount: 5
              reason: typo
            - id: c2
              to: { role: partner }
              amount: 5
              reason: selector
            - id: c3
              to: { workspace: analytix }
              amount: 5
              reason: selector
            - id: c4
              to: { organization: initech }
              amount: 5
              reason: selector
        `,
        expect: [
          'users/case.yaml:3:9 error: credit grant c1 refers to user "olivla@acme.test", which is not declared. If this person was removed: keep their entry with `status: inactive` instead (they lose access; the grant and the credit ledger keep their history). If this grant was never applied, correct its `to` or delete it',
          `users/case.yaml:7:9 warning: ${nobody('c2')}`,
          'users/case.yaml:7:9 error: credit grant c2 refers to role "partner", which is not declared',
          `users/case.yaml:11:9 warning: ${nobody('c3')}`,
          'users/case.yaml:11:9 error: credit grant c3 refers to workspace "analytix", which is not declared; did you mean "analytics"?',
          `users/case.yaml:15:9 warning: ${nobody('c4')}`,
          'users/case.yaml:15:9 error: credit grant c4 refers to organization "initech", which is not declared',
        ],
      },
    ],
    given,
  );

  it('refuses a user in a workspace or project of another organization', () => {
    const r = given(yaml`
      projects:
        - name: zeus
          organization: globex
          owner: gina@globex.test
      users:
        - email: bob@acme.test
          role: member
          workspaces: { research: member }
          projects: [zeus]
    `);
    expect(messages(r)).toEqual([
      'users/case.yaml:8:19 error: user bob@acme.test (organization acme) cannot join workspace research of organization globex',
      'users/case.yaml:9:16 error: user bob@acme.test (organization acme) cannot be assigned project zeus of organization globex',
    ]);
    expect(r.problems.map((p) => p.code)).toEqual(['ref.workspace-organization', 'ref.project-organization']);
  });
});

describe('project owners', () => {
  itGivesMessages(
    [
      {
        rule: 'must be active users of the project organization',
        case: yaml`
          projects:
            - name: p1
              owner: ian@acme.test
            - name: p2
              owner: sue@acme.test
            - name: p3
              owner: cat@acme.test
            - name: p4
              owner: gina@globex.test
            - name: p5
              owner: Olivia@acme.test
          users:
            - email: ian@acme.test
              role: member
              status: inactive
            - email: sue@acme.test
              role: member
              status: suspended
            - email: cat@acme.test
              role: member
              expires: 2026-06-30
        `,
        expect: [
          'users/case.yaml:3:12 error: project p1 is owned by ian@acme.test, who is inactive: assign a new owner from organization acme first',
          'users/case.yaml:5:12 error: project p2 is owned by sue@acme.test, who is suspended: assign a new owner from organization acme first',
          'users/case.yaml:7:12 error: project p3 is owned by cat@acme.test, who is expired on 2026-06-30: assign a new owner from organization acme first',
          'users/case.yaml:9:12 error: project p4 (organization acme) is owned by gina@globex.test of organization globex: move the project too, or assign a new owner from acme',
          'users/case.yaml:21:14 warning: user cat@acme.test expired on 2026-06-30: the plan deactivates them; remove the user or extend expires',
        ],
      },
      {
        rule: 'may be invited',
        case: yaml`
          projects:
            - name: p1
              owner: ivy@acme.test
          users:
            - email: ivy@acme.test
              role: member
              status: invited
        `,
        expect: [],
      },
    ],
    given,
  );
});

describe('excluded accounts', () => {
  const tail = "refers to breakglass@acme.test, which settings.exclude keeps out of roster's hands: remove one or the other";

  itGivesMessages(
    [
      {
        rule: 'may not be referenced as a user, project owner, package creator or credit target',
        case: yaml`
          projects:
            - name: p1
              owner: breakglass@acme.test
          packages:
            - name: vault
              createdBy: BreakGlass@acme.test
          credits:
            - id: c1
              to: breakglass@acme.test
              amount: 5
              reason: test
          users:
            - email: breakglass@acme.test
              role: admin
        `,
        expect: [
          `users/case.yaml:3:12 error: project p1 ${tail}`,
          `users/case.yaml:6:16 error: package vault ${tail}`,
          `users/case.yaml:9:9 error: credit grant c1 ${tail}`,
          `users/case.yaml:13:12 error: a user entry ${tail}`,
        ],
      },
    ],
    given,
  );
});

describe('workspace renames', () => {
  it('refuses previously naming itself, another declared workspace, or a name two workspaces claim', () => {
    const r = given(yaml`
      workspaces:
        - name: sales
          previously: [sales, data-team]
        - name: support
          previously: [analytics, data-team, helpdesk]
    `);
    expect(messages(r)).toEqual([
      'users/case.yaml:3:18 error: workspace sales lists its own name in previously',
      'users/case.yaml:5:18 error: workspace support was previously "analytics", but a workspace analytics is also declared',
      'users/case.yaml:5:29 error: workspaces sales and support both claim to have been "data-team"',
    ]);
    expect(r.problems.map((p) => p.code)).toEqual(['workspace.rename-self', 'workspace.rename-taken', 'workspace.rename-twice']);
  });

  it('accepts a rename', () => {
    const r = given(yaml`
      workspaces:
        - name: sales
          previously: [deals]
    `);
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.workspaces.find((w) => w.name === 'sales')).toMatchObject({ organization: 'acme', previously: ['deals'] });
  });
});

describe('credit grants', () => {
  itGivesMessages(
    [
      {
        rule: 'refuses ids starting with signup:',
        case: yaml`
          credits:
            - id: signup:olivia@acme.test
              to: olivia@acme.test
              amount: 100
              reason: manual signup bonus
        `,
        expect: [
          'users/case.yaml:2:9 error: credit grant signup:olivia@acme.test: ids starting with "signup:" are reserved for signup credits (settings.policies.signupCredits)',
        ],
      },
    ],
    given,
  );
});

describe('organizations', () => {
  const ORGLESS = yaml`
    organizations:
      - name: acme
      - name: globex
    roles:
      - name: member
    workspaces:
      - name: analytics
    projects:
      - name: apollo
        owner: a@acme.test
    users:
      - email: a@acme.test
        role: member
  `;

  itGivesMessages(
    [
      {
        rule: 'refuses entities with no organization when there are several and no default',
        files: { 'users/a.yaml': ORGLESS },
        expect: [
          'users/a.yaml:7:5 error: workspace analytics names no organization and there are several: set its organization or settings.organization',
          'users/a.yaml:9:5 error: project apollo names no organization and there are several: set its organization or settings.organization',
          'users/a.yaml:12:5 error: user a@acme.test names no organization and there are several: set its organization or settings.organization',
        ],
      },
    ],
    given,
  );

  it('applies settings.organization to entities that name none', () => {
    const d = load({ 'users/a.yaml': ORGLESS, 'users/settings.yaml': 'settings:\n  organization: globex\n' }).declaration;
    expect(d?.users[0]?.organization).toBe('globex');
    expect(d?.workspaces[0]?.organization).toBe('globex');
    expect(d?.projects[0]?.organization).toBe('globex');
  });

  it('uses the only declared organization as the default', () => {
    const r = load({ 'users/a.yaml': ORGLESS.replace('  - name: globex\n', '') });
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.users[0]?.organization).toBe('acme');
    expect(r.declaration?.workspaces[0]?.organization).toBe('acme');
    expect(r.declaration?.projects[0]?.organization).toBe('acme');
  });

  it('leaves organization null when none are declared', () => {
    const r = load({ 'users/a.yaml': 'roles:\n  - name: member\nusers:\n  - email: a@acme.test\n    role: member\n' });
    expect(messages(r)).toEqual([]);
    expect(r.declaration?.users[0]?.organization).toBeNull();
  });
});

describe('warnings', () => {
  const CONTRACTOR = yaml`
    users:
      - email: cat@acme.test
        role: member
        expires: 2026-11-22
  `;
  const EXPIRED = 'users/case.yaml:4:14 warning: user cat@acme.test expired on 2026-11-22: the plan deactivates them; remove the user or extend expires';

  itGivesMessages(
    [
      {
        rule: 'does not warn about an expired contractor already inactive',
        case: CONTRACTOR.replace('expires:', 'status: inactive\n    expires:'),
        now: new Date('2027-01-01T00:00:00Z'),
        expect: [],
      },
    ],
    given,
  );

  it('warns about an expired contractor only once --now is past the date', () => {
    expect(messages(given(CONTRACTOR, new Date('2026-11-22T23:59:59Z')))).toEqual([]);
    const after = given(CONTRACTOR, new Date('2026-11-23T00:00:00Z'));
    expect(messages(after)).toEqual([EXPIRED]);
    expect(after.declaration).toBeDefined(); // a warning does not block
  });

  it('warns about credits to inactive or expired users and selectors matching nobody', () => {
    const r = given(
      yaml`
        credits:
          - id: c1
            to: ian@acme.test
            amount: 5
            reason: test
          - id: c2
            to: cat@acme.test
            amount: 5
            reason: test
          - id: c3
            to: { workspace: research }
            amount: 5
            reason: test
          - id: c4
            to: { role: admin }
            amount: 5
            reason: test
        users:
          - email: ian@acme.test
            role: member
            status: inactive
          - email: cat@acme.test
            role: member
            expires: 2026-06-30
      `,
    );
    expect(messages(r)).toEqual([
      'users/case.yaml:3:9 warning: credit grant c1 goes to ian@acme.test, who is inactive',
      'users/case.yaml:7:9 warning: credit grant c2 goes to cat@acme.test, who is expired',
      'users/case.yaml:11:9 warning: credit grant c3 matches no active user: applying it now would credit nobody and seal it',
      'users/case.yaml:15:9 warning: credit grant c4 matches no active user: applying it now would credit nobody and seal it',
      'users/case.yaml:24:14 warning: user cat@acme.test expired on 2026-06-30: the plan deactivates them; remove the user or extend expires',
    ]);
    expect(r.declaration).toBeDefined();
  });

  it('warns when no active user holds an owner role', () => {
    const r = load({
      'users/a.yaml': yaml`
        roles:
          - name: member
          - name: owner
            owner: true
        users:
          - email: olivia@acme.test
            role: owner
            status: suspended
          - email: bob@acme.test
            role: member
      `,
    });
    expect(messages(r)).toEqual(['users/a.yaml:3:5 warning: no active user holds an owner role (owner)']);
    expect(r.declaration).toBeDefined();
  });
});

describe('reporting', () => {
  itGivesMessages(
    [
      {
        rule: 'reports every schema problem of every file at once, sorted by file then line',
        files: {
          'users/b.yaml': yaml`
            users:
              - email: x@acme.test
                role: admin
                colour: red
              - email: nope
                role: admin
          `,
          'users/a.yaml': yaml`
            roles:
              - name: Admin
                admin: yes
            organizations:
              - name: acme
                tenant: 1
          `,
          'users/c.yaml': 'roles: [\n',
        },
        expect: [
          "users/a.yaml:2:11 error: roles[0].name: is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters",
          'users/a.yaml:3:12 error: roles[0].admin: must be a boolean',
          'users/a.yaml:6:5 error: organizations[0].tenant: unknown key "tenant" (allowed: name, displayName)',
          'users/b.yaml:4:5 error: users[0].colour: unknown key "colour" (allowed: email, name, role, status, organization, department, github, workspaces, projects, packages, expires, resendInvitation)',
          'users/b.yaml:5:12 error: users[1].email: is not a valid email address',
          'users/c.yaml:2:1 error: Flow sequence in block collection must be sufficiently indented and end with a ]',
        ],
      },
      {
        rule: 'reports every semantic problem of every file at once, sorted by file then line',
        case: yaml`
          projects:
            - name: p
              owner: nobody@initech.test
          users:
            - email: x@acme.test
              role: admn
            - email: y@acme.test
              role: member
              organization: nowhere
            - email: olivia@acme.test
              role: owner
        `,
        expect: [
          'users/case.yaml:3:12 error: owner of project p refers to user "nobody@initech.test", which is not declared',
          'users/case.yaml:6:11 error: user x@acme.test refers to role "admn", which is not declared; did you mean "admin"?',
          'users/case.yaml:9:19 error: user y@acme.test refers to organization "nowhere", which is not declared',
          'users/case.yaml:10:5 error: duplicate user "olivia@acme.test": declared at users/base.yaml:20:5 and at users/case.yaml:10:5',
        ],
      },
    ],
    given,
  );
});

describe('references that leave an admin a way out', () => {
  itGivesMessages(
    [
      {
        rule: 'names the new name of a renamed workspace (previously)',
        case: yaml`
          workspaces:
            - name: data-science
              previously: [marketing]
          users:
            - email: mo@acme.test
              role: member
              workspaces: { marketing: member }
        `,
        expect: [
          'users/case.yaml:7:19 error: user mo@acme.test refers to workspace "marketing", which is not declared; it was renamed to "data-science" (workspace data-science, previously: [marketing]): refer to it as "data-science"',
        ],
      },
      {
        rule: 'suggests the one workspace nobody refers to when a rename forgot previously',
        files: {
          'users/a.yaml': yaml`
            settings: { organization: acme }
            organizations: [{ name: acme }]
            roles: [{ name: owner, owner: true }, { name: member }]
            workspaces:
              - name: growth
              - name: support
            users:
              - { email: olivia@acme.test, role: owner, workspaces: { support: admin } }
              - { email: mo@acme.test, role: member, workspaces: { marketing: member } }
          `,
        },
        expect: [
          'users/a.yaml:9:56 error: user mo@acme.test refers to workspace "marketing", which is not declared; if it was renamed to "growth" (declared, and nobody refers to it), refer to it as "growth", and add `previously: [marketing]` to workspace growth so the live workspace is renamed rather than archived and created anew',
        ],
      },
      {
        rule: 'tells how to remove someone who received credits: deactivate, the ledger keeps the history',
        case: yaml`
          credits:
            - id: welcome
              to: gone@acme.test
              amount: 5
              reason: Welcome
        `,
        expect: [
          'users/case.yaml:3:9 error: credit grant welcome refers to user "gone@acme.test", which is not declared. If this person was removed: keep their entry with `status: inactive` instead (they lose access; the grant and the credit ledger keep their history). If this grant was never applied, correct its `to` or delete it',
        ],
      },
    ],
    given,
  );
});
