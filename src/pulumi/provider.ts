import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { currentActor, currentCommit } from '../audit/actor.ts';
import type { Declaration } from '../model/declaration.ts';
import { POSTGRES_EMBEDDED, POSTGRES_SERVER } from '../engine/registry.ts';
import { applyTo, planAgainst, type AuditRange } from '../engine/run.ts';
import { loadForRun, using } from '../engine/stores.ts';
import { storeIdOf, trailOf } from '../engine/trail.ts';
import { BlockedPlanError, ConfigError, InvalidInputError } from '../errors.ts';
import { readAnchors } from '../history/notes.ts';
import { plan as makePlan } from '../plan/index.ts';
import { actionOf } from '../model/plan.ts';
import type { Fields } from '../model/json.ts';
import type { OverrideFlag, Plan, PlanOptions, Risk, StepKind } from '../model/plan.ts';
import { formatLocation, type Problem } from '../model/problems.ts';
import type { LiveState, Provider } from '../model/live.ts';

/** Where the live state is: the embedded store (a data dir) or a PostgreSQL server whose URL is a secret. */
export interface StoreArgs {
  /** The embedded store's data dir, relative to the program's folder (default `.roster/live`). */
  dataDir?: string;
  /** Use the PostgreSQL server named by the secret config `roster:databaseUrl` (or ROSTER_DATABASE_URL) instead. */
  server?: boolean;
  /** The server's schema (default `public`). */
  schema?: string;
}

/** What the program gives the dynamic resource: never a secret, never an override. */
export interface RosterInputs {
  /** The declaration folder, relative to the program's folder. */
  dir: string;
  store: StoreArgs;
  /** The JSON-lines audit trail (default: the store's own under .roster/, as for the CLI). */
  auditLog?: string;
  /** The instant plans are made for (expiry dates); absent: the clock. For reproducible tests. */
  now?: string;
  /** Wait this long (ms) for another run's lock. */
  lockTimeoutMs?: number;
  /** Set by check: the fragments' digest, so an edit to the files shows as a change of inputs. */
  desiredDigest?: string;
  /** Set by check: roster's plan against the live state, as `pulumi preview` shows it. */
  plan?: PlanDetail;
}

export interface StepDetail {
  action: 'add' | 'change' | 'remove';
  kind: StepKind;
  key: string;
  risk: Risk[];
  before: Fields | null;
  after: Fields | null;
}

/** A plan as Pulumi shows it: the summary and each step (the first STEPS_SHOWN; `more` counts the rest). */
export interface PlanDetail {
  summary: Plan['summary'];
  steps: StepDetail[];
  more: number;
}

export interface UserCounts {
  managed: number;
  active: number;
  invited: number;
  inactive: number;
  suspended: number;
}

export interface RosterOutputs extends RosterInputs {
  /** The store's id, as the audit trail names it. */
  storeId: string;
  /** The last apply: its plan summary and the audit events it recorded. */
  lastApply: { summary: Plan['summary']; audit: AuditRange | null };
  users: UserCounts;
  /** Set by read (`pulumi refresh`): what the next apply would change. */
  drift?: PlanDetail;
}

/** What the provider reads at run time, never from the program or its state. */
export interface RuntimeContext {
  env: NodeJS.ProcessEnv;
  /** The program's folder: relative paths in the inputs are resolved from it. */
  cwd: string;
  /** Secrets from the stack's config, set by configure(). */
  databaseUrl?: string;
}

/** Keeps a state of many thousand steps from being written into Pulumi's state in full. */
export const STEPS_SHOWN = 500;

/** Each override and the environment variable that grants it for one `pulumi up` (the CLI's flag, for that run). */
export const OVERRIDE_VARIABLES: [keyof PlanOptions, OverrideFlag, string][] = [
  ['allowDelete', '--allow-delete', 'ROSTER_ALLOW_DELETE'],
  ['allowMassRemoval', '--allow-mass-removal', 'ROSTER_ALLOW_MASS_REMOVAL'],
  ['allowOwnerChange', '--allow-owner-change', 'ROSTER_ALLOW_OWNER_CHANGE'],
];

const granted = (env: NodeJS.ProcessEnv, variable: string) => /^(1|true|yes)$/i.test(env[variable] ?? '');

/**
 * Overrides come from the environment of the run, like the CLI's flags:
 * never from the program or the stack's files, which anyone could commit
 * (docs/safety-model.md: never from a file alone).
 */
export function overridesFrom(env: NodeJS.ProcessEnv): PlanOptions {
  const options = { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false };
  for (const [option, , variable] of OVERRIDE_VARIABLES) options[option] = granted(env, variable);
  return options;
}

