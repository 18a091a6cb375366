/**
 * The interaction cookie: `herald_interaction=<interaction id>.<HMAC-SHA256 of the id, base64url>`,
 * httpOnly, SameSite=Lax, scoped to /api/experience. The id alone is unguessable (21 random
 * characters); the signature means a cookie cannot be made up from an id seen elsewhere (webhook
 * payloads carry it as `sessionId`). Compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const INTERACTION_COOKIE = 'herald_interaction';

export function createCookieSigner(secret: string) {
  const sign = (id: string) => createHmac('sha256', secret).update(id).digest('base64url');
  return {
    set(request: FastifyRequest, reply: FastifyReply, id: string, maxAgeSeconds: number): void {
      // request.protocol reads X-Forwarded-Proto only from a proxy HERALD_TRUST_PROXY trusts.
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${INTERACTION_COOKIE}=${id}.${sign(id)}; Path=/api/experience; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`,
      );
    },
    clear(request: FastifyRequest, reply: FastifyReply): void {
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${INTERACTION_COOKIE}=; Path=/api/experience; HttpOnly; SameSite=Lax; Max-Age=0${secure}`,
      );
    },
    /** The interaction id of a well-signed cookie, or undefined. */
    read(request: FastifyRequest): string | undefined {
      const header = request.headers.cookie;
      if (!header) return undefined;
      for (const part of header.split(';')) {
        const [name, ...rest] = part.trim().split('=');
        if (name !== INTERACTION_COOKIE) continue;
        const [id, signature] = rest.join('=').split('.');
        if (!id || !signature || !/^[0-9a-z]{21}$/.test(id)) return undefined;
        const expected = Buffer.from(sign(id));
        const given = Buffer.from(signature);
        return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
      }
      return undefined;
    },
  };
}

export type CookieSigner = ReturnType<typeof createCookieSigner>;
