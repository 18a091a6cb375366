/**
 * Logto's search query parameters for lists (packages/core/src/utils/search.ts):
 *
 * - `search=<v>` (every searchable field) and `search.<field>=<v>` (one field; camelCase or
 *   snake_case, one level only);
 * - `mode` / `mode.<field>`: `like` (default; the value is a LIKE pattern, `%` and `_` wildcards,
 *   `\` escapes), `exact` (equality; several values of one field match any of them), `posix` (a
 *   regular expression, unanchored) or `similar_to` (SQL `SIMILAR TO`, which needs
 *   `isCaseSensitive=true`); `like`, `posix` and `similar_to` take one value per field;
 * - `isCaseSensitive=true` (default false: `like`, `exact` and `posix` ignore case);
 * - `joint` / `jointMode` = `or` (default) or `and`.
 *
 * Bad input answers 400 `request.invalid_input` with Logto's message in `details`.
 *
 * Regular expressions run through `regexp_like(value, pattern, flags)` on both stores: PostgreSQL's
 * own (15 and later; its ARE syntax, as Logto's `~`), and on SQLite a function registered on the
 * connection (src/db/sqlite-dialect.ts) that runs RE2, whose matching time is linear in the text
 * whatever the pattern (a backtracking engine would let one `^(a+)+$` hold the API thread for
 * minutes). So on SQLite `posix` patterns use RE2's syntax, which agrees with PostgreSQL's on the
 * common constructs (classes including `[[:digit:]]`, anchors, groups, alternation, bounded and
 * lazy quantifiers) but has no back-references, lookahead or lookbehind, nor `\m`/`\M`/`\y`: those
 * answer 400 on SQLite. `similar_to` and case-sensitive `like` are translated here into a regular
 * expression both engines read alike, so they answer the same on both stores; a `similar_to`
 * construct the translation cannot carry exactly (POSIX bracket classes, `\` inside brackets, a
 * backslash before a letter or digit) is refused with 400 rather than answered differently, and so
 * are back-references in `posix` on both stores (PostgreSQL backtracks on them without bound).
 * Patterns are bounded (MAX_PATTERN_LENGTH).
 */
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { compileRegex } from '../db/sqlite-dialect.ts';
import { HeraldError } from '../http/errors.ts';

export type SearchMode = 'like' | 'exact' | 'posix' | 'similar_to';

export interface SearchTerm {
  /** Column names to match; several for a general `search`. */
  columns: string[];
  /** One value, or several in `exact` mode (any of them matches). */
  values: string[];
  mode: SearchMode;
}

export interface Search {
  terms: SearchTerm[];
  joint: 'or' | 'and';
  isCaseSensitive: boolean;
}

/** Longest `posix` / `similar_to` pattern accepted. */
export const MAX_PATTERN_LENGTH = 256;

// The searchable fields of each list (parseSearch's `fields`): API field name → column.
export const USER_SEARCH_FIELDS = {
  id: 'users.id',
  primaryEmail: 'users.primary_email',
  primaryPhone: 'users.primary_phone',
  username: 'users.username',
  name: 'users.name',
};
export const ROLE_SEARCH_FIELDS = { id: 'roles.id', name: 'roles.name', description: 'roles.description' };
export const SCOPE_SEARCH_FIELDS = { id: 'scopes.id', name: 'scopes.name', description: 'scopes.description' };
export const APPLICATION_SEARCH_FIELDS = {
  id: 'applications.id',
  name: 'applications.name',
  description: 'applications.description',
};

const MODES: readonly SearchMode[] = ['exact', 'like', 'similar_to', 'posix'];
const JOINTS = ['or', 'and'] as const;

const invalid = (details: string) =>
  new HeraldError('request.invalid_input', { message: `Input is invalid. ${details}`, details });

