import {
  arrayOf,
  boolean,
  isNull,
  isObject,
  literal,
  nullable,
  number,
  object,
  oneOf,
  passes,
  recordOf,
  string,
  type Check,
  type SameShape,
  type TypeOf,
} from './json-check.ts';
import type { Block, Plan, Step, StepFields, StepKind } from './plan.ts';
import type { Problem } from './problems.ts';

/*
 * A plan read back from its JSON (`plan --out`, then `apply FILE` and the
 * GitHub commands): checked against the shapes below, which are
 * StepFields and Plan written out as checks. The assertion at the end keeps
 * the two in step: a field added to one and not the other fails the build.
 */

const email = string;
const userStatus = literal('active', 'invited', 'inactive', 'suspended');
const workspaceRole = literal('admin', 'member', 'viewer');
const named = { name: string };

type Values = Record<string, Check<unknown>>;
/** Each of the values, or null (a new entity's fields the declaration leaves out). */
const allNullable = <V extends Values>(values: V) =>
  // Object.fromEntries forgets the keys; each value is nullable(values[key]), which is what the type says.
  Object.fromEntries(Object.entries(values).map(([k, c]) => [k, nullable(c)])) as { [K in keyof V]: Check<TypeOf<V[K]> | null> };
const create = <V extends Values>(values: V) => ({ before: isNull, after: object({ ...named, ...allNullable(values) }) });
const adopt = <V extends Values>(values: V) => ({
  before: object({ ...named, managed: literal(false) }, values),
  after: object({ ...named, managed: literal(true) }, values),
});
const update = <V extends Values>(values: V) => ({ before: object(named, values), after: object(named, values) });
const removal = { before: object(named), after: isNull };
const statusChange = { before: object({ email, status: userStatus }), after: object({ email, status: userStatus }) };

const organization = { displayName: nullable(string) };
const role = { description: nullable(string), owner: boolean, admin: boolean, permissions: recordOf(arrayOf(string)) };
const workspace = { organization: nullable(string), description: nullable(string), archived: boolean };
const project = workspace;
const pkg = { createdBy: nullable(string), description: nullable(string) };
const user = { name: nullable(string), role: nullable(string), department: nullable(string), expires: nullable(string) };
const settings = {
  signupCredits: nullable(number),
  lowBalanceThreshold: nullable(number),
  creditExpiryDays: nullable(number),
  'guards.maxRemovalPercent': number,
  'guards.minAdmins': number,
  'guards.privilegedCreditAmount': number,
};
const membership = object({ workspace: string, user: email, role: workspaceRole });
const projectAssignment = object({ project: string, user: email });
const packageAssignment = object({ package: string, user: email });
const creditTarget = oneOf(
  email,
  arrayOf(email),
  object({ role: string }),
  object({ workspace: string }),
  object({ organization: string }),
  object({ department: string }),
  object({ all: literal(true) }),
);

const STEP_SHAPES = {
  'organization.create': create(organization),
  'organization.adopt': adopt(organization),
  'organization.update': update(organization),
  'organization.delete': removal,
  'role.create': create(role),
  'role.adopt': adopt(role),
  'role.update': update(role),
  'role.delete': removal,
  'workspace.create': create(workspace),
  'workspace.adopt': adopt(workspace),
  'workspace.rename': { before: object(named), after: object(named) },
  'workspace.update': update(workspace),
  'workspace.archive': removal,
  'project.create': create(project),
  'project.adopt': adopt(project),
  'project.update': update(project),
  'project.owner': { before: object({ project: string, owner: nullable(email) }), after: object({ project: string, owner: email }) },
  'project.archive': removal,
  'package.create': create(pkg),
  'package.adopt': adopt(pkg),
  'package.update': update(pkg),
  'package.delete': removal,
  'settings.update': { before: object({}, settings), after: object({}, settings) },
  'user.create': {
    before: isNull,
    after: object({
      email,
      name: nullable(string),
      role: string,
      status: userStatus,
      organization: nullable(string),
      department: nullable(string),
      expires: nullable(string),
      invitationKey: nullable(string),
      signupCredits: number,
    }),
  },
  'user.adopt': { before: object({ email, managed: literal(false) }, user), after: object({ email, managed: literal(true) }, user) },
  'user.update': { before: object({ email }, user), after: object({ email }, user) },
  'user.transfer': { before: object({ email, organization: nullable(string) }), after: object({ email, organization: nullable(string) }) },
  'user.reactivate': statusChange,
  'user.suspend': statusChange,
  'invitation.resend': { before: object({ email, invitationKey: nullable(string) }), after: object({ email, invitationKey: string }) },
  'membership.set': { before: nullable(membership), after: membership },
  'project.assign': { before: isNull, after: projectAssignment },
  'package.assign': { before: isNull, after: packageAssignment },
  'credit.grant': {
    before: isNull,
    after: object({
      id: string,
      target: creditTarget,
      amount: number,
      kind: literal('awarded', 'purchased'),
      reason: string,
      entries: arrayOf(object({ user: email, amount: number })),
    }),
  },
  'membership.remove': { before: membership, after: isNull },
  'project.unassign': { before: projectAssignment, after: isNull },
  'package.unassign': { before: packageAssignment, after: isNull },
  'user.deactivate': statusChange,
  'user.delete': { before: object({ email, status: userStatus, role: nullable(string), organization: nullable(string) }), after: isNull },
} satisfies Record<StepKind, { before: Check<unknown>; after: Check<unknown> }>;

