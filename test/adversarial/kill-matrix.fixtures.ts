/**
 * Two declarations for the kill matrix: BEFORE is applied first; AFTER, over
 * it, plans at least one step of every kind.
 */
const u = (n: number) => `u${String(n).padStart(2, '0')}@acme.test`;
const people = (from: number, to: number, extra: (n: number) => string = () => '') =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)
    .map((n) => `  - { email: ${u(n)}, role: member${extra(n)} }`)
    .join('\n');

export const BEFORE = `
settings:
  organization: acme
  removal: delete
  policies: { signupCredits: 10 }
organizations:
  - { name: acme }
  - { name: globex }
  - { name: oldco }
roles:
  - { name: owner, owner: true }
  - { name: admin, admin: true }
  - { name: member }
  - { name: legacy }
  - { name: viewer, description: Reads things }
workspaces:
  - { name: data-team }
  - { name: web, description: Old site }
  - { name: attic }
projects:
  - { name: apollo, owner: ${u(1)} }
  - { name: zeus, owner: ${u(1)} }
packages:
  - { name: core, createdBy: ${u(1)} }
  - { name: old-pkg }
users:
  - { email: ${u(1)}, role: owner, name: First }
  - { email: ${u(2)}, role: admin }
  - { email: ${u(3)}, role: admin }
  - { email: ${u(4)}, role: member, workspaces: { web: member } }
  - { email: ${u(5)}, role: member, status: inactive }
  - { email: ${u(10)}, role: member, workspaces: { data-team: member } }
  - { email: ${u(12)}, role: member, workspaces: { web: viewer } }
  - { email: ${u(14)}, role: member, projects: [apollo] }
  - { email: ${u(16)}, role: member, packages: [core] }
  - { email: ${u(30)}, role: legacy }
${people(6, 9)}
${people(11, 11)}
${people(13, 13)}
${people(15, 15)}
${people(17, 29)}
`;

export const AFTER = `
settings:
  organization: acme
  removal: delete
  policies: { signupCredits: 20, lowBalanceThreshold: 5 }
organizations:
  - { name: acme }
  - { name: globex, displayName: Globex Corporation }
  - { name: initech }
  - { name: umbrella }
roles:
  - { name: owner, owner: true }
  - { name: admin, admin: true }
  - { name: member }
  - { name: viewer, description: Reads things and exports reports }
  - { name: auditor, permissions: { analytics: [view, export] } }
  - { name: support }
workspaces:
  - { name: analytics, previously: [data-team] }
  - { name: web, description: New site }
  - { name: ops }
  - { name: found-ws }
projects:
  - { name: apollo, owner: ${u(2)}, description: Moon shot }
  - { name: hermes, owner: ${u(3)} }
  - { name: found-project, owner: ${u(3)} }
packages:
  - { name: core, createdBy: ${u(1)}, description: The core library }
  - { name: ui }
  - { name: found-pkg }
users:
  - { email: ${u(1)}, role: owner, name: First Person }
  - { email: ${u(2)}, role: admin }
  - { email: ${u(3)}, role: admin }
  - { email: ${u(4)}, role: member, organization: globex, workspaces: {} }
  - { email: ${u(5)}, role: member }
  - { email: ${u(6)}, role: member, status: suspended }
  - { email: ${u(7)}, role: member, status: inactive }
  - { email: ${u(9)}, role: member, resendInvitation: "2026-11-20" }
  - { email: ${u(10)}, role: member, workspaces: { analytics: admin } }
  - { email: ${u(11)}, role: member, workspaces: { ops: member } }
  - { email: ${u(12)}, role: member, workspaces: {} }
  - { email: ${u(13)}, role: member, projects: [apollo] }
  - { email: ${u(14)}, role: member, projects: [] }
  - { email: ${u(15)}, role: member, packages: [core, ui] }
  - { email: ${u(16)}, role: member, packages: [] }
  - { email: ${u(30)}, role: member }
  - { email: legacy-user@acme.test, role: support }
${people(17, 29)}
${people(31, 42, (n) => (n % 3 === 0 ? ', workspaces: { analytics: viewer }' : ''))}
credits:
  - { id: welcome-u17, to: ${u(17)}, amount: 50, reason: Welcome bonus }
  - { id: members-promo, to: { role: member }, amount: 5, reason: Launch promotion }
  - { id: analytics-pilot, to: { workspace: analytics }, amount: 25, kind: purchased, reason: Pilot budget }
`;

/** Objects the live system has that roster never managed: declared in AFTER, they are adopted. */
export const UNMANAGED_SQL = `
insert into organizations (name, managed) values ('umbrella', false);
insert into roles (name, managed) values ('support', false);
insert into workspaces (name, organization, managed) values ('found-ws', 'acme', false);
insert into projects (name, organization, owner, managed) values ('found-project', 'acme', 'u03@acme.test', false);
insert into packages (name, managed) values ('found-pkg', false);
insert into users (email, role, status, organization, managed) values ('legacy-user@acme.test', 'member', 'active', 'acme', false);
`;
