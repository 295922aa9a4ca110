import { emptyLiveState, type LiveState, type LiveUser } from '../../src/model/live.ts';

export function liveUser(email: string, fields: Partial<LiveUser> = {}): LiveUser {
  return {
    email,
    name: null,
    role: 'member',
    status: 'active',
    organization: 'acme',
    department: null,
    expires: null,
    managed: true,
    workspaces: {},
    projects: [],
    packages: [],
    invitationKey: null,
    signupCredits: 0,
    ...fields,
  };
}

/** A live state where the BASE declaration's organizations, roles and workspaces already exist, plus the given users. */
export function liveWith(users: LiveUser[], extra: Partial<LiveState> = {}): LiveState {
  return {
    ...emptyLiveState(),
    organizations: [
      { name: 'acme', displayName: null, managed: true },
      { name: 'globex', displayName: null, managed: true },
    ],
    roles: [
      { name: 'admin', description: null, owner: false, admin: true, permissions: {}, managed: true },
      { name: 'member', description: null, owner: false, admin: false, permissions: {}, managed: true },
      { name: 'owner', description: null, owner: true, admin: true, permissions: {}, managed: true },
    ],
    workspaces: [
      { name: 'analytics', organization: 'acme', description: null, archived: false, managed: true },
      { name: 'research', organization: 'globex', description: null, archived: false, managed: true },
    ],
    users,
    ...extra,
  };
}

/** The BASE declaration's users as they are after an apply (invited users accepted). */
export function baseUsers(): LiveUser[] {
  return [
    liveUser('olivia@acme.test', { role: 'owner' }),
    liveUser('alice@acme.test', { role: 'admin', name: 'Alice' }),
    liveUser('bob@acme.test', { workspaces: { analytics: 'member' } }),
  ];
}
