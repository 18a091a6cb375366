import type { Dispatch, SetStateAction } from 'react';
import type { HeaderRow } from '../validation';

/** Values of these headers are masked on screen, as the deliveries API masks them. */
const SENSITIVE_HEADER = /password|secret|token|api[-_]?key|authorization|signing[-_]?key/i;

let nextRowKey = 1;
export const headerRow = (name = '', value = ''): HeaderRow => ({ key: nextRowKey++, name, value });

/** Rows of a config's custom headers, as a form's state. */
export const headerRowsOf = (headers: Record<string, string> | undefined): HeaderRow[] =>
  Object.entries(headers ?? {}).map(([n, v]) => headerRow(n, v));

/**
 * The custom headers of a hook's endpoint (webhook or sync hook): a name and a value per row,
 * each row's problem beside it (validation.ts, headerProblems).
 */
export function HeaderRows({
  id,
  rows,
  setRows,
  problems,
}: {
  /** The form's useId(), so the rows' problem messages have ids of their own. */
  id: string;
  rows: HeaderRow[];
  setRows: Dispatch<SetStateAction<HeaderRow[]>>;
  problems: Map<number, string>;
}) {
  return (
    <fieldset className="headers">
      <legend>Custom headers</legend>
      <p className="hint">
        Sent with every request, such as an Authorization header your endpoint expects. Names ignore case; each may
        appear once.
      </p>
      {rows.map((r, i) => (
        <div className="header-row" key={r.key}>
          <input
            aria-label={`Header ${i + 1} name`}
            placeholder="X-Header-Name"
            value={r.name}
            onChange={(e) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, name: e.target.value } : x)))}
            aria-invalid={problems.has(r.key) ? true : undefined}
            aria-describedby={`${id}-header-${r.key}`}
          />
          <input
            aria-label={`Header ${i + 1} value`}
            type={SENSITIVE_HEADER.test(r.name) ? 'password' : 'text'}
            autoComplete="off"
            placeholder="value"
            value={r.value}
            onChange={(e) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, value: e.target.value } : x)))}
          />
          <button
            type="button"
            onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}
            aria-label={`Remove header ${i + 1}`}
          >
            Remove
          </button>
          <span id={`${id}-header-${r.key}`} className="field-problem">
            {problems.get(r.key)}
          </span>
        </div>
      ))}
      <button type="button" onClick={() => setRows((all) => [...all, headerRow()])}>
        Add header
      </button>
    </fieldset>
  );
}
