/**
 * Interactions: one sign-in, sign-up or password reset in progress, kept in the database (so any
 * instance can serve the next step) for an hour. The cookie names it (cookie.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, InteractionsTable } from '../db/types.ts';
import { HeraldError } from '../http/errors.ts';
import { deleteInBatches } from '../util/background.ts';
import { generateId } from '../util/id.ts';
import type { IdentifierType } from './sentinel.ts';
import type { TemplateType } from './connector.ts';

export const INTERACTION_EVENTS = ['SignIn', 'Register', 'ForgotPassword'] as const;
export type InteractionEvent = (typeof INTERACTION_EVENTS)[number];
export const INTERACTION_TTL_MS = 60 * 60 * 1000;

export interface Identifier {
  type: IdentifierType;
  value: string;
}

export type VerificationRecord =
  | { id: string; type: 'Password'; identifier: Identifier; userId: string; verified: true }
  /** Logto's sign-up with a new identifier and password: checked free and within the policy, the password hashed. */
  | { id: string; type: 'NewPasswordIdentity'; identifier: Identifier; passwordEncrypted: string; verified: true }
  | {
      id: string;
      type: 'EmailVerificationCode' | 'PhoneVerificationCode';
      identifier: Identifier;
      templateType: TemplateType;
      /** SHA-256 (hex) of the code: the code itself is never stored. */
      codeHash: string;
      /**
       * The user holding the address when the code was sent (null: nobody). Identification
       * refuses a code whose address has a different holder now: a code verified for an unheld
       * look-alike must not sign in whoever later gets an address of that canonical form.
       */
      holderId?: string | null;
      expiresAt: number;
      tries: number;
      consumed: boolean;
      verified: boolean;
    };

export interface Profile {
  username?: string;
  primaryEmail?: string;
  primaryPhone?: string;
  /** An argon2id digest of the new password. */
  passwordEncrypted?: string;
}

export interface Interaction {
  id: string;
  /** `updated_at` as loaded: a save succeeds only if nobody saved in between. */
  version: number;
  event: InteractionEvent;
  applicationId: string | null;
  userId: string | null;
  profile: Profile;
  verifications: VerificationRecord[];
}

const toInteraction = (row: InteractionsTable): Interaction => ({
  id: row.id,
  version: row.updated_at,
  event: row.interaction_event as InteractionEvent,
  applicationId: row.application_id,
  userId: row.user_id,
  profile: JSON.parse(row.profile) as Profile,
  verifications: JSON.parse(row.verifications) as VerificationRecord[],
});

export function createInteractionStore(deps: { db: Kysely<DB>; clock?: () => number }) {
  const now = deps.clock ?? Date.now;
  return {
    async create(event: InteractionEvent, applicationId: string | null): Promise<Interaction> {
      const at = now();
      const row: InteractionsTable = {
        id: generateId(),
        interaction_event: event,
        application_id: applicationId,
        user_id: null,
        profile: '{}',
        verifications: '[]',
        created_at: at,
        updated_at: at,
        expires_at: at + INTERACTION_TTL_MS,
      };
      await deps.db.insertInto('interactions').values(row).execute();
      return toInteraction(row);
    },
    /** The live interaction with this id, or undefined (unknown, finished or expired). */
    async find(id: string): Promise<Interaction | undefined> {
      const row = await deps.db
        .selectFrom('interactions')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return row ? toInteraction(row) : undefined;
    },
    /**
     * Writes the interaction back if no other request saved it since it was loaded (compare and
     * set on `updated_at`): two concurrent steps of one interaction (two code guesses, two
     * identifications) cannot both count. The loser gets 409 `session.conflict`.
     */
    async save(interaction: Interaction, db: Kysely<DB> | Transaction<DB> = deps.db): Promise<void> {
      const next = Math.max(now(), interaction.version + 1);
      const result = await db
        .updateTable('interactions')
        .set({
          interaction_event: interaction.event,
          user_id: interaction.userId,
          profile: JSON.stringify(interaction.profile),
          verifications: JSON.stringify(interaction.verifications),
          updated_at: next,
        })
        .where('id', '=', interaction.id)
        .where('updated_at', '=', interaction.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new HeraldError('session.conflict');
      interaction.version = next;
    },
    /** Ends the interaction; false when it was already ended (by a concurrent submit). */
    async remove(db: Kysely<DB> | Transaction<DB>, id: string): Promise<boolean> {
      return Number((await db.deleteFrom('interactions').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
    },
    /**
     * Removes expired interactions and sentinel records older than `sentinelHorizonMs`, at most
     * `batch` rows per statement, through the `expires_at` and `created_at` indexes; answers the
     * rows removed. Run in the background (experience/index.ts), never in a request.
     */
    async prune(sentinelHorizonMs: number, batch: number, stopping: () => boolean = () => false): Promise<number> {
      const at = now();
      const drain = (
        table: 'interactions' | 'sentinel_activities',
        column: 'expires_at' | 'created_at',
        cutoff: number,
      ) =>
        deleteInBatches(
          () =>
            deps.db
              .deleteFrom(table)
              .where('id', 'in', (eb) =>
                eb.selectFrom(table).select('id').where(sql.ref(column), '<', cutoff).limit(batch),
              )
              .executeTakeFirst(),
          batch,
          stopping,
        );
      return (
        (await drain('interactions', 'expires_at', at)) +
        (await drain('sentinel_activities', 'created_at', at - sentinelHorizonMs))
      );
    },
  };
}

export type InteractionStore = ReturnType<typeof createInteractionStore>;
