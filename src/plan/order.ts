import type { Step, StepKind } from '../model/plan.ts';

/**
 * Phases in the order they are applied: what others depend on first,
 * removals last and in reverse dependency order (memberships, then people,
 * then the containers nobody uses any more).
 */
export const PHASES: readonly (readonly StepKind[])[] = [
  ['organization.create', 'organization.adopt', 'organization.update'],
  ['role.create', 'role.adopt', 'role.update'],
  [
    'workspace.create',
    'workspace.adopt',
    'workspace.rename',
    'workspace.update',
    'project.create',
    'project.adopt',
    'project.update',
    'package.create',
    'package.adopt',
    'package.update',
  ],
  ['settings.update'],
  ['user.create', 'user.adopt', 'user.update', 'user.transfer', 'user.reactivate', 'user.suspend', 'invitation.resend'],
  ['membership.set', 'project.assign', 'package.assign'],
  ['project.owner'],
  ['credit.grant'],
  ['membership.remove', 'project.unassign', 'package.unassign'],
  ['user.deactivate', 'user.delete'],
  ['project.archive', 'workspace.archive', 'package.delete', 'role.delete', 'organization.delete'],
];

const phaseIndex = new Map<StepKind, number>(PHASES.flatMap((kinds, i) => kinds.map((k) => [k, i] as const)));
const kindIndex = new Map<StepKind, number>(PHASES.flat().map((k, i) => [k, i] as const));

export function phaseOf(kind: StepKind): number {
  return phaseIndex.get(kind)!;
}

/** Stable order: phase, then kind within the phase, then key. */
export function compareSteps(a: Step, b: Step): number {
  return kindIndex.get(a.kind)! - kindIndex.get(b.kind)! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Groups steps by phase, keeping their order. */
export function byPhase(steps: readonly Step[]): Step[][] {
  const groups: Step[][] = PHASES.map(() => []);
  for (const s of steps) groups[phaseOf(s.kind)]!.push(s);
  return groups.filter((g) => g.length > 0);
}
