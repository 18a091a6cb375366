/**
 * Claiming due deliveries on SQLite. One Herald instance owns a SQLite file and its dispatcher
 * claims on one connection, so no row locks are needed, and a claim is one statement (atomic on
 * its own; a CLI process cannot interleave inside it).
 *
 * Two statements a claim, both prepared once (SQL text, no query-builder compilation: that cost
 * more CPU than SQLite took to run them, bench throughput profile):
 *   1. the enabled hooks that are not paused, with what sending needs (a small table, read whole);
 *   2. an UPDATE … RETURNING that leases the chosen rows and answers each with its event's payload.
 * Fairness as on PostgreSQL: each hook's oldest due rows (one indexed range read per hook,
 * deliveries__hook_due; a window function over all due rows would read the whole backlog on every
 * claim instead), then one from every hook before a second from any (row_number per hook).
 */
import type { Kysely } from 'kysely';
import { runRaw } from '../db/query.ts';
import type { DB } from '../db/types.ts';
import {
  byAge,
  toClaimed,
  type ClaimedDelivery,
  type ClaimedRow,
  type ClaimOptions,
  type SendingHook,
} from './claim.types.ts';

const HOOK_COLUMNS = 'id, config, signing_key, previous_signing_key, previous_signing_key_expires_at';
const HOOKS_SQL = `select ${HOOK_COLUMNS} from hooks where enabled = 1 and listener = 0 and paused = 0`;
const LISTENER_HOOK_SQL = `select ${HOOK_COLUMNS} from hooks where enabled = 1 and listener = 1 and paused = 0 and id = ?`;

/** The claim statement for `hooks` hooks, built once per count. */
const claimText = new Map<number, string>();
function claimSql(hooks: number): string {
  let text = claimText.get(hooks);
  if (text) return text;
  // The status condition is a literal: SQLite uses the partial index only when the query's
  // condition matches the index's own text.
  const perHook = `select * from (select id, hook_id, next_attempt_at from deliveries
     where hook_id = ? and status in ('pending', 'delivering') and next_attempt_at <= ?
     order by next_attempt_at limit ?)`;
  text = `with due as (${Array.from({ length: hooks }, () => perHook).join(' union all ')}),
  ranked as (
    select id, next_attempt_at, row_number() over (partition by hook_id order by next_attempt_at) as rn from due
  )
  update deliveries
     set status = 'delivering', lease_until = ?, next_attempt_at = ?, leased_by = ?, updated_at = ?
   where id in (select id from ranked order by rn, next_attempt_at limit ?)
  returning id, hook_id, event_id, event_name, attempts, created_at,
            (select payload from events where events.id = deliveries.event_id) as payload`;
  if (claimText.size < 256) claimText.set(hooks, text);
  return text;
}

export async function claimDueSqlite(db: Kysely<DB>, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const excluded = new Set(options.excludeHookIds);
  const hooks = new Map<string, SendingHook>();
  const enabled = options.listenerHookId
    ? await runRaw<SendingHook & { id: string }>(db, LISTENER_HOOK_SQL, [options.listenerHookId])
    : await runRaw<SendingHook & { id: string }>(db, HOOKS_SQL, []);
  for (const hook of enabled.rows) if (!excluded.has(hook.id)) hooks.set(hook.id, hook);
  if (hooks.size === 0 || options.limit <= 0) return [];
  const leaseUntil = options.now + options.leaseMs;
  const parameters: unknown[] = [];
  for (const id of hooks.keys()) parameters.push(id, options.now, options.perHook);
  parameters.push(leaseUntil, leaseUntil, options.leaseToken, options.now, options.limit);
  const { rows } = await runRaw<ClaimedRow>(db, claimSql(hooks.size), parameters);
  return rows.map((row) => toClaimed(row, hooks.get(row.hook_id) as SendingHook, options.now)).sort(byAge);
}
