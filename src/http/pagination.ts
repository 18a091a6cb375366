/**
 * Logto's page-based paging: `page` (from 1) and `page_size` (1–100, default 20) in the query; the
 * answer carries `Total-Number` and a `Link` header with first/prev/next/last. Where paging is
 * optional (as for `GET /api/hooks`), a request with neither parameter gets every row.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HeraldError } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const PaginationQuery = {
  page: Type.Optional(Type.String({ description: 'Page number, from 1.' })),
  page_size: Type.Optional(
    Type.String({ description: `Items per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` }),
  ),
};

export interface Page {
  offset: number;
  limit: number;
  page: number;
  pageSize: number;
}

function parsePositive(raw: string, name: string, max?: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || (max !== undefined && value > max)) {
    throw new HeraldError('guard.invalid_pagination', {
      message: `The request pagination value is invalid: ${name} must be a whole number from 1${max ? ` to ${max}` : ''}.`,
      data: { field: `query.${name}` },
    });
  }
  return value;
}

/** The requested page, or undefined when paging is optional and not asked for. */
export function parsePage(
  query: { page?: string | undefined; page_size?: string | undefined },
  optional: boolean,
): Page | undefined {
  if (optional && query.page === undefined && query.page_size === undefined) return undefined;
  const page = query.page === undefined ? 1 : parsePositive(query.page, 'page');
  const pageSize =
    query.page_size === undefined ? DEFAULT_PAGE_SIZE : parsePositive(query.page_size, 'page_size', MAX_PAGE_SIZE);
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}

/** Sets `Total-Number` and `Link` (absolute URLs, other query parameters kept) as Logto does. */
export function setPageHeaders(request: FastifyRequest, reply: FastifyReply, page: Page, total: number): void {
  const lastPage = Math.max(1, Math.ceil(total / page.pageSize));
  const [path, search = ''] = request.url.split('?');
  const link = (n: number, rel: string) => {
    const params = new URLSearchParams(search);
    params.set('page', String(n));
    params.set('page_size', String(page.pageSize));
    return `<${request.protocol}://${request.host}${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page.page > 1) links.push(link(Math.min(page.page - 1, lastPage), 'prev'));
  if (page.page < lastPage) links.push(link(page.page + 1, 'next'));
  links.push(link(lastPage, 'last'));
  reply.header('Total-Number', String(total));
  reply.header('Link', links.join(', '));
}
