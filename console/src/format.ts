import type { ExecutionStats, Hook } from '../../src/hooks/schemas.ts';

export const dateTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '—'
    : new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const hour = (ms: number, withDay: boolean): string =>
  new Date(ms).toLocaleString(
    undefined,
    withDay ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
  );

export function successRate(stats: ExecutionStats | undefined): string {
  if (!stats || stats.requestCount === 0) return '—';
  return `${Math.round((stats.successCount / stats.requestCount) * 1000) / 10} %`;
}

/** A body for a <pre>: JSON indented, anything else as text. */
export function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? '';
}

/** A value for <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** What a hook is subscribed to: `events`, or Logto's legacy single `event` when `events` is empty. */
export const subscribedEvents = (hook: Pick<Hook, 'events' | 'event'>): string[] =>
  hook.events.length ? hook.events : hook.event ? [hook.event] : [];

/** Below this share of attempts delivered in 24 h a webhook reads as degraded. */
export const DEGRADED_BELOW = 0.95;

export interface HookHealthWord {
  /** One word a person reads at a glance. */
  word: 'Healthy' | 'Degraded' | 'Failing' | 'No traffic' | 'Paused' | 'Disabled';
  /** The badge's colour: ok (green), warn (amber), bad (red), idle (grey). */
  tone: 'ok' | 'warn' | 'bad' | 'idle';
}

/** A webhook's state and its last 24 hours in one word: not only "Enabled" when nothing arrives. */
export function hookHealth(hook: Pick<Hook, 'enabled' | 'paused' | 'executionStats'>): HookHealthWord {
  if (!hook.enabled) return { word: 'Disabled', tone: 'bad' };
  if (hook.paused) return { word: 'Paused', tone: 'warn' };
  const stats = hook.executionStats;
  if (!stats || stats.requestCount === 0) return { word: 'No traffic', tone: 'idle' };
  const rate = stats.successCount / stats.requestCount;
  if (rate === 0) return { word: 'Failing', tone: 'bad' };
  if (rate < DEGRADED_BELOW) return { word: 'Degraded', tone: 'warn' };
  return { word: 'Healthy', tone: 'ok' };
}
