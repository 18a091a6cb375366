/** What a claim is asked for and what it answers, shared by claim.ts and the store's implementations. */
export interface ClaimOptions {
  now: number;
  /** Most deliveries to claim in all (free global slots). */
  limit: number;
  /** Most deliveries to claim for one hook (the per-hook cap). */
  perHook: number;
  /** Hooks already at their cap in this instance: claim nothing for them. */
  excludeHookIds: readonly string[];
  leaseMs: number;
  /** Unique to this claim: only completions carrying it may change the rows it claims. */
  leaseToken: string;
  /**
   * Claim this listener hook's deliveries only (`herald listen`'s stream). Without it a claim takes
   * the deliveries of every enabled hook but listener hooks, whose deliveries only their stream sends.
   */
  listenerHookId?: string | undefined;
}

/** What the sender needs for one claimed delivery: the claim answers it whole, in one statement. */
export interface ClaimedDelivery {
  id: string;
  hookId: string;
  eventId: string;
  eventName: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
  url: string;
  customHeaders: Record<string, string> | undefined;
  signingKey: string;
  /** The previous key while its rotation grace period lasts. */
  previousSigningKey: string | undefined;
  payload: string;
}

/** A claimed row: the delivery's columns and its event's payload. */
export interface ClaimedRow {
  id: string;
  hook_id: string;
  event_id: string;
  event_name: string;
  attempts: number;
  created_at: number;
  payload: string;
}

/** The columns of a hook that sending needs. */
export interface SendingHook {
  config: string;
  signing_key: string;
  previous_signing_key: string | null;
  previous_signing_key_expires_at: number | null;
}

/** Parsed hook configs by their JSON text: a claim of many deliveries for one hook parses it once. */
const configs = new Map<string, { url: string; headers?: Record<string, string> }>();
const CONFIG_CACHE_MAX = 1024;

function parseConfig(text: string): { url: string; headers?: Record<string, string> } {
  let config = configs.get(text);
  if (!config) {
    config = JSON.parse(text) as { url: string; headers?: Record<string, string> };
    if (configs.size >= CONFIG_CACHE_MAX) configs.clear();
    configs.set(text, config);
  }
  return config;
}

/**
 * A claimed row with its hook, ready to send. Claims answer rows in no particular order; the
 * caller sorts (oldest first within a hook).
 */
export function toClaimed(row: ClaimedRow, hook: SendingHook, now: number): ClaimedDelivery {
  const config = parseConfig(hook.config);
  return {
    id: row.id,
    hookId: row.hook_id,
    eventId: row.event_id,
    eventName: row.event_name,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    url: config.url,
    customHeaders: config.headers,
    signingKey: hook.signing_key,
    previousSigningKey:
      hook.previous_signing_key && Number(hook.previous_signing_key_expires_at ?? 0) > now
        ? hook.previous_signing_key
        : undefined,
    payload: row.payload,
  };
}

/** Oldest first, so a hook's ready queue sends in the order its events happened. */
export const byAge = (a: ClaimedDelivery, b: ClaimedDelivery): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
