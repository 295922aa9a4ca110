import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/engine/context.ts';
import { runPlan } from '../../src/engine/plan.ts';
import { entryFor, GITHUB, POSTGRES_EMBEDDED, POSTGRES_SERVER, PROVIDERS, SCIM } from '../../src/engine/registry.ts';
import { ConfigError, InvalidInputError } from '../../src/errors.ts';
import { PROVIDER_CAPABILITIES } from '../../src/model/capabilities.ts';
import { BASE, NOW, declare } from '../helpers/declare.ts';
import { tempTree } from '../helpers/tree.ts';

describe('the provider registry', () => {
  it('has one entry per target, each with the capabilities of its settings.provider', () => {
    expect(PROVIDERS.map((p) => p.name)).toEqual(['postgres-embedded', 'postgres-server', 'scim', 'github']);
    for (const entry of PROVIDERS) expect(entry.capabilities).toBe(PROVIDER_CAPABILITIES[entry.provider]);
  });

  it('picks the server for postgres only when ROSTER_DATABASE_URL is set (an empty one is unset)', () => {
    expect(entryFor('postgres', {})).toBe(POSTGRES_EMBEDDED);
    expect(entryFor('postgres', { ROSTER_DATABASE_URL: '' })).toBe(POSTGRES_EMBEDDED);
    expect(entryFor('postgres', { ROSTER_DATABASE_URL: 'postgres://db/x' })).toBe(POSTGRES_SERVER);
    expect(entryFor('scim', {})).toBe(SCIM);
    expect(entryFor('github', {})).toBe(GITHUB);
  });

  it('takes tokens and URLs from the environment only, and says which variable is missing before connecting', async () => {
    const declaration = declare({ 'users/a.yaml': BASE });
    await expect(SCIM.open({ ROSTER_SCIM_URL: 'http://127.0.0.1:9/scim' }, { declaration })).rejects.toThrow(
      new ConfigError('settings.provider is scim: set ROSTER_SCIM_TOKEN'),
    );
    await expect(GITHUB.open({ GITHUB_TOKEN: 't' }, { declaration })).rejects.toThrow(new ConfigError('settings.provider is github: set ROSTER_GITHUB_ORG'));
    await expect(SCIM.open({ ROSTER_HTTP_CONCURRENCY: '0' }, { declaration })).rejects.toThrow(
      '--concurrency (ROSTER_HTTP_CONCURRENCY) must be a positive number, got "0"',
    );
  });
});

describe('runPlan', () => {
  it('plans a store not created yet as empty, writes nothing, and reports its stages to the observer, never to a terminal', async () => {
    const cwd = tempTree({ 'users/a.yaml': `${BASE}  - { email: zoe@acme.test, role: member }\n` });
    const ctx: RunContext = { cwd, env: {}, dir: 'users', lockTimeoutMs: () => 0 };
    const stages: string[] = [];
    const progress = { start: (phase: string) => stages.push(`start ${phase}`), advance: () => undefined, end: (phase: string) => stages.push(`end ${phase}`) };
    const made = await runPlan(ctx, { now: NOW, options: { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false } }, { progress });
    expect(made.plan.steps.some((s) => s.key.includes('zoe@acme.test'))).toBe(true);
    expect(made.pullRequest).toBeUndefined();
    expect(stages).toEqual(['start load', 'end load', 'start read', 'end read']);
    expect(existsSync(join(cwd, '.roster'))).toBe(false);
  });

  it('reads the lock timeout only when it opens a store, after the declaration loaded: invalid input is reported first', async () => {
    const ctx = (cwd: string): RunContext => ({ cwd, env: {}, dir: 'users', lockTimeoutMs: () => (asked++, 0) });
    const none = { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false };
    let asked = 0;
    await expect(runPlan(ctx(tempTree({ 'users/a.yaml': 'settings: [' })), { now: NOW, options: none })).rejects.toThrow(InvalidInputError);
    expect(asked).toBe(0);
    await runPlan(ctx(tempTree({ 'users/a.yaml': BASE })), { now: NOW, options: none });
    expect(asked).toBe(1);
  });
});
