import type { AuditDraft } from '../../src/model/audit.ts';
import type { Plan, Step } from '../../src/model/plan.ts';
import { emptyLiveState, type LiveState, type Provider, type ProviderInfo } from '../../src/model/live.ts';
import { liveUser } from '../helpers/live.ts';

/**
 * A live system without an audit store of its own (as SCIM and GitHub are),
 * held in memory. It makes users and memberships. `haltAfter` stands for a
 * SIGKILL: after that many requests the batch never returns, as if the
 * process had died there; `halted` resolves when it does.
 */
export class FakeHttpProvider implements Provider {
  live: LiveState = emptyLiveState();
  requests = 0;
  haltAfter: number | undefined;
  halted: Promise<void>;
  private onHalt!: () => void;

  constructor(readonly target = 'https://fake.test/scim') {
    this.halted = new Promise((resolve) => (this.onHalt = resolve));
  }

  describe(): ProviderInfo {
    return { name: 'fake', target: this.target, identity: `fake:${this.target}`, capabilities: ['workspaces'] };
  }

  async read(): Promise<LiveState> {
    return structuredClone(this.live);
  }

  async applyBatch(steps: Step[], _draft: (step: Step) => AuditDraft, onStep?: (step: Step) => void): Promise<void> {
    for (const step of steps) {
      if (this.haltAfter !== undefined && this.requests >= this.haltAfter) {
        this.onHalt();
        return new Promise(() => undefined);
      }
      this.make(step);
      this.requests++;
      onStep?.(step);
    }
  }

  /** The lock is the caller's business here: a halted apply never releases it. */
  async lock() {
    return async () => undefined;
  }

  async close(): Promise<void> {}

  private make(step: Step): void {
    if (step.kind === 'user.create') this.live.users.push(liveUser(step.after.email, { role: step.after.role }));
    else if (step.kind === 'membership.set') this.live.users.find((u) => u.email === step.after.user)!.workspaces[step.after.workspace] = 'member';
    else throw new Error(`the fake makes no ${step.kind}`);
  }
}

/** The steps that make these people, each a member of `research`, against a live state. */
export function planPeople(emails: string[], live: LiveState): Plan {
  const steps: Step[] = [];
  for (const email of emails) {
    const user = live.users.find((u) => u.email === email);
    if (!user)
      steps.push({
        kind: 'user.create',
        key: `user:${email}`,
        before: null,
        after: {
          email,
          name: null,
          role: 'member',
          status: 'invited',
          organization: null,
          department: null,
          expires: null,
          invitationKey: null,
          signupCredits: 0,
        },
        reason: 'declared',
        source: 'users/a.yaml:1:1',
        risk: [],
      });
    if (!user?.workspaces.research)
      steps.push({
        kind: 'membership.set',
        key: `membership:research:${email}`,
        before: null,
        after: { workspace: 'research', user: email, role: 'member' },
        reason: 'joins research',
        source: 'users/a.yaml:1:1',
        risk: [],
        requires: [`user:${email}`],
      });
  }
  return {
    formatVersion: 1,
    now: '2026-11-23T12:00:00.000Z',
    steps,
    blocks: [],
    problems: [],
    unmanaged: [],
    summary: { add: steps.length, change: 0, remove: 0 },
    desiredDigest: 'test',
    liveFingerprint: 'test',
  };
}