const howToOverride = (flag: OverrideFlag) => {
  const variable = OVERRIDE_VARIABLES.find(([, f]) => f === flag)![2];
  return `${flag}: set ${variable}=1 for this pulumi up`;
};

export function planDetail(plan: Plan): PlanDetail {
  const steps = plan.steps
    .slice(0, STEPS_SHOWN)
    .map((s) => ({ action: actionOf(s.kind), kind: s.kind, key: s.key, risk: s.risk, before: s.before, after: s.after }));
  return { summary: plan.summary, steps, more: plan.steps.length - steps.length };
}

export function userCounts(live: LiveState): UserCounts {
  const counts = { managed: 0, active: 0, invited: 0, inactive: 0, suspended: 0 };
  for (const u of live.users) {
    if (!u.managed) continue;
    counts.managed++;
    counts[u.status]++;
  }
  return counts;
}

const problemLine = (p: Problem) => `${p.at ? `${formatLocation(p.at)}: ` : ''}${p.severity}: ${p.message}`;

/** roster's typed errors as the Error Pulumi shows: every problem with its file:line:col, every block with its flag. */
export function pulumiError(e: unknown): Error {
  if (e instanceof InvalidInputError)
    return new Error(
      `roster: ${e.message}:\n${e.problems
        .filter((p) => p.severity === 'error')
        .map(problemLine)
        .join('\n')}`,
    );
  if (e instanceof Error) return new Error(`roster: ${e.message}`);
  return new Error(`roster: ${String(e)}`);
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw pulumiError(e);
  }
}

/**
 * The store of the inputs, through the engine's registry: the server named
 * by the stack's secret config (or ROSTER_DATABASE_URL) and the inputs'
 * schema, never the CLI's variables; else the embedded store under the
 * program's folder. `read` (preview, diff, refresh) never creates or
 * migrates a store: a store not created yet reads as empty.
 */
function openStore(inputs: RosterInputs, ctx: RuntimeContext, access: 'read' | 'write'): Promise<Provider> {
  const lockTimeoutMs = inputs.lockTimeoutMs ?? 0;
  if (inputs.store.server) {
    const databaseUrl = ctx.databaseUrl ?? ctx.env.ROSTER_DATABASE_URL;
    if (!databaseUrl)
      throw new ConfigError('store.server is set: set the secret config roster:databaseUrl (pulumi config set --secret roster:databaseUrl postgres://…)');
    return POSTGRES_SERVER.open({ ...ctx.env, ROSTER_DATABASE_URL: databaseUrl, ROSTER_DATABASE_SCHEMA: inputs.store.schema }, { lockTimeoutMs, access });
  }
  return POSTGRES_EMBEDDED.open(ctx.env, { dataDir: resolve(ctx.cwd, inputs.store.dataDir ?? '.roster/live'), lockTimeoutMs, access, missing: 'empty' });
}

async function withStore<T>(inputs: RosterInputs, ctx: RuntimeContext, run: (provider: Provider) => Promise<T>, access: 'read' | 'write' = 'read'): Promise<T> {
  return using(await openStore(inputs, ctx, access), run);
}

const nowOf = (inputs: RosterInputs) => (inputs.now ? new Date(inputs.now) : new Date());

function declarationOf(inputs: RosterInputs, ctx: RuntimeContext): Declaration {
  const declaration = loadForRun({ dir: inputs.dir, cwd: ctx.cwd }, nowOf(inputs));
  if (declaration.settings.provider !== 'postgres') {
    throw new ConfigError(
      `settings.provider is ${declaration.settings.provider}: roster/pulumi manages PostgreSQL stores (embedded or server) only; use the roster CLI for ${declaration.settings.provider}`,
    );
  }
  return declaration;
}

/** The desired state when the resource is destroyed: the same settings and entities, and no users or grants. */
function withoutPeople(d: Declaration): Declaration {
  return { ...d, users: [], credits: [], projects: [] };
}

/** Applies `declaration` under the lock; what the outputs say of it. */
async function applyAndReport(
  inputs: RosterInputs,
  ctx: RuntimeContext,
  declaration: Declaration,
  options: PlanOptions,
): Promise<{ id: string; outs: RosterOutputs }> {
  return withStore(
    inputs,
    ctx,
    async (provider) => {
      const dir = resolve(ctx.cwd, inputs.dir);
      const trail = await trailOf({ cwd: ctx.cwd, dir: inputs.dir, auditLog: inputs.auditLog }, provider);
      const result = await applyTo(provider, {
        declaration,
        now: nowOf(inputs),
        options,
        actor: currentActor(existsSync(dir) ? dir : ctx.cwd, ctx.env),
        commit: existsSync(dir) ? currentCommit(dir) : null,
        trail,
        anchors: readAnchors(existsSync(dir) ? dir : ctx.cwd) ?? [],
        lockTimeoutMs: inputs.lockTimeoutMs ?? 0,
        howToOverride,
        ...(inputs.now !== undefined && { plannedFor: inputs.now }),
      });
      const failed = result.outcomes.filter((o) => o.result !== 'applied');
      if (failed.length)
        throw new Error(
          `${failed.length} step(s) failed or were skipped; the rest were applied and audited: ${failed.map((f) => `${f.step.kind} ${f.step.key}: ${f.error}`).join('; ')}`,
        );
      const storeId = await storeIdOf(provider);
      const users = userCounts(await provider.read());
      const { plan: _plan, ...rest } = inputs;
      return { id: `roster-${storeId}`, outs: { ...rest, storeId, lastApply: { summary: result.plan.summary, audit: result.audit }, users } };
    },
    'write',
  );
}

