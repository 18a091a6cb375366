/**
 * Times as people write them, in query strings and bodies (`since`/`until`, `start_time`/`end_time`):
 * epoch milliseconds (`1796292000000`, as a number or digits) or ISO 8601: a date and time with `Z`
 * or an offset (`2026-12-03T10:00:00Z`, `2026-12-03T11:00:00.250+01:00`, `2026-12-03 10:00Z`), or a
 * date alone (`2026-12-03`, midnight UTC). A date and time without a zone is refused rather than
 * read in the server's time zone. One parser for every route, so each accepts the same forms.
 */
import { Type } from 'typebox';
import { HeraldError } from './errors.ts';

export const TIME_FORMS =
  'epoch milliseconds (`1796292000000`) or ISO 8601 (`2026-12-03T10:00:00Z`, with an offset `2026-12-03T11:00:00+01:00`, or a date `2026-12-03`, midnight UTC)';

/**
 * The schema of a time parameter: an integer (epoch ms; digits in a query string become one) or a
 * string, which `parseTime` reads. The route calls `parseTime` on the value.
 */
export const TimeParam = (description: string) =>
  Type.Union(
    [
      Type.Integer({ description: 'Epoch milliseconds.' }),
      Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601, with `Z` or an offset, or a date alone.' }),
    ],
    { description: `${description} A time: ${TIME_FORMS}.`, examples: ['2026-12-03T10:00:00Z', 1796292000000] },
  );

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** `text` as epoch ms; a string saying what is wrong with it otherwise. */
function fromText(text: string): number | string {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : 'is too large for epoch milliseconds';
  }
  const date = DATE.exec(text);
  const dateTime = date ? undefined : DATE_TIME.exec(text);
  const parts = date ?? dateTime;
  if (!parts) return 'is neither epoch milliseconds nor an ISO 8601 time';
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts.slice(1, 7).map((p) => Number(p ?? 0));
  const millis = dateTime?.[7] ? Number(dateTime[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (dateTime && !dateTime[8] && !dateTime[9])
    return 'has no time zone: end it with Z (UTC) or an offset such as +01:00';
  const sign = dateTime?.[9] === '-' ? -1 : 1;
  const offsetHours = Number(dateTime?.[10] ?? 0);
  const offsetMinutes = Number(dateTime?.[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return 'has an offset out of range';
  if (hour > 23 || minute > 59 || second > 59) return 'has a time of day out of range';
  const y = year ?? 0;
  const m = month ?? 0;
  const d = day ?? 0;
  const midnight = Date.UTC(y, m - 1, d);
  const check = new Date(midnight);
  if (m < 1 || m > 12 || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
    return 'is not a calendar date';
  const value = midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return value - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * A time parameter as epoch milliseconds, or undefined when absent. `field` names it as the error
 * model does (`query.since`, `body.until`); a value that is not a time, or is before 1970, is 400
 * `guard.invalid_input` naming it.
 */
export function parseTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  let result: number | string;
  if (typeof value === 'number') result = Number.isSafeInteger(value) ? value : 'is not a whole number of milliseconds';
  else if (typeof value === 'string') result = fromText(value.trim());
  else result = 'is not a time';
  if (typeof result === 'number' && result < 0) result = 'is before 1970-01-01T00:00:00Z';
  if (typeof result === 'string') {
    const name = field.slice(field.lastIndexOf('.') + 1);
    throw new HeraldError('guard.invalid_input', {
      message: `${name} ${result} (got ${JSON.stringify(value)}); give ${TIME_FORMS}.`,
      data: { field },
    });
  }
  return result;
}
