import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../api';
import { groupCatalog } from '../hooks';
import type { CatalogEvent, HookConfig } from '../../../src/hooks/schemas.ts';
import { headerProblems, headersRecord, showAfterPress, urlProblem, type HeaderRow } from '../validation';
import { HeaderRows, headerRowsOf } from './HeaderRows';
import { ErrorMessage } from './ui';

export interface HookFormValues {
  name: string;
  events: string[];
  config: HookConfig;
}

/** The catalog's descriptions mark names with backticks: show them as code. */
const withCode = (text: string) => text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));

export function HookForm(props: {
  catalog: CatalogEvent[];
  initial?: HookFormValues;
  submitLabel: string;
  onSubmit: (values: HookFormValues) => Promise<void>;
}) {
  const id = useId();
  const [name, setName] = useState(props.initial?.name ?? '');
  const [url, setUrl] = useState(props.initial?.config.url ?? '');
  const [events, setEvents] = useState<Set<string>>(() => new Set(props.initial?.events ?? []));
  const [rows, setRows] = useState<HeaderRow[]>(() => headerRowsOf(props.initial?.config.headers));
  const [touched, setTouched] = useState<{ name?: boolean; url?: boolean; events?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  /** What the API answered, in words. */
  const [error, setError] = useState<string>();
  const groups = useMemo(() => groupCatalog(props.catalog), [props.catalog]);
  /** Groups shown open: at first those with a selected event. */
  const [opened, setOpened] = useState<Set<string>>(
    () => new Set(groups.filter(([, list]) => list.some((e) => events.has(e.name))).map(([group]) => group)),
  );
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const filtering = needle !== '';
  /** Each group with the events the filter keeps (all of them without one), and all its names. */
  const shown = groups
    .map(([group, list]) => {
      const kept = filtering
        ? list.filter(
            (e) =>
              e.name.toLowerCase().includes(needle) ||
              e.description.toLowerCase().includes(needle) ||
              group.toLowerCase().includes(needle),
          )
        : list;
      return [group, kept, list.map((e) => e.name)] as const;
    })
    .filter(([, kept]) => kept.length > 0);
  const formRef = useRef<HTMLFormElement>(null);

  const nameProblem =
    name.trim() === '' ? 'Give the webhook a name.' : name.length > 256 ? 'At most 256 characters.' : undefined;
  const endpointProblem = urlProblem(url);
  const eventsProblem = events.size === 0 ? 'Pick at least one event.' : undefined;
  const rowProblems = headerProblems(rows);
  const hasProblems = Boolean(nameProblem || endpointProblem || eventsProblem || rowProblems.size > 0);

  function toggle(names: string[], on: boolean) {
    setEvents((current) => {
      const next = new Set(current);
      for (const n of names)
        if (on) next.add(n);
        else next.delete(n);
      return next;
    });
    setTouched((t) => ({ ...t, events: true }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched({ name: true, url: true, events: true });
    setAttempted(true);
    if (hasProblems) {
      // Take the keyboard to the first field to mend, once its message is on screen.
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .events input')?.focus(),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // PATCH replaces config whole: keep what this form does not show (Logto's deprecated `retries`).
      await props.onSubmit({
        name: name.trim(),
        events: [...events],
        config: { ...props.initial?.config, url: url.trim(), headers: headersRecord(rows) },
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
          onBlur={(e) => showAfterPress(e, () => setTouched((t) => ({ ...t, name: true })))}
          aria-invalid={touched.name && nameProblem ? true : undefined}
          aria-describedby={`${id}-name-problem`}
        />
        <span id={`${id}-name-problem`} className="field-problem">
          {touched.name ? nameProblem : undefined}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Endpoint URL</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          placeholder="https://example.com/webhooks/herald"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          onBlur={(e) => showAfterPress(e, () => setTouched((t) => ({ ...t, url: true })))}
          aria-invalid={touched.url && endpointProblem ? true : undefined}
          aria-describedby={`${id}-url-hint ${id}-url-problem`}
        />
        <span id={`${id}-url-hint`} className="hint">
          Herald POSTs each event here as JSON. Internal addresses are refused unless the server allows them.
        </span>
        <span id={`${id}-url-problem`} className="field-problem">
          {touched.url ? endpointProblem : undefined}
        </span>
      </div>

      <fieldset className="events" aria-describedby={`${id}-events-problem`}>
        <legend>Events ({events.size} selected)</legend>
        <p className="hint">
          What each event carries:{' '}
          <a href="#/events" target="_blank" rel="noreferrer">
            the event reference
          </a>
          .
        </p>
        <span id={`${id}-events-problem`} className="field-problem">
          {touched.events ? eventsProblem : undefined}
        </span>
        {events.size > 0 && (
          <ul className="chips" aria-label="Selected events">
            {[...events].sort().map((name) => (
              <li key={name}>
                <code>{name}</code>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${name}`}
                  onClick={() => toggle([name], false)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="field event-filter">
          <label htmlFor={`${id}-filter`}>Find an event</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={filter}
            placeholder="e.g. role, organization, PostSignIn"
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        {filter.trim() !== '' && shown.length === 0 && <p className="hint">No event matches “{filter.trim()}”.</p>}
        {shown.map(([group, list, allNames]) => {
          const all = allNames.every((n) => events.has(n));
          const some = !all && allNames.some((n) => events.has(n));
          const selected = allNames.filter((n) => events.has(n)).length;
          const isOpen = filtering || opened.has(group);
          return (
            <details
              key={group}
              className="event-group"
              open={isOpen}
              onToggle={(e) => {
                const nowOpen = (e.currentTarget as HTMLDetailsElement).open;
                if (filtering || nowOpen === opened.has(group)) return;
                setOpened((current) => {
                  const next = new Set(current);
                  if (nowOpen) next.add(group);
                  else next.delete(group);
                  return next;
                });
              }}
            >
              <summary>
                {group}{' '}
                <span className="count">
                  {selected} of {allNames.length} selected
                </span>
              </summary>
              <label className="every">
                <input
                  type="checkbox"
                  checked={all}
                  ref={(el) => {
                    if (el) el.indeterminate = some;
                  }}
                  onChange={(e) => toggle(allNames, e.target.checked)}
                  aria-label={`Every ${group} event`}
                />
                Every {group} event
              </label>
              <ul>
                {list.map((e) => (
                  <li key={e.name}>
                    <label>
                      <input
                        type="checkbox"
                        name="events"
                        value={e.name}
                        checked={events.has(e.name)}
                        onChange={(c) => toggle([e.name], c.target.checked)}
                      />
                      <code>{e.name}</code>
                      <span className="description">{withCode(e.description)}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          );
        })}
      </fieldset>

      <HeaderRows id={id} rows={rows} setRows={setRows} problems={rowProblems} />

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