/** @silverhand/essentials `yes()`, which Logto reads `isCaseSensitive` with. */
const yes = (value: string | undefined) =>
  value !== undefined && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value.toLowerCase());

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const valuesOf = (raw: unknown): string[] =>
  (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');

/**
 * Reads the search parameters from a query object. `fields` maps API field names (camelCase) to
 * columns. Answers undefined when nothing is searched.
 */
export function parseSearch(query: Record<string, unknown>, fields: Record<string, string>): Search | undefined {
  const byName = new Map<string, string>();
  for (const [name, column] of Object.entries(fields)) {
    byName.set(name, column);
    byName.set(snakeCase(name), column);
  }
  /** The field a `search.<field>` / `mode.<field>` key names ('' for the general one). */
  const fieldOf = (key: string): string => {
    const path = key.split('.');
    if (path.length > 2)
      throw invalid(
        `Unsupported nested search field path \`${path.slice(1).join('.')}\` detected. Only the first level field is supported.`,
      );
    const field = path[1] ?? '';
    if (path.length === 2 && !byName.has(field)) {
      throw invalid(`Search field \`${field}\` is not valid, expect one of ${Object.keys(fields).join(', ')}.`);
    }
    return field;
  };

  const first = (key: string) => valuesOf(query[key])[0];
  const jointValue = first('joint') || first('jointMode');
  if (jointValue && !(JOINTS as readonly string[]).includes(jointValue)) {
    throw invalid(`Search joint mode \`${jointValue}\` is not valid, expect one of ${JOINTS.join(', ')}.`);
  }
  const joint = (jointValue || 'or') as Search['joint'];
  const isCaseSensitive = yes(first('isCaseSensitive'));

  const modes = new Map<string, SearchMode>();
  const values = new Map<string, string[]>();
  for (const [key, raw] of Object.entries(query)) {
    if (key === 'mode' || key.startsWith('mode.')) {
      const field = fieldOf(key);
      for (const mode of valuesOf(raw)) {
        if (!(MODES as readonly string[]).includes(mode)) {
          throw invalid(
            `Search match mode \`${mode}\`${field ? ` for field \`${field}\`` : ''} is not valid, expect one of ${MODES.join(', ')}.`,
          );
        }
        modes.set(field, mode as SearchMode);
      }
    } else if (key === 'search' || key.startsWith('search.')) {
      const field = fieldOf(key);
      values.set(field, [...(values.get(field) ?? []), ...valuesOf(raw)]);
    }
  }

  const terms: SearchTerm[] = [];
  for (const [field, list] of values) {
    const mode = modes.get(field) ?? modes.get('') ?? 'like';
    if (mode !== 'exact' && list.length !== 1)
      throw invalid('Only one search value is allowed when search mode is not `exact`.');
    if (!list.every(Boolean)) throw invalid('Search value cannot be empty.');
    if (mode === 'similar_to' && !isCaseSensitive) throw invalid('Cannot use case-insensitive match for `similar to`.');
    const label = field ? `search.${field}` : 'search';
    const value = list[0]!;
    if (mode === 'like' && /(^|[^\\])(\\\\)*\\$/.test(value)) {
      // PostgreSQL refuses a LIKE pattern ending with its escape character.
      throw invalid(`${label} ends with an unpaired backslash; write \\\\ for a literal one.`);
    }
    if (mode === 'posix' || mode === 'similar_to') {
      if (value.length > MAX_PATTERN_LENGTH)
        throw invalid(`The ${mode} pattern of ${label} is longer than ${MAX_PATTERN_LENGTH} characters.`);
      // A back-reference makes PostgreSQL's engine backtrack: `^(.*)(.*)(.*)(.*)(.*)(.*)\1\2\3\4\5\6$`
      // held a connection for 20 s over one 61-character name, and a dozen such requests every
      // connection. SQLite's RE2 has none either, so both stores refuse them alike.
      if (mode === 'posix' && hasBackReference(value))
        throw invalid(`The posix pattern of ${label} uses a back-reference (\\1 to \\9), which Herald does not run.`);
      // Garbage such as `(a` is refused here on either store; what only one store's engine
      // refuses (lookahead on SQLite's RE2, say) is refused by that store: SQLSTATE 2201B, below.
      if (mode === 'posix' ? !compilesAnywhere(value) : !compilesInRe2(similarToRegex(value, label))) {
        throw invalid(`The ${mode} pattern of ${label} is not a valid regular expression.`);
      }
    }
    terms.push({ columns: field ? [byName.get(field)!] : Object.values(fields), values: list, mode });
  }
  return terms.length ? { terms, joint, isCaseSensitive } : undefined;
}

/** `\1`–`\9` outside an escaped backslash (inside a bracket expression too: refused, not parsed). */
const hasBackReference = (pattern: string): boolean => /(^|[^\\])(\\\\)*\\[1-9]/.test(pattern);

const compilesInRe2 = (pattern: string): boolean => {
  try {
    compileRegex(pattern, '');
    return true;
  } catch {
    return false;
  }
};

/** Whether RE2 or JavaScript (a near superset of PostgreSQL's syntax) reads the pattern; compiling never runs it. */
const compilesAnywhere = (pattern: string): boolean => {
  if (compilesInRe2(pattern)) return true;
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  }
};

/** Characters with a meaning in a regular expression; escaped (`\c`) they are literal in JavaScript (also with `u`) and PostgreSQL alike. */
const REGEX_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const literal = (c: string) => (REGEX_SYNTAX.has(c) ? `\\${c}` : c);

/** A LIKE pattern (`%`, `_`, `\` escapes) as an anchored regular expression: exact, for case-sensitive `like`. */
export function likeRegex(pattern: string): string {
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) out += literal(chars[++i]!);
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += literal(c);
  }
  return `^(?:${out})$`;
}

/**
 * SQL `SIMILAR TO` as an anchored regular expression, as PostgreSQL translates it itself
 * (similar_to_escape): `%` `.*`, `_` `.`, `\` escapes, `.` `^` `$` literal, `| * + ? {m,n} ( )`
 * and brackets as in a regular expression. Throws 400 for what it cannot carry exactly.
 */
export function similarToRegex(pattern: string, label = 'search'): string {
  const refuse = (what: string) =>
    invalid(`The similar_to pattern of ${label} uses ${what}, which Herald does not translate; use posix mode.`);
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) throw invalid(`${label} ends with an unpaired backslash; write \\\\ for a literal one.`);
      if (/[\p{L}\p{N}]/u.test(next)) throw refuse(`\\${next}`);
      out += literal(next);
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '.' || c === '^' || c === '$' || c === '/' || c === ']' || c === '}') out += `\\${c}`;
    else if (c === '{') {
      const bound = /^\{(\d{1,3})(,(\d{1,3})?)?\}/.exec(chars.slice(i).join(''));
      if (!bound) throw refuse('a `{` that is not a bound {m}, {m,} or {m,n}');
      out += bound[0];
      i += bound[0].length - 1;
    } else if (c === '[') {
      let j = i + 1;
      let body = '';
      if (chars[j] === '^') body += chars[j++];
      for (; j < chars.length && chars[j] !== ']'; j++) {
        if (chars[j] === '[' || chars[j] === '\\') throw refuse('`[` or `\\` inside a bracket expression');
        body += chars[j];
      }
      if (j >= chars.length || body === '' || body === '^')
        throw refuse('a bracket expression that is empty or not closed');
      out += `[${body}]`;
      i = j;
    } else out += c;
  }
  return `^(?:${out})$`;
}

const regexpLike = (column: string, pattern: string, ignoreCase: boolean): RawBuilder<SqlBool> =>
  sql<SqlBool>`regexp_like(${sql.ref(column)}, ${pattern}, ${ignoreCase ? 'i' : ''})`;

/** The search as a WHERE condition. */
export function searchCondition<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  search: Search,
): Expression<SqlBool> {
  const { isCaseSensitive } = search;
  const one = (term: SearchTerm, column: string): Expression<SqlBool> => {
    const [value] = term.values as [string];
    switch (term.mode) {
      case 'exact': {
        if (isCaseSensitive)
          return term.values.length === 1 ? eb(sql.ref(column), '=', value) : eb(sql.ref(column), 'in', term.values);
        const lowered = term.values.map((v) => v.toLowerCase());
        return lowered.length === 1
          ? eb(sql`lower(${sql.ref(column)})`, '=', lowered[0])
          : eb(sql`lower(${sql.ref(column)})`, 'in', lowered);
      }
      case 'like':
        // Case-sensitive: SQLite's LIKE ignores ASCII case whatever is asked, so both stores match the exact regex.
        return isCaseSensitive
          ? regexpLike(column, likeRegex(value), false)
          : eb(sql`lower(${sql.ref(column)})`, 'like', sql`${value.toLowerCase()} escape '\\'`);
      case 'posix':
        return regexpLike(column, value, !isCaseSensitive);
      case 'similar_to':
        return regexpLike(column, similarToRegex(value), false);
    }
  };
  const termConditions = search.terms.map((term) => eb.or(term.columns.map((column) => one(term, column))));
  return search.joint === 'and' ? eb.and(termConditions) : eb.or(termConditions);
}
