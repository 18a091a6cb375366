/** The form's checks of a hook config: the API's own rules (src/hooks/config-rules.ts), run before anything is sent. */
import { endpointUrlProblem, headerProblem } from '../../src/hooks/config-rules.ts';

/** undefined when the API would take it. */
export function urlProblem(value: string): string | undefined {
  if (value.trim() === '') return 'Enter the endpoint URL.';
  const problem = endpointUrlProblem(value.trim());
  return problem && `${problem} For example https://example.com/webhooks.`;
}

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

/** A problem per row (by row key); rows left empty are ignored. */
export function headerProblems(rows: HeaderRow[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' && row.value === '') continue;
    const problem = name === '' ? 'Give the header a name.' : headerProblem(name, row.value, seen);
    if (problem) problems.set(row.key, problem);
  }
  return problems;
}

export function headersRecord(rows: HeaderRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) if (row.name.trim() !== '') out[row.name.trim()] = row.value;
  return out;
}

/**
 * Runs `show` (a field's problem appearing when it loses focus) once the pointer press that took
 * the focus away has become a click. A message shown at the press moves what is below it, and the
 * release then lands beside the button that was pressed ("Add header" right after typing a URL):
 * the click is lost. Focus that leaves by keyboard shows it at once.
 */
export function showAfterPress(event: { relatedTarget: EventTarget | null }, show: () => void): void {
  const target = event.relatedTarget as { tagName?: string } | null;
  if (target?.tagName !== 'BUTTON') {
    show();
    return;
  }
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    window.removeEventListener('pointerup', released, true);
    clearTimeout(fallback);
    show();
  };
  // The click follows the release in the same task: show after it.
  const released = () => setTimeout(finish, 0);
  window.addEventListener('pointerup', released, true);
  // Focus moved to a button without a pointer (a script, a long press): not later than this.
  const fallback = setTimeout(finish, 400);
}
