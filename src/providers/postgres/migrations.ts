import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DELETED_PREFIX, pseudonym, PSEUDONYM_KEY, pseudonymKey, signupPseudonym } from './pseudonym.ts';
import type { SqlClient } from './sql.ts';

interface Migration {
  version: number;
  name: string;
  sql: string;
  /** What SQL alone cannot do on every engine (a random id or secret, an HMAC), in the same transaction, after `sql`. */
  run?: (tx: SqlClient) => Promise<void>;
}

/**
 * The reference platform schema, as versioned migrations. Append new ones;
 * never edit an applied one. Kept to SQL that PostgreSQL 15 and PGlite both
 * accept.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'platform schema',
    sql: `
create table organizations (
  name text primary key,
  display_name text,
  managed boolean not null default false,
  created_at timestamptz not null default now()
);

create table roles (
  name text primary key,
  description text,
  is_owner boolean not null default false,
  is_admin boolean not null default false,
  permissions jsonb not null default '{}'::jsonb,
  managed boolean not null default false
);

create table users (
  email text primary key check (email = lower(email)),
  name text,
  role text references roles (name),
  status text not null check (status in ('active', 'invited', 'inactive', 'suspended')),
  organization text references organizations (name),
  department text,
  expires date,
  managed boolean not null default false,
  -- Signup credits owed at creation; the ledger row signup:<email> pays them exactly once.
  signup_credits bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table invitations (
  email text primary key references users (email) on delete cascade,
  invitation_key text,
  sent_count integer not null default 1,
  last_sent_at timestamptz not null default now()
);

create table workspaces (
  name text primary key,
  organization text references organizations (name),
  description text,
  archived boolean not null default false,
  managed boolean not null default false
);

create table workspace_members (
  workspace text not null references workspaces (name) on update cascade,
  email text not null references users (email) on delete cascade,
  role text not null check (role in ('admin', 'member', 'viewer')),
  primary key (workspace, email)
);

create table projects (
  name text primary key,
  organization text references organizations (name),
  owner text references users (email),
  description text,
  archived boolean not null default false,
  managed boolean not null default false
);

create table project_members (
  project text not null references projects (name),
  email text not null references users (email) on delete cascade,
  primary key (project, email)
);

create table packages (
  name text primary key,
  -- No foreign key: the creator keeps seeing the package by this name even while their account changes.
  created_by text,
  description text,
  managed boolean not null default false
);

create table package_assignments (
  package text not null references packages (name) on delete cascade,
  email text not null references users (email) on delete cascade,
  primary key (package, email)
);

create table credit_grants (
  id text primary key,
  target jsonb not null,
  amount bigint not null,
  kind text not null check (kind in ('awarded', 'purchased')),
  reason text not null,
  applied_at timestamptz not null default now()
);

-- The ledger: append-only, one row per grant and user. The primary key is what
-- makes a grant exactly-once however often an apply is repeated.
create table credit_ledger (
  grant_id text not null references credit_grants (id),
  user_email text not null,
  amount bigint not null,
  kind text not null check (kind in ('awarded', 'purchased')),
  created_at timestamptz not null default now(),
  primary key (grant_id, user_email)
);

create table platform_settings (
  key text primary key,
  value jsonb not null
);

create table audit_events (
  seq bigint primary key,
  event jsonb not null,
  prev text not null,
  hash text not null unique
);
`,
  },
  {
    version: 2,
    name: 'package row-level security (seed 001: admin OR creator OR assigned)',
    sql: `
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'roster_app') then
    create role roster_app nologin;
  end if;
  execute format('grant usage on schema %I to roster_app', current_schema());
end $$;
grant select on packages, package_assignments, users, roles to roster_app;
alter table packages enable row level security;
alter table packages force row level security;
create policy packages_visible on packages for select using (
  exists (
    select 1 from users u join roles r on r.name = u.role
    where u.email = current_setting('roster.user', true) and r.is_admin and u.status in ('active', 'invited')
  )
  or created_by = current_setting('roster.user', true)
  or exists (
    select 1 from package_assignments a
    where a.package = packages.name and a.email = current_setting('roster.user', true)
  )
);
-- roster itself manages every package.
create policy packages_roster on packages for all to current_user using (true) with check (true);
`,
  },
  {
    version: 3,
    name: 'store identity (the audit trail names the store it belongs to)',
    sql: `
-- roster's own facts about the store, one row per key; never platform data.
create table roster_meta (
  key text primary key,
  value text not null
);
`,
    // PGlite cannot generate random values in SQL (gen_random_uuid fails there).
    run: async (tx) => {
      await tx.query(`insert into roster_meta (key, value) values ('store_id', $1)`, [randomUUID()]);
    },
  },
  {
    version: 4,
    name: 'keyed pseudonyms for deleted people (a per-store secret)',
    sql: `
-- Secrets of this store, never read into a plan, an event or an output; roster_app is granted nothing here.
create table roster_secrets (
  name text primary key,
  value text not null
);
`,
    run: async (tx) => {
      const key = randomBytes(32).toString('hex');
      await tx.query('insert into roster_secrets (name, value) values ($1, $2)', [PSEUDONYM_KEY, key]);
      await rekeyDeletedPeople(tx, key);
    },
  },
  {
    version: 5,
    name: 'a read-only role for plans (roster_reader: SELECT on the platform and audit tables, every package)',
    sql: `
-- Granted to the login of plan and drift jobs: roster plan only reads. Never the secrets table.
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'roster_reader') then
    create role roster_reader nologin;
  end if;
  execute format('grant usage on schema %I to roster_reader', current_schema());
end $$;
grant select on organizations, roles, users, invitations, workspaces, workspace_members, projects, project_members,
  packages, package_assignments, credit_grants, credit_ledger, platform_settings, audit_events, roster_meta, roster_migrations to roster_reader;
-- The package rule hides packages from other database users; a plan must see them all, or it would plan to create them again.
create policy packages_reader on packages for select to roster_reader using (true);
`,
  },
  {
    version: 6,
    name: 'signup grants of deleted people no longer carry their email',
    sql: `
-- A deleted person's signup grant is renamed to a pseudonym; its ledger rows follow.
alter table credit_ledger drop constraint credit_ledger_grant_id_fkey;
alter table credit_ledger add constraint credit_ledger_grant_id_fkey foreign key (grant_id) references credit_grants (id) on update cascade;
`,
    run: async (tx) => renameDeletedSignups(tx, await pseudonymKey(tx)),
  },
];

/**
 * Signup grants `signup:<email>` of people deleted before migration 6 take
 * the id a deletion now gives them (signupPseudonym): renamed, not re-paid,
 * so the ledger keeps each grant exactly once.
 */
