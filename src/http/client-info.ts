/**
 * What events take from the request that made them, bounded: an anonymous client chooses these
 * strings, and each is stored in every event and sent to every subscribed hook.
 */
import type { FastifyRequest } from 'fastify';

/** Longest `userAgent` stored in an event; longer ones are cut (real browsers send under 300). */
export const USER_AGENT_MAX_LENGTH = 512;

/** The request's User-Agent, cut to USER_AGENT_MAX_LENGTH characters (undefined when absent). */
export function userAgentOf(request: FastifyRequest): string | undefined {
  const value = request.headers['user-agent'];
  return value === undefined ? undefined : value.slice(0, USER_AGENT_MAX_LENGTH);
}
