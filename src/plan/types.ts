// Moved to src/model (issue 14); kept until every import points there.
export * from '../model/plan.ts';
