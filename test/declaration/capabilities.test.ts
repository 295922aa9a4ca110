import { describe, expect, it } from 'vitest';
import { load, messages } from '../helpers/declare.ts';

/** One fragment per case, so line numbers are easy to read off. */
const given = (text: string) => load({ 'users/a.yaml': text });

const EVERYTHING = (provider: string) => `settings:
  provider: ${provider}
  policies: { signupCredits: 10 }
organizations:
  - name: acme
    displayName: Acme
  - name: globex
roles:
  - name: admin
    admin: true
  - name: lead
    admin: true
  - name: member
    permissions: { analytics: [view] }
  - name: viewer
workspaces:
  - name: analytics
    organization: acme
    description: Data
packages:
  - name: core
projects:
  - name: apollo
    organization: acme
    owner: alice@acme.test
users:
  - email: alice@acme.test
    organization: acme
    name: Alice
    role: admin
    department: Data
    expires: 2027-01-01
    resendInvitation: t1
    workspaces: { analytics: viewer }
    projects: [apollo]
    packages: [core]
  - email: bob@acme.test
    organization: acme
    github: bob-gh
    role: member
    status: suspended
credits:
  - { id: promo, to: alice@acme.test, amount: 5, reason: Launch }
`;

describe('what each provider can hold', () => {
  it('postgres holds everything the format can say', () => {
    expect(messages(given(EVERYTHING('postgres')))).toEqual([]);
  });

  it('scim: every entity it cannot hold, at the field that uses it, all at once', () => {
    expect(messages(given(EVERYTHING('scim')))).toEqual([
      'users/a.yaml:3:15 error: settings.policies.signupCredits: the scim provider cannot hold credit policies',
      'users/a.yaml:6:5 error: organization acme: the scim provider cannot hold organization display names',
      'users/a.yaml:14:5 error: role member: the scim provider cannot hold role permissions',
      'users/a.yaml:19:5 error: workspace analytics: the scim provider cannot hold workspace descriptions',
      'users/a.yaml:21:5 error: package core: the scim provider cannot hold packages',
      'users/a.yaml:23:5 error: project apollo: the scim provider cannot hold projects',
      'users/a.yaml:32:5 error: user alice@acme.test: the scim provider cannot hold expiry dates',
      'users/a.yaml:33:5 error: user alice@acme.test: the scim provider cannot hold invitation resends',
      'users/a.yaml:34:19 error: user alice@acme.test: the scim provider cannot hold workspace role viewer (in analytics); it holds member',
      'users/a.yaml:35:5 error: user alice@acme.test: the scim provider cannot hold projects',
      'users/a.yaml:36:5 error: user alice@acme.test: the scim provider cannot hold packages',
      'users/a.yaml:43:5 error: credit grant promo: the scim provider cannot hold credit grants',
    ]);
  });

  it('github: also names, departments, suspension, one organization, two roles, and a login on every user', () => {
    expect(messages(given(EVERYTHING('github')))).toEqual([
      'users/a.yaml:3:15 error: settings.policies.signupCredits: the github provider cannot hold credit policies',
      'users/a.yaml:6:5 error: organization acme: the github provider cannot hold organization display names',
      'users/a.yaml:7:5 error: organization globex: the github provider holds 1 organization (ROSTER_GITHUB_ORG); declare only one',
      'users/a.yaml:11:5 error: role lead: the github provider holds two roles, organization admin and member; declare at most one admin role and one other role (admin is declared)',
      'users/a.yaml:14:5 error: role member: the github provider cannot hold role permissions',
      'users/a.yaml:15:5 error: role viewer: the github provider holds two roles, organization admin and member; declare at most one admin role and one other role (member is declared)',
      'users/a.yaml:21:5 error: package core: the github provider cannot hold packages',
      'users/a.yaml:23:5 error: project apollo: the github provider cannot hold projects',
      'users/a.yaml:27:5 error: user alice@acme.test: the github provider needs the GitHub login of every user: add github: LOGIN',
      'users/a.yaml:29:5 error: user alice@acme.test: the github provider cannot hold user names',
      'users/a.yaml:31:5 error: user alice@acme.test: the github provider cannot hold departments',
      'users/a.yaml:32:5 error: user alice@acme.test: the github provider cannot hold expiry dates',
      'users/a.yaml:33:5 error: user alice@acme.test: the github provider cannot hold invitation resends',
      'users/a.yaml:34:19 error: user alice@acme.test: the github provider cannot hold workspace role viewer (in analytics); it holds admin and member',
      'users/a.yaml:35:5 error: user alice@acme.test: the github provider cannot hold projects',
      'users/a.yaml:36:5 error: user alice@acme.test: the github provider cannot hold packages',
      'users/a.yaml:41:13 error: user bob@acme.test: the github provider cannot hold the suspended status',
      'users/a.yaml:43:5 error: credit grant promo: the github provider cannot hold credit grants',
    ]);
  });

  it('github: a login declared twice names both users', () => {
    const r = given(
      'settings: { provider: github }\nroles: [{ name: member }]\nusers:\n  - { email: a@acme.test, github: Same-Login, role: member }\n  - { email: b@acme.test, github: same-login, role: member }\n',
    );
    expect(messages(r)).toEqual([
      'users/a.yaml:5:35 error: user b@acme.test: the github provider needs one GitHub login per user: same-login is also declared for a@acme.test',
    ]);
  });

  it('the schema knows the providers and checks the login', () => {
    const r = given('settings: { provider: okta }\nusers:\n  - { email: a@acme.test, github: "-bad", role: member }\n');
    expect(messages(r)).toEqual([
      'users/a.yaml:1:23 error: settings.provider: must be one of: postgres, scim, github',
      'users/a.yaml:3:35 error: users[0].github: has an invalid format',
    ]);
  });
});
