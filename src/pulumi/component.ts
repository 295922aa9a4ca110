import * as pulumi from '@pulumi/pulumi';
import type { AuditRange } from '../engine/run.ts';
import type { Plan } from '../model/plan.ts';
import { hostedProvider } from './hosted.ts';
import type { RosterInputs, RosterOutputs, StoreArgs, UserCounts } from './provider.ts';

export interface RosterDeclarationArgs {
  /** The declaration folder (users/), relative to the program's folder. */
  dir: string;
  /** The store: the embedded one (`dataDir`, default .roster/live) or a PostgreSQL server (`server: true`, URL from the secret config roster:databaseUrl). */
  provider?: StoreArgs;
  /** The JSON-lines audit trail (default: the store's own under .roster/, as for the CLI). */
  auditLog?: string;
  /** Plan for this instant instead of the clock (expiry dates); for reproducible runs. */
  now?: string;
  /** Wait this long (ms) for another run's lock; default 0 (refuse at once). */
  lockTimeoutMs?: number;
}

/** The resource type Pulumi records for the dynamic resource behind the component. */
export const STATE_TYPE = 'pulumi-nodejs:dynamic/roster:Declaration';
export const COMPONENT_TYPE = 'roster:index:RosterDeclaration';

/** The dynamic resource: roster's plan and apply of one declaration against one store. */
class RosterState extends pulumi.dynamic.Resource {
  declare readonly storeId: pulumi.Output<string>;
  declare readonly lastApply: pulumi.Output<RosterOutputs['lastApply']>;
  declare readonly users: pulumi.Output<UserCounts>;

  constructor(name: string, inputs: RosterInputs, opts?: pulumi.CustomResourceOptions) {
    // Outputs are named with undefined values so that Pulumi exposes them.
    super(hostedProvider(), name, { ...inputs, storeId: undefined, lastApply: undefined, users: undefined }, opts, 'roster', 'Declaration');
  }
}

/**
 * The people of a platform, declared under `dir`, in a Pulumi stack:
 * `pulumi preview` shows roster's plan, `pulumi up` applies it with roster's
 * lock, guards and audit trail.
 */
export class RosterDeclaration extends pulumi.ComponentResource {
  /** The plan summary of the last apply. */
  readonly summary: pulumi.Output<Plan['summary']>;
  /** The audit events the last apply recorded (null when it changed nothing). */
  readonly audit: pulumi.Output<AuditRange | null>;
  /** Users roster manages in the store, by status. */
  readonly users: pulumi.Output<UserCounts>;
  /** The store's id, as its audit trail names it. */
  readonly storeId: pulumi.Output<string>;

  constructor(name: string, args: RosterDeclarationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPE, name, {}, opts);
    const inputs: RosterInputs = {
      dir: args.dir,
      store: args.provider ?? {},
      ...(args.auditLog !== undefined && { auditLog: args.auditLog }),
      ...(args.now !== undefined && { now: args.now }),
      ...(args.lockTimeoutMs !== undefined && { lockTimeoutMs: args.lockTimeoutMs }),
    };
    const state = new RosterState(name, inputs, { parent: this });
    this.summary = state.lastApply.apply((l) => l.summary);
    this.audit = state.lastApply.apply((l) => l.audit);
    this.users = state.users;
    this.storeId = state.storeId;
    this.registerOutputs({ summary: this.summary, audit: this.audit, users: this.users, storeId: this.storeId });
  }
}
