import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { messages } from '../helpers/declare.ts';

/** The repository root (/work/main): the example declaration lives in its users/ folder. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the repository example declaration', () => {
  const result = loadDeclaration(`${ROOT}users`, { now: new Date('2026-11-23T12:00:00Z'), cwd: ROOT });

  it('loads with no errors', () => {
    expect(messages({ problems: result.problems.filter((p) => p.severity === 'error') })).toEqual([]);
    expect(result.declaration).toBeDefined();
  });

  it('reads every fragment, with paths relative to the repository', () => {
    expect(result.declaration?.files).toContain('users/settings.yaml');
    expect(result.declaration?.files.every((f) => f.startsWith('users/') && /\.ya?ml$/.test(f))).toBe(true);
  });

  it('has at least 40 users over 2 organizations', () => {
    const d = result.declaration!;
    expect(d.users.length).toBeGreaterThanOrEqual(40);
    expect(d.organizations.map((o) => o.name)).toEqual(['acme', 'globex']);
    expect(new Set(d.users.map((u) => u.organization))).toEqual(new Set(['acme', 'globex']));
  });

  it('keeps the break-glass account out of the users', () => {
    const d = result.declaration!;
    expect(d.settings.exclude).toEqual(['breakglass@acme.test']);
    expect(d.users.some((u) => d.settings.exclude.includes(u.email))).toBe(false);
  });
});
