// Moved to src/model/capabilities.ts (issue 14): static data the declaration checks against.
export { GITHUB_CAPABILITIES } from '../../model/capabilities.ts';
