/** The values in first-seen order, each once. */
export const dedupe = <T>(values: readonly T[]): T[] => [...new Set(values)];