async function renameDeletedSignups(tx: SqlClient, key: string): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    `select id from credit_grants g where id like 'signup:%@%' and not exists (select 1 from users u where 'signup:' || u.email = g.id)`,
  );
  for (const { id } of rows) await tx.query('update credit_grants set id = $2 where id = $1', [id, signupPseudonym(key, id.slice('signup:'.length))]);
}

/**
 * Ledger rows and grant targets of people deleted before this migration
 * carry an unsalted hash of their email (`deleted:` and 16 hex digits),
 * which anyone holding a list of addresses can reverse. Each becomes a keyed
 * pseudonym of that old value; a grant whose target is still the address of
 * a person so deleted takes the same pseudonym.
 */
async function rekeyDeletedPeople(tx: SqlClient, key: string): Promise<void> {
  const legacy = /^deleted:[0-9a-f]{16}$/;
  const { rows } = await tx.query<{ user_email: string }>(`select distinct user_email from credit_ledger where user_email like '${DELETED_PREFIX}%'`);
  const old = rows.map((r) => r.user_email).filter((u) => legacy.test(u));
  if (old.length === 0) return;
  const renamed = old.map((u) => pseudonym(key, u));
  await tx.query('update credit_ledger l set user_email = m.new from unnest($1::text[], $2::text[]) as m(old, new) where l.user_email = m.old', [old, renamed]);
  const byOld = new Map(old.map((u, i) => [u, renamed[i]!]));
  const { rows: targets } = await tx.query<{ target: string }>(
    `select distinct target #>> '{}' as target from credit_grants where jsonb_typeof(target) = 'string' and not exists (select 1 from users where email = target #>> '{}')`,
  );
  for (const { target } of targets) {
    const was = `${DELETED_PREFIX}${createHash('sha256').update(target).digest('hex').slice(0, 16)}`;
    const now = byOld.get(was);
    if (now) await tx.query(`update credit_grants set target = to_jsonb($2::text) where target = to_jsonb($1::text)`, [target, now]);
  }
}

/** The migrations a store has not had yet (its roster_migrations table exists). */
async function pending(sql: SqlClient): Promise<Migration[]> {
  const applied = new Set((await sql.query<{ version: number }>('select version from roster_migrations')).rows.map((r) => r.version));
  return MIGRATIONS.filter((m) => !applied.has(m.version));
}

/** Applies what is pending; returns the versions it applied. */
export async function migrate(sql: SqlClient): Promise<number[]> {
  await sql.exec(
    `create table if not exists roster_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
  );
  const applied: number[] = [];
  for (const m of await pending(sql)) {
    await sql.transaction(async (tx) => {
      await tx.exec(m.sql);
      await m.run?.(tx);
      await tx.query('insert into roster_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}

/** The newest schema version this roster knows. */
export const CURRENT_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Where a store stands, read without creating or changing anything: no roster_migrations table means no roster store. */
export async function schemaState(sql: SqlClient): Promise<{ store: false } | { store: true; version: number; pending: number[] }> {
  const { rows } = await sql.query<{ present: boolean }>(`select to_regclass('roster_migrations') is not null as present`);
  if (rows[0]?.present !== true) return { store: false };
  const missing = await pending(sql);
  // A store is at the last version before its first missing migration: one that lacks 5 but has 6 is at 4.
  const applied = missing.length > 0 ? missing[0]!.version - 1 : CURRENT_VERSION;
  return { store: true, version: applied, pending: missing.map((m) => m.version) };
}

/** Whether every migration has been applied, without creating or changing anything. */
export async function isMigrated(sql: SqlClient): Promise<boolean> {
  const { rows } = await sql.query<{ present: boolean }>(`select to_regclass('roster_migrations') is not null as present`);
  return rows[0]?.present === true && (await pending(sql)).length === 0;
}
