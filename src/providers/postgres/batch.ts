import type { Step, StepKind } from '../../model/plan.ts';
import type { SqlClient } from './sql.ts';
import { writeStep } from './write.ts';

/**
 * Set-based writes for the step kinds a large plan is made of. One
 * statement writes every step of a kind in a batch (`insert … select from
 * unnest(…)`): on PGlite that is about twenty times faster than a statement
 * per row. Each statement does exactly what writeStep does for one step,
 * and is just as idempotent (ON CONFLICT), so a batch repeated after a crash
 * changes nothing twice.
 */
const SET_BASED: { [K in StepKind]?: (sql: SqlClient, steps: Step<K>[]) => Promise<void> } = {
  'user.create': async (sql, steps) => {
    const a = steps.map((s) => s.after!);
    await sql.query(
      `insert into users (email, name, role, status, organization, department, expires, managed, signup_credits)
       select email, name, role, status, organization, department, expires, true, signup_credits
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::bigint[])
           as t(email, name, role, status, organization, department, expires, signup_credits)
       on conflict (email) do nothing`,
      [
        col(a, 'email'),
        col(a, 'name'),
        col(a, 'role'),
        col(a, 'status'),
        col(a, 'organization'),
        col(a, 'department'),
        col(a, 'expires'),
        a.map((x) => x.signupCredits ?? 0),
      ],
    );
    const invited = a.filter((x) => x.status === 'invited');
    if (invited.length) {
      await sql.query(`insert into invitations (email, invitation_key) select * from unnest($1::text[], $2::text[]) on conflict (email) do nothing`, [
        col(invited, 'email'),
        col(invited, 'invitationKey'),
      ]);
    }
  },
  'membership.set': async (sql, steps) => {
    const a = steps.map((s) => s.after!);
    await sql.query(
      `insert into workspace_members (workspace, email, role) select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (workspace, email) do update set role = excluded.role`,
      [col(a, 'workspace'), col(a, 'user'), col(a, 'role')],
    );
  },
  'project.assign': async (sql, steps) => {
    const a = steps.map((s) => s.after!);
    await sql.query(`insert into project_members (project, email) select * from unnest($1::text[], $2::text[]) on conflict do nothing`, [
      col(a, 'project'),
      col(a, 'user'),
    ]);
  },
  'package.assign': async (sql, steps) => {
    const a = steps.map((s) => s.after!);
    await sql.query(`insert into package_assignments (package, email) select * from unnest($1::text[], $2::text[]) on conflict do nothing`, [
      col(a, 'package'),
      col(a, 'user'),
    ]);
  },
  'credit.grant': async (sql, steps) => {
    const a = steps.map((s) => s.after!);
    const { rows } = await sql.query<{ id: string }>(
      `insert into credit_grants (id, target, amount, kind, reason)
       select id, target::jsonb, amount, kind, reason from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) as t(id, target, amount, kind, reason)
       on conflict (id) do nothing returning id`,
      [col(a, 'id'), a.map((x) => JSON.stringify(x.target)), col(a, 'amount'), col(a, 'kind'), col(a, 'reason')],
    );
    // A grant already in the ledger is sealed: its entries were written with it, in one transaction.
    const inserted = new Set(rows.map((r) => r.id));
    const entries = a.filter((x) => inserted.has(x.id)).flatMap((x) => x.entries.map((e) => [x.id, e.user, x.amount, x.kind]));
    if (entries.length) {
      await sql.query(
        `insert into credit_ledger (grant_id, user_email, amount, kind) select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) on conflict do nothing`,
        [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2]), entries.map((e) => e[3])],
      );
    }
  },
};

const col = <T, F extends keyof T>(rows: T[], key: F) => rows.map((r) => r[key] ?? null);

/**
 * Writes the steps in order: runs of a kind that has a set-based statement
 * go in one statement; the rest one step at a time. `onWritten` is called
 * for each step once its write is done.
 */
export async function writeSteps(sql: SqlClient, steps: Step[], onWritten: (step: Step) => void): Promise<void> {
  for (let start = 0; start < steps.length;) {
    const kind = steps[start]!.kind;
    let end = start + 1;
    while (end < steps.length && steps[end]!.kind === kind) end++;
    await writeRun(sql, kind, steps.slice(start, end), onWritten);
    start = end;
  }
}

/** Steps of one kind, next to each other. */
async function writeRun<K extends StepKind>(sql: SqlClient, kind: K, run: Step[], onWritten: (step: Step) => void): Promise<void> {
  const setBased = SET_BASED[kind];
  if (setBased && run.length > 1 && allOf(kind, run)) {
    await setBased(sql, run);
    run.forEach(onWritten);
  } else {
    for (const step of run) {
      await writeStep(sql, step);
      onWritten(step);
    }
  }
}

/** Every step is of the kind (writeSteps cut the run so), which TypeScript cannot follow: checked, not assumed. */
const allOf = <K extends StepKind>(kind: K, run: (Step | Step<K>)[]): run is Step<K>[] => run.every((s) => s.kind === kind);
