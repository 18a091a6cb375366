/**
 * Organizations and their members, as Logto's Management API has them: user members (each with
 * organization roles of type User) and application members (machine-to-machine only). Membership
 * changes answer their deltas, which the routes put in `Organization.Membership.Updated`.
 */
import type { Kysely } from 'kysely';
import { inBatches } from '../../db/batches.ts';
import type { Executor } from '../../db/query.ts';
import type { DB, OrganizationsTable } from '../../db/types.ts';
import { HeraldError, notExistsWithId } from '../../http/errors.ts';
import { randomString } from '../../util/id.ts';
import { toApplication } from '../applications/service.ts';
import {
  missingReference,
  toOrganizationRole,
  toOrganizationScope,
  type OrganizationRoleService,
} from '../organization-roles/service.ts';
import { toUser } from '../users/service.ts';
import type { Organization } from './schemas.ts';
import * as store from './store.ts';
import { dedupe } from '../../util/lists.ts';

type Page = { offset: number; limit: number };
type Json = Record<string, unknown>;

/** Logto's organization ids are 12 characters. */
const ORGANIZATION_ID_LENGTH = 12;

export const toOrganization = (row: OrganizationsTable): Organization => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  description: row.description,
  customData: JSON.parse(row.custom_data) as Json,
  isMfaRequired: Boolean(row.is_mfa_required),
  isTrustedDeviceAllowed: Boolean(row.is_trusted_device_allowed),
  color: JSON.parse(row.color) as Organization['color'],
  branding: JSON.parse(row.branding) as Organization['branding'],
  customCss: row.custom_css,
  createdAt: row.created_at,
});

export interface OrganizationInput {
  name?: string | undefined;
  description?: string | null | undefined;
  customData?: Json | undefined;
  isMfaRequired?: boolean | undefined;
  isTrustedDeviceAllowed?: boolean | undefined;
  color?: Json | undefined;
  branding?: Json | undefined;
  customCss?: string | null | undefined;
}

/** Only the known keys of `color` and `branding` are kept (Logto drops the others too). */
const COLOR_KEYS = ['primaryColor', 'isDarkModeEnabled', 'darkPrimaryColor'];
const BRANDING_KEYS = ['logoUrl', 'darkLogoUrl', 'favicon', 'darkFavicon'];
const pick = (value: Json, keys: readonly string[]): Json =>
  Object.fromEntries(keys.filter((k) => Object.hasOwn(value, k)).map((k) => [k, value[k]]));
const notFound = (name: string, id: string) => new HeraldError('entity.not_found', { data: { name, id } });
const requireMembership = () => new HeraldError('organization.require_membership');

/**
 * Member-role pairs one bulk request may give (members × roles): each is a row, and each user an
 * event; 1 000 × 1 000 held SQLite for 20 s and wrote 24 MB of events. Larger grants go in parts.
 */
export const BULK_ROLE_PAIRS_MAX = 50_000;
function assertBulkSize(members: readonly string[], roles: readonly string[], field: string): void {
  if (members.length * roles.length > BULK_ROLE_PAIRS_MAX) {
    throw new HeraldError('guard.invalid_input', {
      message: `The request body is invalid: ${field} × organizationRoleIds may name at most ${BULK_ROLE_PAIRS_MAX} pairs in one request; send them in parts.`,
      data: { field: `body.${field}` },
    });
  }
}

