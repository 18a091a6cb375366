/** Applications, as Logto's Management API has them (Native, SPA, Traditional, MachineToMachine). */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { ApplicationsTable, DB } from '../../db/types.ts';
import { HeraldError, notExistsWithId } from '../../http/errors.ts';
import { generateId, generateSecret } from '../../util/id.ts';
import type { Application } from '../schemas.ts';
import type { Search } from '../search.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;

export type ApplicationType = Application['type'];
/** Types that authenticate with a client secret. */
const CONFIDENTIAL_TYPES = new Set<string>(['Traditional', 'MachineToMachine']);
const THIRD_PARTY_TYPES = new Set<string>(['Traditional', 'SPA', 'Native']);

export const toApplication = (row: ApplicationsTable): Application => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  secret: row.secret,
  description: row.description,
  type: row.type as ApplicationType,
  oidcClientMetadata: JSON.parse(row.oidc_client_metadata) as Application['oidcClientMetadata'],
  customClientMetadata: JSON.parse(row.custom_client_metadata) as Json,
  protectedAppMetadata: null,
  customData: JSON.parse(row.custom_data) as Json,
  isThirdParty: Boolean(row.is_third_party),
  createdAt: row.created_at,
});

export interface CreateApplicationInput {
  name: string;
  type: ApplicationType;
  description?: string | null | undefined;
  oidcClientMetadata?: Json | undefined;
  customClientMetadata?: Json | undefined;
  customData?: Json | undefined;
  isThirdParty?: boolean | undefined;
}

/** Logto's `customClientMetadata.isDeviceFlow` (OAuth device authorization grant), truthy as Logto reads it. */
const isDeviceFlow = (metadata: Json | undefined): boolean =>
  typeof metadata === 'object' &&
  metadata !== null &&
  !Array.isArray(metadata) &&
  Boolean((metadata as Record<string, unknown>).isDeviceFlow);

export function createApplicationService(deps: { db: Kysely<DB>; clock?: () => number }) {
  const now = deps.clock ?? Date.now;

  async function findOrThrow(db: Executor, id: string): Promise<ApplicationsTable> {
    const row = await store.findApplicationById(db, id);
    if (!row) throw notExistsWithId('application', id);
    return row;
  }

  return {
    findOrThrow,

    async createApplication(db: Executor, input: CreateApplicationInput): Promise<Application> {
      if (input.isThirdParty && !THIRD_PARTY_TYPES.has(input.type))
        throw new HeraldError('application.invalid_third_party_application_type');
      if (input.type !== 'Native' && isDeviceFlow(input.customClientMetadata))
        throw new HeraldError('application.device_flow_native_only');
      const row: ApplicationsTable = {
        id: generateId(),
        name: input.name,
        secret: CONFIDENTIAL_TYPES.has(input.type) ? generateSecret(32) : '',
        description: input.description ?? null,
        type: input.type,
        oidc_client_metadata: JSON.stringify({
          redirectUris: [],
          postLogoutRedirectUris: [],
          ...input.oidcClientMetadata,
        }),
        custom_client_metadata: JSON.stringify(input.customClientMetadata ?? {}),
        custom_data: JSON.stringify(input.customData ?? {}),
        is_third_party: input.isThirdParty ?? false,
        created_at: now(),
      };
      await store.insertApplication(db, row);
      return toApplication(row);
    },

    async getApplication(id: string): Promise<Application> {
      return toApplication(await findOrThrow(deps.db, id));
    },

    async listApplications(filter: store.ApplicationFilter, page?: { offset: number; limit: number }) {
      const rows = await store.listApplications(deps.db, filter, page);
      const total = page ? await store.countApplications(deps.db, filter) : rows.length;
      return { applications: rows.map(toApplication), total };
    },

    /** `type` and `isThirdParty` cannot change (Logto ignores them); metadata objects are replaced whole. */
    async updateApplication(
      db: Executor,
      id: string,
      input: {
        name?: string | undefined;
        description?: string | null | undefined;
        oidcClientMetadata?: Json | undefined;
        customClientMetadata?: Json | undefined;
        customData?: Json | undefined;
      },
    ): Promise<Application> {
      const current = await findOrThrow(db, id);
      // customClientMetadata is replaced whole, so one that leaves out isDeviceFlow would change it (Logto's 422 too).
      if (
        input.customClientMetadata !== undefined &&
        isDeviceFlow(input.customClientMetadata) !== isDeviceFlow(JSON.parse(current.custom_client_metadata) as Json)
      ) {
        throw new HeraldError('application.device_flow_not_changeable');
      }
      const patch: Partial<ApplicationsTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.oidcClientMetadata !== undefined)
        patch.oidc_client_metadata = JSON.stringify({
          redirectUris: [],
          postLogoutRedirectUris: [],
          ...input.oidcClientMetadata,
        });
      if (input.customClientMetadata !== undefined)
        patch.custom_client_metadata = JSON.stringify(input.customClientMetadata);
      if (input.customData !== undefined) patch.custom_data = JSON.stringify(input.customData);
      if (Object.keys(patch).length) await store.updateApplicationById(db, id, patch);
      return toApplication(await findOrThrow(db, id));
    },

    async deleteApplication(db: Executor, id: string): Promise<void> {
      await findOrThrow(db, id);
      await store.deleteApplicationById(db, id);
    },

    /** The fields a webhook payload carries for an application. */
    async findApplicationSummary(
      id: string,
    ): Promise<{ id: string; type: string; name: string; description: string | null } | undefined> {
      const row = await store.findApplicationById(deps.db, id);
      return row ? { id: row.id, type: row.type, name: row.name, description: row.description } : undefined;
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
export type { Search };
