// The example declaration (users/ at the repository root) in a Pulumi stack.
// `pulumi preview` shows roster's plan; `pulumi up` applies it with roster's
// lock, guards and audit trail. See docs/pulumi.md.
import { RosterDeclaration } from 'roster/pulumi';

const people = new RosterDeclaration('people', {
  dir: '../../users',
  // The embedded store next to the program. For a PostgreSQL server instead:
  //   provider: { server: true, schema: 'roster' }
  // with the URL as a secret: pulumi config set --secret roster:databaseUrl postgres://…
  provider: { dataDir: '.roster/live' },
  // Where the audit trail goes (the CLI's default for this store otherwise).
  auditLog: '.roster/audit.jsonl',
});

export const summary = people.summary;
export const audit = people.audit;
export const users = people.users;
export const storeId = people.storeId;
