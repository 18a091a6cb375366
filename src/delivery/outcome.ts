/**
 * What one attempt's result does to its delivery: delivered (2xx), retried later (retry.ts decides
 * when), failed, or failed with the hook disabled (410 Gone); and the attempt row it records. Shared
 * by the dispatcher and `herald listen`'s stream (listen.ts), whose attempts are the CLI's forwards.
 */
import type { SendResult } from '../outbound/sender.ts';
import { generateRecordId } from '../util/id.ts';
import { decideAfterFailure, parseRetryAfter } from './retry.ts';
import type { Completion } from './store.ts';

export interface AttemptPolicy {
  retryScheduleMs: readonly number[];
  /** Least wait after a timeout or a 429. */
  throttledRetryMinMs: number;
}

export function completionOf(
  delivery: { id: string; hookId: string; leaseToken: string },
  result: SendResult,
  attempt: number,
  startedAt: number,
  at: number,
  policy: AttemptPolicy,
): Exclude<Completion, { kind: 'released' }> {
  const row = {
    id: generateRecordId(at),
    attempt,
    started_at: startedAt,
    duration_ms: result.durationMs,
    result: result.ok ? ('success' as const) : ('error' as const),
    status_code: result.statusCode ?? null,
    response_headers: result.responseHeaders ? JSON.stringify(result.responseHeaders) : null,
    response_body: result.responseBody ?? null,
    error: result.ok ? null : (result.error ?? 'failed'),
  };
  const base = { id: delivery.id, hookId: delivery.hookId, leaseToken: delivery.leaseToken, attempt: row, at };
  if (result.ok) return { kind: 'delivered', ...base };
  const decision = decideAfterFailure({
    attempt,
    scheduleMs: policy.retryScheduleMs,
    statusCode: result.statusCode,
    timedOut: result.timedOut === true,
    permanent: result.blocked === true || result.unsendableUrl === true,
    retryAfterMs: parseRetryAfter(result.responseHeaders?.['retry-after'], at),
    throttledMinMs: policy.throttledRetryMinMs,
  });
  if (decision.kind === 'disable') return { kind: 'disabled', reason: decision.reason, ...base };
  if (decision.kind === 'failed') return { kind: 'failed', ...base };
  return { kind: 'retry', nextAttemptAt: at + decision.delayMs, ...base };
}
