import { useId, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../api';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, ORDER_LIMIT, PHASES, POLICIES } from '../sync';
import type { CreateSyncHookInput, FailurePolicy, SyncHook, SyncHookPhase } from '../../../src/sync-hooks/schemas.ts';
import { headerProblems, type HeaderRow, headersRecord, showAfterPress, urlProblem } from '../validation';
import { HeaderRows, headerRowsOf } from './HeaderRows';
import { ErrorMessage } from './ui';

export type SyncHookFormValues = Required<Omit<CreateSyncHookInput, 'config'>> & Pick<CreateSyncHookInput, 'config'>;

const WHOLE = /^-?\d+$/;

/** Why a whole number field is refused, or undefined. */
function wholeProblem(value: string, min: number, max: number, what: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return `Enter ${what}.`;
  if (!WHOLE.test(trimmed)) return `${what[0]!.toUpperCase()}${what.slice(1)} must be a whole number.`;
  const n = Number(trimmed);
  if (n < min || n > max)
    return `${what[0]!.toUpperCase()}${what.slice(1)} must be from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`;
  return undefined;
}

type Field = 'name' | 'url' | 'phase' | 'timeout' | 'order';

export function SyncHookForm(props: {
  initial?: SyncHook;
  submitLabel: string;
  onSubmit: (values: SyncHookFormValues) => Promise<void>;
}) {
  const id = useId();
  const initial = props.initial;
  const [name, setName] = useState(initial?.name ?? '');
  const [phase, setPhase] = useState<SyncHookPhase | ''>(initial?.phase ?? '');
  const [url, setUrl] = useState(initial?.config.url ?? '');
  const [rows, setRows] = useState<HeaderRow[]>(() => headerRowsOf(initial?.config.headers));
  const [order, setOrder] = useState(String(initial?.order ?? 0));
  const [timeout, setTimeoutMs] = useState(String(initial?.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const [policy, setPolicy] = useState<FailurePolicy>(initial?.failurePolicy ?? 'open');
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  /** What the API answered, in words. */
  const [error, setError] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const touch = (field: Field) => (e: { relatedTarget: EventTarget | null }) =>
    showAfterPress(e, () => setTouched((t) => ({ ...t, [field]: true })));

  const problems: Record<Field, string | undefined> = {
    name: name.trim() === '' ? 'Give the sync hook a name.' : name.length > 256 ? 'At most 256 characters.' : undefined,
    phase: phase === '' ? 'Pick the phase the hook is called in.' : undefined,
    url: urlProblem(url),
    timeout: wholeProblem(timeout, 1, MAX_TIMEOUT_MS, 'the time limit'),
    order: wholeProblem(order, -ORDER_LIMIT, ORDER_LIMIT, 'the order'),
  };
  const rowProblems = headerProblems(rows);
  const hasProblems = Object.values(problems).some(Boolean) || rowProblems.size > 0;
  const shown = (field: Field) => (touched[field] ? problems[field] : undefined);
  const invalid = (field: Field) => (shown(field) ? true : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched({ name: true, url: true, phase: true, timeout: true, order: true });
    setAttempted(true);
    if (hasProblems || phase === '') {
      // Take the keyboard to the first field to mend, once its message is on screen.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({
        name: name.trim(),
        phase,
        config: { url: url.trim(), headers: headersRecord(rows) },
        enabled,
        timeoutMs: Number(timeout.trim()),
        failurePolicy: policy,
        order: Number(order.trim()),
      });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="hook-form" onSubmit={submit} noValidate ref={formRef}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={256}
          onChange={(e) => setName(e.target.value)}
          onBlur={touch('name')}
          aria-invalid={invalid('name')}
          aria-describedby={`${id}-name-problem`}
        />
        <span id={`${id}-name-problem`} className="field-problem">
          {shown('name')}
        </span>
      </div>

      <fieldset className="choices" aria-describedby={`${id}-phase-problem`}>
        <legend>Phase</legend>
        <p className="hint">When Herald calls the endpoint, while the user waits for the answer.</p>
        <span id={`${id}-phase-problem`} className="field-problem">
          {shown('phase')}
        </span>
        <ul className="plain">
          {PHASES.map((p) => (
            <li key={p.value}>
              <label>
                <input
                  type="radio"
                  name={`${id}-phase`}
                  value={p.value}
                  checked={phase === p.value}
                  onChange={() => {
                    setPhase(p.value);
                    touch('phase')({ relatedTarget: null });
                  }}
                  aria-describedby={`${id}-phase-${p.value}`}
                  aria-invalid={invalid('phase')}
                />
                {p.label} <code>{p.value}</code>
              </label>
              <span id={`${id}-phase-${p.value}`} className="hint choice-hint">
                {p.description}
              </span>
            </li>
          ))}
        </ul>
      </fieldset>

      <div className="field">
        <label htmlFor={`${id}-url`}>Endpoint URL</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          placeholder="https://example.com/hooks/pre-register"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          onBlur={touch('url')}
          aria-invalid={invalid('url')}
          aria-describedby={`${id}-url-hint ${id}-url-problem`}
        />
        <span id={`${id}-url-hint`} className="hint">
          Herald POSTs the request here as signed JSON and waits for {'{"action":"allow"}'}, an allow with a patch, or{' '}
          {'{"action":"deny","code":"…","message":"…"}'}. Redirects are not followed; internal addresses are refused
          unless the server allows them.
        </span>
        <span id={`${id}-url-problem`} className="field-problem">
          {shown('url')}
        </span>
      </div>

      <HeaderRows id={id} rows={rows} setRows={setRows} problems={rowProblems} />

      <div className="field">
        <label htmlFor={`${id}-order`}>Order</label>
        <input
          id={`${id}-order`}
          type="number"
          inputMode="numeric"
          step={1}
          min={-ORDER_LIMIT}
          max={ORDER_LIMIT}
          value={order}
          onChange={(e) => setOrder(e.target.value)}
          onBlur={touch('order')}
          aria-invalid={invalid('order')}
          aria-describedby={`${id}-order-hint ${id}-order-problem`}
        />
        <span id={`${id}-order-hint`} className="hint">
          Hooks of one phase are called one after another, lowest order first. The first deny wins: the hooks after it
          are not called.
        </span>
        <span id={`${id}-order-problem`} className="field-problem">
          {shown('order')}
        </span>
      </div>

      <div className="field">
        <label htmlFor={`${id}-timeout`}>Time limit (ms)</label>
        <input
          id={`${id}-timeout`}
          type="number"
          inputMode="numeric"
          step={1}
          min={1}
          max={MAX_TIMEOUT_MS}
          value={timeout}
          onChange={(e) => setTimeoutMs(e.target.value)}
          onBlur={touch('timeout')}
          aria-invalid={invalid('timeout')}
          aria-describedby={`${id}-timeout-hint ${id}-timeout-problem`}
        />
        <span id={`${id}-timeout-hint`} className="hint">
          From 1 to {MAX_TIMEOUT_MS.toLocaleString('en')} milliseconds (default{' '}
          {DEFAULT_TIMEOUT_MS.toLocaleString('en')}
          ). The user waits this long at most; all the hooks of a phase share the server's phase budget.
        </span>
        <span id={`${id}-timeout-problem`} className="field-problem">
          {shown('timeout')}
        </span>
      </div>

      <fieldset className="choices">
        <legend>When the endpoint fails</legend>
        <ul className="plain">
          {POLICIES.map((p) => (
            <li key={p.value}>
              <label>
                <input
                  type="radio"
                  name={`${id}-policy`}
                  value={p.value}
                  checked={policy === p.value}
                  onChange={() => setPolicy(p.value)}
                  aria-describedby={`${id}-policy-${p.value}`}
                />
                {p.label}: {p.short.toLowerCase()} the request
              </label>
              <span id={`${id}-policy-${p.value}`} className="hint choice-hint">
                {p.description}
              </span>
            </li>
          ))}
        </ul>
      </fieldset>

      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            aria-describedby={`${id}-enabled-hint`}
          />
          Enabled
        </label>
        <span id={`${id}-enabled-hint`} className="hint">
          A disabled hook is not called; its phase goes on without it.
        </span>
      </div>

      <ErrorMessage
        error={attempted && hasProblems ? 'Some fields need attention; see the messages beside them.' : error}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
