// roster/pulumi: the same declarations managed from a Pulumi program (docs/pulumi.md).
export { RosterDeclaration, COMPONENT_TYPE, STATE_TYPE, type RosterDeclarationArgs } from './component.ts';
export type { PlanDetail, RosterInputs, RosterOutputs, StepDetail, StoreArgs, UserCounts } from './provider.ts';
