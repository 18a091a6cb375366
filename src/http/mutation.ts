/**
 * Management API writes that emit Logto's data events. A route that changes data runs its work
 * through `mutate()`: the work, the route's own event (`config.hookEvent`, from Logto's
 * `managementApiHooksRegistration`) and any explicit events share one transaction, so an event
 * exists if and only if its change committed, and a failed request emits nothing.
 *
 * Each event's context is Logto's management-API context: `{userAgent, ip, path, method, status,
 * params, matchedRoute, data}`, with `path` and `matchedRoute` without the `/api` prefix and
 * `data` the response body (absent when the response has none).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import { transaction, type Tx } from '../db/tx.ts';
import type { Emitter } from '../delivery/outbox.ts';
import type { HookEvent } from '../events/index.ts';
import { userAgentOf } from './client-info.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The data event this route emits on success, with the response body as `data`. */
    hookEvent?: HookEvent;
  }
}

export interface MutationContext {
  readonly tx: Tx;
  /** Emits another event from this request (after the route's own), with `extra` over the request context. */
  emit(event: HookEvent, extra: Record<string, unknown>): void;
}

const stripApiPrefix = (path: string) => (path.startsWith('/api/') ? path.slice(4) : path);

export function managementContext(request: FastifyRequest, status: number): Record<string, unknown> {
  return {
    userAgent: userAgentOf(request),
    ip: request.ip,
    path: stripApiPrefix(request.url.split('?')[0] ?? ''),
    method: request.method,
    status,
    params: request.params,
    matchedRoute: stripApiPrefix(request.routeOptions.url ?? ''),
  };
}

export function createMutationRunner(deps: { db: Kysely<DB>; emitter: Emitter }) {
  return async function mutate<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    work: (ctx: MutationContext) => Promise<T>,
  ): Promise<T> {
    const result = await transaction(deps.db, async (tx) => {
      const extra: { event: HookEvent; context: Record<string, unknown> }[] = [];
      const body = await work({ tx, emit: (event, context) => extra.push({ event, context }) });
      const base = managementContext(request, status);
      const own = request.routeOptions.config.hookEvent;
      // Logto's order: the events a handler adds, then the route's own; all in one multi-row write.
      await deps.emitter.emitMany(tx, [
        ...extra.map((e) => ({ event: e.event, context: { ...base, ...e.context } })),
        ...(own ? [{ event: own, context: { ...base, data: body ?? undefined } }] : []),
      ]);
      return body;
    });
    reply.status(status);
    return result;
  };
}

export type Mutate = ReturnType<typeof createMutationRunner>;