/**
 * The dynamic provider's methods, running in-process: check loads the
 * declaration and plans (what `pulumi preview` shows), diff is roster's plan
 * (never a replacement), create and update apply it, read reports drift,
 * delete removes the people only with ROSTER_ALLOW_DELETE.
 */
export function rosterProvider(ctx: RuntimeContext = { env: process.env, cwd: process.cwd() }) {
  return {
    async configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
      const url = req.config.get('roster:databaseUrl');
      if (url) ctx.databaseUrl = url;
    },

    async check(_olds: RosterInputs, news: RosterInputs): Promise<{ inputs?: RosterInputs; failures?: { property: string; reason: string }[] }> {
      if (typeof news.dir !== 'string' || !news.dir) return { failures: [{ property: 'dir', reason: 'dir names the declaration folder, e.g. "users"' }] };
      let declaration: Declaration;
      try {
        declaration = declarationOf(news, ctx);
      } catch (e) {
        if (e instanceof InvalidInputError)
          return { failures: e.problems.filter((p) => p.severity === 'error').map((p) => ({ property: 'dir', reason: problemLine(p) })) };
        throw pulumiError(e);
      }
      const plan = await guarded(() => withStore(news, ctx, (provider) => planAgainst(provider, declaration, nowOf(news), overridesFrom(ctx.env))));
      const failures = [
        ...plan.problems.filter((p) => p.severity === 'error').map((p) => ({ property: 'dir', reason: problemLine(p) })),
        ...plan.blocks.filter((b) => !b.overridden).map((b) => ({ property: 'guards', reason: `${b.guard}: ${b.message} (${howToOverride(b.flag)})` })),
      ];
      return { inputs: { ...news, desiredDigest: declaration.digest, plan: planDetail(plan) }, ...(failures.length && { failures }) };
    },

    async diff(
      _id: string,
      _olds: RosterOutputs,
      news: RosterInputs,
    ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; plan: PlanDetail }> {
      return guarded(async () => {
        const declaration = declarationOf(news, ctx);
        const plan = await withStore(news, ctx, (provider) => planAgainst(provider, declaration, nowOf(news), overridesFrom(ctx.env)));
        // roster changes the live system in place: a change is never a replacement.
        return { changes: plan.steps.length > 0, replaces: [], deleteBeforeReplace: false, plan: planDetail(plan) };
      });
    },

    async create(inputs: RosterInputs): Promise<{ id: string; outs: RosterOutputs }> {
      return guarded(() => applyAndReport(inputs, ctx, declarationOf(inputs, ctx), overridesFrom(ctx.env)));
    },

    async update(_id: string, _olds: RosterOutputs, news: RosterInputs): Promise<{ outs: RosterOutputs }> {
      return guarded(async () => ({ outs: (await applyAndReport(news, ctx, declarationOf(news, ctx), overridesFrom(ctx.env))).outs }));
    },

    async read(id: string, props: RosterOutputs): Promise<{ id: string; props: RosterOutputs }> {
      return guarded(async () => {
        const declaration = declarationOf(props, ctx);
        return withStore(props, ctx, async (provider) => {
          const live = await provider.read();
          const plan = makePlan(declaration, live, nowOf(props), overridesFrom(ctx.env));
          return { id, props: { ...props, users: userCounts(live), drift: planDetail(plan) } };
        });
      });
    },

    async delete(_id: string, props: RosterOutputs): Promise<void> {
      await guarded(async () => {
        const options = overridesFrom(ctx.env);
        // Destroying the resource removes every person it manages: the CLI's deletion guard, asked for every time.
        if (!options.allowDelete) {
          throw new BlockedPlanError(
            `destroying ${props.dir} would remove every user it manages from the store; nothing was changed (${howToOverride('--allow-delete')})`,
          );
        }
        await applyAndReport(props, ctx, withoutPeople(declarationOf(props, ctx)), options);
      });
    },
  };
}

export type RosterProvider = ReturnType<typeof rosterProvider>;