export function createOrganizationService(deps: {
  db: Kysely<DB>;
  organizationRoles: OrganizationRoleService;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;
  const { organizationRoles } = deps;

  async function organizationOrThrow(db: Executor, id: string): Promise<OrganizationsTable> {
    const row = await store.findOrganizationById(db, id);
    if (!row) throw notExistsWithId('organizations', id);
    return row;
  }

  /**
   * For membership writes: locks the organization (so concurrent changes report exact deltas); an
   * unknown organization is a missing foreign key (422), as in Logto.
   */
  async function lockOrganizationOrThrow(db: Executor, id: string): Promise<void> {
    if (!(await store.lockOrganization(db, id))) throw missingReference('organization', [id]);
  }

  async function assertUsersExist(db: Executor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set(
      await inBatches(ids, async (batch) =>
        (await db.selectFrom('users').select('id').where('id', 'in', batch).execute()).map((r) => r.id),
      ),
    );
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw missingReference('user', missing);
  }

  async function assertMachineApplications(db: Executor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await inBatches(ids, (batch) =>
      db.selectFrom('applications').select(['id', 'type']).where('id', 'in', batch).execute(),
    );
    const found = new Map(rows.map((r) => [r.id, r.type]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw missingReference('application', missing);
    const wrong = rows.find((r) => r.type !== 'MachineToMachine');
    if (wrong) {
      throw new HeraldError('entity.db_constraint_violated', {
        message: `Only machine-to-machine applications can be organization members; ${wrong.id} is ${wrong.type}.`,
        data: { applicationId: wrong.id },
      });
    }
  }

  async function assertMember(db: Executor, organizationId: string, userId: string): Promise<void> {
    if (!(await store.isMember(db, organizationId, userId))) throw requireMembership();
  }

  async function assertApplicationMember(db: Executor, organizationId: string, applicationId: string): Promise<void> {
    if (!(await store.isApplicationMember(db, organizationId, applicationId))) throw requireMembership();
  }

  async function lockApplicationMemberOrThrow(
    db: Executor,
    organizationId: string,
    applicationId: string,
  ): Promise<void> {
    if (!(await store.lockApplicationMembership(db, organizationId, applicationId))) throw requireMembership();
  }

  /** For role writes: locks the membership (exact deltas under concurrency); 422 when not a member. */
  async function lockMemberOrThrow(db: Executor, organizationId: string, userId: string): Promise<void> {
    if (!(await store.lockMembership(db, organizationId, userId))) throw requireMembership();
  }

  /** The role ids a role body names (`organizationRoleIds` and `organizationRoleNames`), checked to be User roles. */
  async function resolveUserRoles(
    db: Executor,
    input: { organizationRoleIds?: string[] | undefined; organizationRoleNames?: string[] | undefined },
  ): Promise<string[]> {
    const fromNames = input.organizationRoleNames?.length
      ? await organizationRoles.roleIdsByNames(db, input.organizationRoleNames)
      : [];
    const ids = dedupe([...(input.organizationRoleIds ?? []), ...fromNames]);
    await organizationRoles.rolesOfTypeOrThrow(db, ids, 'User');
    return ids;
  }

  return {
    organizationOrThrow,

    async createOrganization(db: Executor, input: OrganizationInput & { name: string }): Promise<Organization> {
      const row: OrganizationsTable = {
        id: randomString(ORGANIZATION_ID_LENGTH),
        name: input.name,
        description: input.description ?? null,
        custom_data: JSON.stringify(input.customData ?? {}),
        is_mfa_required: input.isMfaRequired ?? false,
        is_trusted_device_allowed: input.isTrustedDeviceAllowed ?? true,
        color: JSON.stringify(pick(input.color ?? {}, COLOR_KEYS)),
        branding: JSON.stringify(pick(input.branding ?? {}, BRANDING_KEYS)),
        custom_css: input.customCss ?? null,
        created_at: now(),
      };
      await store.insertOrganization(db, row);
      return toOrganization(row);
    },

    async getOrganization(id: string): Promise<Organization> {
      return toOrganization(await organizationOrThrow(deps.db, id));
    },

    /** Newest first; with `showFeatured`, each with `usersCount` and up to three `featuredUsers`. */
    async listOrganizations(q: string | undefined, showFeatured: boolean, page: Page) {
      const [rows, total] = await Promise.all([
        store.listOrganizations(deps.db, q, page),
        store.countOrganizations(deps.db, q),
      ]);
      const list = rows.map(toOrganization);
      if (!showFeatured) return { organizations: list, total };
      const featured = await store.findFeaturedUsers(
        deps.db,
        list.map((o) => o.id),
      );
      return { organizations: list.map((o) => ({ ...o, ...featured.get(o.id)! })), total };
    },

    /** JSON fields are replaced, not merged (Logto's PATCH). An empty body changes nothing. */
    async updateOrganization(db: Executor, id: string, input: OrganizationInput): Promise<Organization> {
      if (!(await store.findOrganizationById(db, id)))
        throw new HeraldError('entity.not_exists', {
          message: 'The organization does not exist.',
          data: { name: 'organization', id },
        });
      const patch: Partial<OrganizationsTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.customData !== undefined) patch.custom_data = JSON.stringify(input.customData);
      if (input.isMfaRequired !== undefined) patch.is_mfa_required = input.isMfaRequired;
      if (input.isTrustedDeviceAllowed !== undefined) patch.is_trusted_device_allowed = input.isTrustedDeviceAllowed;
      if (input.color !== undefined) patch.color = JSON.stringify(pick(input.color, COLOR_KEYS));
      if (input.branding !== undefined) patch.branding = JSON.stringify(pick(input.branding, BRANDING_KEYS));
      if (input.customCss !== undefined) patch.custom_css = input.customCss;
      if (Object.keys(patch).length) await store.updateOrganizationById(db, id, patch);
      return toOrganization(await organizationOrThrow(db, id));
    },

    async deleteOrganization(db: Executor, id: string): Promise<void> {
      if (!(await store.deleteOrganizationById(db, id))) throw notFound('organization', id);
    },

    // user members

    /** Members with their organization roles (`organizationRoles: [{id, name}]`, by name). An unknown organization has none. */
    async listMembers(organizationId: string, filter: store.MemberFilter, page: Page) {
      const [rows, total] = await Promise.all([
        store.listMemberUsers(deps.db, organizationId, filter, page),
        store.countMemberUsers(deps.db, organizationId, filter),
      ]);
      const roles = await store.findRolesOfMembers(
        deps.db,
        organizationId,
        rows.map((r) => r.id),
      );
      const users = rows.map((row) => {
        const { hasPassword: _hasPassword, ...user } = toUser(row);
        return {
          ...user,
          organizationRoles: roles.filter((r) => r.user_id === row.id).map((r) => ({ id: r.id, name: r.name })),
        };
      });
      return { users, total };
    },

    /** POST: adds the users who are not members yet; answers who was truly added. */
    async addMembers(
      db: Executor,
      organizationId: string,
      userIds: readonly string[],
    ): Promise<{ addedUserIds: string[] }> {
      const ids = dedupe(userIds);
      await lockOrganizationOrThrow(db, organizationId);
      await assertUsersExist(db, ids);
      return { addedUserIds: await store.insertMemberUsers(db, organizationId, ids, now()) };
    },

    /** PUT: the organization ends with exactly these users; their roles leave with those removed. */
    async replaceMembers(
      db: Executor,
      organizationId: string,
      userIds: readonly string[],
    ): Promise<{ addedUserIds: string[]; removedUserIds: string[] }> {
      const ids = dedupe(userIds);
      await lockOrganizationOrThrow(db, organizationId);
      await assertUsersExist(db, ids);
      const removedUserIds = await store.deleteMemberUsersExcept(db, organizationId, ids);
      return { addedUserIds: await store.insertMemberUsers(db, organizationId, ids, now()), removedUserIds };
    },

    async removeMember(db: Executor, organizationId: string, userId: string): Promise<void> {
      if (
        !(await store.lockOrganization(db, organizationId)) ||
        (await store.deleteMemberUsers(db, organizationId, [userId])).length === 0
      ) {
        throw notFound('organization user', userId);
      }
    },

    /** Invitation acceptance: makes the user a member (if not one yet) and gives the roles; answers both deltas. */
    async admitMember(
      db: Executor,
      organizationId: string,
      userId: string,
      roleIds: readonly string[],
    ): Promise<{ addedUserIds: string[]; addedOrganizationRoleIds: string[] }> {
      await lockOrganizationOrThrow(db, organizationId);
      const at = now();
      const addedUserIds = await store.insertMemberUsers(db, organizationId, [userId], at);
      await lockMemberOrThrow(db, organizationId, userId);
      return {
        addedUserIds,
        addedOrganizationRoleIds: await store.insertMemberRoles(db, organizationId, userId, dedupe(roleIds), at),
      };
    },

    // a member's organization roles

    async listMemberRoles(organizationId: string, userId: string, page: Page | undefined) {
      await assertMember(deps.db, organizationId, userId);
      const [rows, total] = await Promise.all([
        store.listRolesOfMember(deps.db, organizationId, userId, page),
        store.countRolesOfMember(deps.db, organizationId, userId),
      ]);
      return { roles: rows.map(toOrganizationRole), total };
    },

    /** POST: gives the roles not held yet; answers the roles named and those truly added. */
    async addMemberRoles(
      db: Executor,
      organizationId: string,
      userId: string,
      input: { organizationRoleIds?: string[] | undefined; organizationRoleNames?: string[] | undefined },
    ): Promise<{ organizationRoleIds: string[]; added: string[] }> {
      await lockMemberOrThrow(db, organizationId, userId);
      const ids = await resolveUserRoles(db, input);
      return { organizationRoleIds: ids, added: await store.insertMemberRoles(db, organizationId, userId, ids, now()) };
    },

    /** PUT: the member ends with exactly these roles. */
    async replaceMemberRoles(
      db: Executor,
      organizationId: string,
      userId: string,
      input: { organizationRoleIds?: string[] | undefined; organizationRoleNames?: string[] | undefined },
    ): Promise<{ added: string[]; removed: string[] }> {
      await lockMemberOrThrow(db, organizationId, userId);
      const ids = await resolveUserRoles(db, input);
      const removed = await store.deleteMemberRolesExcept(db, organizationId, userId, ids);
      return { added: await store.insertMemberRoles(db, organizationId, userId, ids, now()), removed };
    },

    async removeMemberRole(db: Executor, organizationId: string, userId: string, roleId: string): Promise<void> {
      await lockMemberOrThrow(db, organizationId, userId);
      if ((await store.deleteMemberRoles(db, organizationId, userId, [roleId])).length === 0)
        throw notFound('organization user role', roleId);
    },

    /**
     * Bulk: gives every one of these members every one of these User roles (those held already
     * stay). 422 `entity.relation_foreign_key_not_found` for an unknown organization or role or a
     * user who is not a member, as Logto's foreign keys answer. Answers, per user, the roles added.
     */
    async addMembersRoles(
      db: Executor,
      organizationId: string,
      userIds: readonly string[],
      roleIds: readonly string[],
    ): Promise<{ userId: string; added: string[] }[]> {
      const ids = dedupe(userIds);
      assertBulkSize(ids, dedupe(roleIds), 'userIds');
      await lockOrganizationOrThrow(db, organizationId);
      const members = new Set(await store.findMemberUserIds(db, organizationId, ids));
      const notMembers = ids.filter((id) => !members.has(id));
      if (notMembers.length) throw missingReference('organization user', notMembers);
      const roles = dedupe(roleIds);
      await organizationRoles.rolesOfTypeOrThrow(db, roles, 'User');
      const at = now();
      const out: { userId: string; added: string[] }[] = [];
      for (const userId of [...ids].sort())
        out.push({ userId, added: await store.insertMemberRoles(db, organizationId, userId, roles, at) });
      return out;
    },

    /** The organization scopes a user has through their roles in the organization (none for a non-member, as in Logto). */
    async listMemberScopes(organizationId: string, userId: string) {
      return (await store.findScopesOfMember(deps.db, organizationId, userId)).map(toOrganizationScope);
    },

    /** Every organization the user is a member of, each with the user's `organizationRoles`. 404 for an unknown user. */
    async listUserOrganizations(userId: string) {
      if (!(await deps.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()))
        throw notFound('user', userId);
      const [rows, roles] = await Promise.all([
        store.listOrganizationsOfUser(deps.db, userId),
        store.findRolesOfUserInOrganizations(deps.db, userId),
      ]);
      return rows.map((row) => ({
        ...toOrganization(row),
        organizationRoles: roles.filter((r) => r.organization_id === row.id).map((r) => ({ id: r.id, name: r.name })),
      }));
    },

    /** Every organization the application is a member of (a page when asked), each with the application's `organizationRoles`. 404 for an unknown application. */
    async listApplicationOrganizations(applicationId: string, page: Page | undefined) {
      if (!(await deps.db.selectFrom('applications').select('id').where('id', '=', applicationId).executeTakeFirst())) {
        throw notExistsWithId('application', applicationId);
      }
      const [rows, total] = await Promise.all([
        store.listOrganizationsOfApplication(deps.db, applicationId, page),
        store.countOrganizationsOfApplication(deps.db, applicationId),
      ]);
      const roles = await store.findRolesOfApplicationInOrganizations(
        deps.db,
        applicationId,
        rows.map((r) => r.id),
      );
      const organizations = rows.map((row) => ({
        ...toOrganization(row),
        organizationRoles: roles.filter((r) => r.organization_id === row.id).map((r) => ({ id: r.id, name: r.name })),
      }));
      return { organizations, total };
    },

    // application members

    /** Application members, each with its organization roles (`organizationRoles: [{id, name}]`, by name). */
    async listApplications(organizationId: string, q: string | undefined, page: Page) {
      const [rows, total] = await Promise.all([
        store.listMemberApplications(deps.db, organizationId, q, page),
        store.countMemberApplications(deps.db, organizationId, q),
      ]);
      const roles = await store.findRolesOfApplications(
        deps.db,
        organizationId,
        rows.map((r) => r.id),
      );
      const applications = rows.map((row) => ({
        ...toApplication(row),
        organizationRoles: roles.filter((r) => r.application_id === row.id).map((r) => ({ id: r.id, name: r.name })),
      }));
      return { applications, total };
    },

    async addApplications(
      db: Executor,
      organizationId: string,
      applicationIds: readonly string[],
    ): Promise<{ addedApplicationIds: string[] }> {
      const ids = dedupe(applicationIds);
      await lockOrganizationOrThrow(db, organizationId);
      await assertMachineApplications(db, ids);
      return { addedApplicationIds: await store.insertMemberApplications(db, organizationId, ids, now()) };
    },

    async replaceApplications(
      db: Executor,
      organizationId: string,
      applicationIds: readonly string[],
    ): Promise<{ addedApplicationIds: string[]; removedApplicationIds: string[] }> {
      const ids = dedupe(applicationIds);
      await lockOrganizationOrThrow(db, organizationId);
      await assertMachineApplications(db, ids);
      const removedApplicationIds = await store.deleteMemberApplicationsExcept(db, organizationId, ids);
      return {
        addedApplicationIds: await store.insertMemberApplications(db, organizationId, ids, now()),
        removedApplicationIds,
      };
    },

    // an application member's organization roles (MachineToMachine roles only)

    async listApplicationRoles(organizationId: string, applicationId: string, page: Page | undefined) {
      await assertApplicationMember(deps.db, organizationId, applicationId);
      const [rows, total] = await Promise.all([
        store.listRolesOfApplication(deps.db, organizationId, applicationId, page),
        page ? store.countRolesOfApplication(deps.db, organizationId, applicationId) : 0,
      ]);
      return { roles: rows.map(toOrganizationRole), total };
    },

    /** POST: gives the roles not held yet; answers those truly added. */
    async addApplicationRoles(
      db: Executor,
      organizationId: string,
      applicationId: string,
      roleIds: readonly string[],
    ): Promise<string[]> {
      await lockApplicationMemberOrThrow(db, organizationId, applicationId);
      const ids = dedupe(roleIds);
      await organizationRoles.rolesOfTypeOrThrow(db, ids, 'MachineToMachine');
      return store.insertApplicationRoles(db, organizationId, applicationId, ids, now());
    },

    /** PUT: the application ends with exactly these roles. */
    async replaceApplicationRoles(
      db: Executor,
      organizationId: string,
      applicationId: string,
      roleIds: readonly string[],
    ): Promise<{ added: string[]; removed: string[] }> {
      await lockApplicationMemberOrThrow(db, organizationId, applicationId);
      const ids = dedupe(roleIds);
      await organizationRoles.rolesOfTypeOrThrow(db, ids, 'MachineToMachine');
      const removed = await store.deleteApplicationRolesExcept(db, organizationId, applicationId, ids);
      return { added: await store.insertApplicationRoles(db, organizationId, applicationId, ids, now()), removed };
    },

    async removeApplicationRole(
      db: Executor,
      organizationId: string,
      applicationId: string,
      roleId: string,
    ): Promise<void> {
      await lockApplicationMemberOrThrow(db, organizationId, applicationId);
      if ((await store.deleteApplicationRoles(db, organizationId, applicationId, [roleId])).length === 0)
        throw notFound('organization application role', roleId);
    },

    /**
     * Bulk: gives every one of these application members every one of these roles (those held
     * already stay). 422 `entity.relation_foreign_key_not_found` for an unknown organization or
     * role or an application that is not a member, as Logto's foreign keys answer.
     */
    async addApplicationsRoles(
      db: Executor,
      organizationId: string,
      applicationIds: readonly string[],
      roleIds: readonly string[],
    ): Promise<void> {
      const appIds = dedupe(applicationIds);
      assertBulkSize(appIds, dedupe(roleIds), 'applicationIds');
      await lockOrganizationOrThrow(db, organizationId);
      const members = new Set(await store.findMemberApplicationIds(db, organizationId, appIds));
      const notMembers = appIds.filter((id) => !members.has(id));
      if (notMembers.length) throw missingReference('organization application', notMembers);
      const ids = dedupe(roleIds);
      await organizationRoles.rolesOfTypeOrThrow(db, ids, 'MachineToMachine');
      const at = now();
      for (const applicationId of [...appIds].sort())
        await store.insertApplicationRoles(db, organizationId, applicationId, ids, at);
    },

    async removeApplication(db: Executor, organizationId: string, applicationId: string): Promise<void> {
      if (
        !(await store.lockOrganization(db, organizationId)) ||
        (await store.deleteMemberApplications(db, organizationId, [applicationId])).length === 0
      ) {
        throw notFound('organization application', applicationId);
      }
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
