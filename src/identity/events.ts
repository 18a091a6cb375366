/**
 * The data events identity routes emit themselves, beside the one a route names in
 * `config.hookEvent`: Logto's `Organization.Membership.Updated`, Herald's
 * `Organization.Membership.Roles.Updated` and `User.Roles.Updated`, each with a delta whose lists
 * are capped; and the notes that describe them in the routes' OpenAPI descriptions.
 */
import type { MutationContext } from '../http/mutation.ts';

/** Most ids one list of an event's delta carries (Logto caps membership deltas so, LOG-13492). */
export const DELTA_CAP = 5000;
export const capDelta = (ids: readonly string[]): string[] => ids.slice(0, DELTA_CAP);

export interface MembershipDelta {
  addedUserIds?: string[];
  removedUserIds?: string[];
  addedApplicationIds?: string[];
  removedApplicationIds?: string[];
}

/** The delta as Logto sends it: empty lists left out, each list capped at DELTA_CAP ids. */
export function membershipDelta(delta: Partial<Record<keyof MembershipDelta, readonly string[]>>): MembershipDelta {
  const out: MembershipDelta = {};
  for (const [key, ids] of Object.entries(delta) as [keyof MembershipDelta, readonly string[] | undefined][]) {
    if (ids?.length) out[key] = capDelta(ids);
  }
  return out;
}

export const MEMBERSHIP_EVENT_NOTE =
  'Emits `Organization.Membership.Updated` with `organizationId` and the delta (`addedUserIds`, `removedUserIds`, `addedApplicationIds`, `removedApplicationIds`; empty lists left out, each capped at 5000).';
export const MEMBER_ROLES_EVENT_NOTE =
  "When the member's roles change, emits Herald's `Organization.Membership.Roles.Updated` with `organizationId`, `userId`, `addedOrganizationRoleIds`, `removedOrganizationRoleIds` (empty lists left out, each capped at 5000).";
export const USER_ROLES_EVENT_NOTE =
  "When the user's roles change, emits Herald's `User.Roles.Updated` with `userId`, `addedRoleIds`, `removedRoleIds` (empty lists left out, each capped at 5000).";

/** Logto's membership event: sent for every membership change request, even when nothing changed. */
export function emitMembershipUpdated(
  emit: MutationContext['emit'],
  organizationId: string,
  delta: Partial<Record<keyof MembershipDelta, readonly string[]>>,
): void {
  emit('Organization.Membership.Updated', { organizationId, ...membershipDelta(delta) });
}

/** Herald's member-roles event: sent only when a role was added or removed. */
export function emitMemberRolesUpdated(
  emit: MutationContext['emit'],
  organizationId: string,
  userId: string,
  added: readonly string[],
  removed: readonly string[],
): void {
  if (added.length === 0 && removed.length === 0) return;
  emit('Organization.Membership.Roles.Updated', {
    organizationId,
    userId,
    ...(added.length ? { addedOrganizationRoleIds: capDelta(added) } : {}),
    ...(removed.length ? { removedOrganizationRoleIds: capDelta(removed) } : {}),
  });
}

/** Herald's user-roles event: sent only when a role was added or removed. */
export function emitUserRolesUpdated(
  emit: MutationContext['emit'],
  userId: string,
  added: readonly string[],
  removed: readonly string[],
): void {
  if (added.length === 0 && removed.length === 0) return;
  emit('User.Roles.Updated', {
    userId,
    ...(added.length ? { addedRoleIds: capDelta(added) } : {}),
    ...(removed.length ? { removedRoleIds: capDelta(removed) } : {}),
  });
}
