/** `true`, `1`, `yes` (any case) turn a query flag on, as Logto's `yes()`; anything else, or absence, is off. */
export const isYes = (value: unknown): boolean =>
  typeof value === 'string' && ['true', '1', 'yes', 'y', 'on'].includes(value.toLowerCase());
