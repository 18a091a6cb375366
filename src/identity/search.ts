/**
 * Logto's search query parameters for lists: `search=<v>` (any allowed field), `search.<field>=<v>`
 * (one field), `mode`/`mode.<field>` = `like` (default; case-insensitive LIKE, the value used as
 * given, so clients send `%foo%`) or `exact` (case-insensitive equality), and `joint`/`jointMode`
 * = `or` (default) or `and`. A bad key, field or mode answers 400 `request.invalid_input`.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { HeraldError } from '../http/errors.ts';

export interface SearchTerm {
  /** Column names to match; several for a general `search`. */
  columns: string[];
  value: string;
  mode: 'like' | 'exact';
}

export interface Search {
  terms: SearchTerm[];
  joint: 'or' | 'and';
}

const invalid = (details: string) => new HeraldError('request.invalid_input', { message: `Input is invalid. ${details}`, details });

/**
 * Reads the search parameters from a query object. `fields` maps API field names (camelCase) to
 * columns.
 */
export function parseSearch(query: Record<string, unknown>, fields: Record<string, string>): Search | undefined {
  const terms: SearchTerm[] = [];
  const modes = new Map<string, string>();
  let joint: 'or' | 'and' = 'or';
  for (const [key, raw] of Object.entries(query)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value !== 'string') continue;
    if (key === 'joint' || key === 'jointMode') {
      if (value !== 'or' && value !== 'and') throw invalid(`${key} must be "or" or "and".`);
      joint = value;
    } else if (key === 'mode' || key.startsWith('mode.')) {
      modes.set(key === 'mode' ? '' : key.slice(5), value);
    }
  }
  const modeOf = (field: string): 'like' | 'exact' => {
    const mode = modes.get(field) ?? modes.get('') ?? 'like';
    if (mode !== 'like' && mode !== 'exact') throw invalid(`Search mode "${mode}" is not supported; use like or exact.`);
    return mode;
  };
  for (const [key, raw] of Object.entries(query)) {
    if (key !== 'search' && !key.startsWith('search.')) continue;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value !== 'string' || value === '') throw invalid(`${key} needs a value.`);
    // `\` escapes `%`, `_` and itself on both stores; a trailing lone `\` escapes nothing.
    if (/(^|[^\\])(\\\\)*\\$/.test(value)) throw invalid(`${key} ends with an unpaired backslash; write \\\\ for a literal one.`);
    if (key === 'search') {
      terms.push({ columns: Object.values(fields), value, mode: modeOf('') });
      continue;
    }
    const field = key.slice('search.'.length);
    const column = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!column) throw invalid(`Cannot search by "${field}"; searchable fields: ${Object.keys(fields).join(', ')}.`);
    terms.push({ columns: [column], value, mode: modeOf(field) });
  }
  return terms.length ? { terms, joint } : undefined;
}

/** The search as a WHERE condition (case-insensitive on both stores). */
export function searchCondition<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, search: Search): Expression<SqlBool> {
  const termConditions = search.terms.map((term) =>
    eb.or(
      term.columns.map((column) =>
        term.mode === 'exact'
          ? eb(sql`lower(${sql.ref(column)})`, '=', term.value.toLowerCase())
          : eb(sql`lower(${sql.ref(column)})`, 'like', sql`${term.value.toLowerCase()} escape '\\'`),
      ),
    ),
  );
  return search.joint === 'and' ? eb.and(termConditions) : eb.or(termConditions);
}