const isKind = (kind: unknown): kind is StepKind => typeof kind === 'string' && Object.hasOwn(STEP_SHAPES, kind);

/** The fields every step has besides its kind, before and after. */
const stepFields = { key: string, reason: string, source: string, risk: arrayOf(literal('privileged', 'destructive')) };
const stepOptional = { requires: arrayOf(string) };
type Common = TypeOf<ReturnType<typeof object<typeof stepFields, typeof stepOptional>>>;
type Checked = { [K in StepKind]: { before: TypeOf<(typeof STEP_SHAPES)[K]['before']>; after: TypeOf<(typeof STEP_SHAPES)[K]['after']> } };
type CheckedStep = { [K in StepKind]: { kind: K } & Common & Checked[K] }[StepKind];

/** A step: the fields every step has, and the before and after its kind has. */
const step: Check<CheckedStep> = {
  check: (v, path) => {
    const kind = isObject(v) ? v.kind : undefined;
    if (!isKind(kind)) return `${path}.kind is not a step kind`;
    const { before, after } = STEP_SHAPES[kind];
    return object({ kind: string, ...stepFields, before, after }, stepOptional).check(v, path);
  },
};

const location = object({ file: string, line: number, col: number });
const problem = object({ severity: literal('error', 'warning'), code: string, message: string }, { at: location, path: string });
const block = object({
  guard: literal('maxRemovalPercent', 'minAdmins', 'lastOwner', 'ownerChange', 'delete'),
  message: string,
  flag: literal('--allow-mass-removal', '--allow-delete', '--allow-owner-change'),
  overridden: boolean,
  keys: arrayOf(string),
});

const plan = object({
  formatVersion: literal(1),
  now: string,
  steps: arrayOf(step),
  blocks: arrayOf(block),
  problems: arrayOf(problem),
  unmanaged: arrayOf(string),
  summary: object({ add: number, change: number, remove: number }),
  desiredDigest: string,
  liveFingerprint: string,
});

/** A plan's JSON as a Plan, or what is wrong with it (`plan.steps[3].after.email is not a string`). */
export function planFromJson(value: unknown, path = 'plan'): { plan: Plan } | { problem: string } {
  let problem = '';
  return passes(plan, value, path, (p) => (problem = p)) ? { plan: value } : { problem };
}

// The shapes above and the types in plan.ts say the same.
type Same<A, B> = SameShape<A, B>;
type Agree = { [K in StepKind]: Same<Checked[K]['before'], StepFields[K]['before']> | Same<Checked[K]['after'], StepFields[K]['after']> };
const _shapesAgree: Agree[StepKind] extends true ? true : never = true;
const _stepAgrees: Same<CheckedStep, Step> = true;
const _planAgrees: Same<TypeOf<typeof plan>, Plan> = true;
const _blockAgrees: Same<TypeOf<typeof block>, Block> = true;
const _problemAgrees: Same<TypeOf<typeof problem>, Problem> = true;
