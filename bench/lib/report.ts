import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.ts';

export interface Figure {
  scenario: string;
  /** Herald's store, or the queue a baseline ran on (bench/scenarios/queues.ts). */
  store: Store | 'bullmq' | 'graphile-worker';
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const file = `${RESULTS_DIR}${new Date().toISOString().slice(0, 10)}.jsonl`;

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Prints one JSON line per figure and appends it to bench/results/<date>.jsonl. */
export function report(figure: Omit<Figure, 'baseline' | 'ratio'> & { baseline?: number | null }): Figure {
  const baseline = figure.baseline ?? null;
  const out: Figure = {
    ...figure,
    value: Number(figure.value.toFixed(3)),
    baseline: baseline === null ? null : Number(baseline.toFixed(3)),
    ratio: baseline ? Number((figure.value / baseline).toFixed(3)) : null,
  };
  const line = JSON.stringify(out);
  process.stdout.write(`${line}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(file, `${line}\n`);
  return out;
}
