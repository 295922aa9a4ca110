import { expect, it } from 'vitest';
import { loadDeclaration } from '../../src/declaration/index.ts';
import type { Declaration, LoadResult } from '../../src/model/declaration.ts';
import { formatLocation } from '../../src/model/problems.ts';
import { tempTree } from './tree.ts';

export const NOW = new Date('2026-11-23T12:00:00Z');

/** Loads a declaration tree given inline: { 'users/a.yaml': '...' }. */
export function load(files: Record<string, string | Buffer>, now = NOW): LoadResult & { dir: string } {
  const dir = tempTree(files);
  return { ...loadDeclaration(`${dir}/users`, { now, cwd: dir }), dir };
}

/** Loads and insists the declaration is valid. */
export function declare(files: Record<string, string>, now = NOW): Declaration {
  const result = load(files, now);
  if (!result.declaration) throw new Error(`declaration invalid:\n${messages(result).join('\n')}`);
  return result.declaration;
}

/** Problems as `file:line:col severity message`, the way a person reads them. */
export function messages(result: Pick<LoadResult, 'problems'>): string[] {
  return result.problems.map((p) => `${formatLocation(p.at)} ${p.severity}: ${p.message}`);
}

/**
 * One row of a rule table: `case` is the fragment the test file's own loader
 * reads (or `files`, a whole tree of its own), and `expect` every message it
 * gives, in order.
 */
export interface MessageCase {
  rule: string;
  case?: string;
  files?: Record<string, string>;
  now?: Date;
  expect: string[];
}

/** One test per row, named by its rule, comparing every message exactly. */
export function itGivesMessages(cases: MessageCase[], given: (caseYaml: string, now?: Date) => Pick<LoadResult, 'problems'>): void {
  for (const c of cases) it(c.rule, () => expect(messages(c.files ? load(c.files, c.now) : given(c.case ?? '', c.now))).toEqual(c.expect));
}

/** A small valid base to build cases on. */
export const BASE = `
settings:
  organization: acme
organizations:
  - name: acme
  - name: globex
roles:
  - name: owner
    owner: true
  - name: admin
    admin: true
  - name: member
workspaces:
  - name: analytics
  - name: research
    organization: globex
users:
  - email: olivia@acme.test
    role: owner
  - email: alice@acme.test
    name: Alice
    role: admin
  - email: bob@acme.test
    role: member
    workspaces: { analytics: member }
`;
