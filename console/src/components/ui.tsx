import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { Delivery } from '../../../src/delivery/schemas.ts';
import type { SyncDecision, SyncHookCall } from '../../../src/sync-hooks/schemas.ts';
import { DECISION_WORDS, EFFECT_WORDS } from '../sync';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

/** A polite live region that is always in the page, so a message put into it is announced. */
export function Notice({ text }: { text: string | undefined }) {
  return <div role="status">{text && <p className="notice">{text}</p>}</div>;
}

/**
 * Previous / next through a paged list, with where you are in words: "Page n of m · total in all",
 * or with `noun` (singular, plural) "Page n of m · total things". Nothing when everything fits one
 * page and the first page is shown.
 */
export function Pager(props: {
  label: string;
  page: number;
  pageSize: number;
  total: number;
  noun?: [string, string];
  /** The buttons' words; "Previous" and "Next" unless told. */
  buttons?: [string, string];
  /** Shown as soon as there is anything, even one page. */
  always?: boolean;
  /** Both buttons disabled (a page is loading). */
  busy?: boolean;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (props.always ? props.total <= 0 : props.total <= props.pageSize && props.page <= 1) return null;
  const [previous, next] = props.buttons ?? ['Previous', 'Next'];
  const what = props.noun ? (props.total === 1 ? props.noun[0] : props.noun[1]) : 'in all';
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={props.page <= 1 || props.busy} onClick={() => props.onPage(props.page - 1)}>
        {previous}
      </button>
      <span>
        Page {props.page} of {pages} · {props.total} {what}
      </span>
      <button type="button" disabled={props.page >= pages || props.busy} onClick={() => props.onPage(props.page + 1)}>
        {next}
      </button>
    </nav>
  );
}

const STATUS_WORDS: Record<Delivery['status'], string> = {
  pending: 'Pending',
  delivering: 'Delivering',
  succeeded: 'Delivered',
  failed: 'Failed',
};

export function StatusBadge({ status }: { status: Delivery['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_WORDS[status]}</span>;
}

/** A modal confirmation on the native <dialog>: focus moves in, Escape cancels. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div>{props.children}</div>
      <div className="actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

const DECISION_CLASS: Record<SyncDecision, string> = { allow: 'succeeded', deny: 'failed', failed: 'pending' };

/** What a sync hook's endpoint answered: allow, deny, or failed (no answer Herald could read). */
export function DecisionBadge({ decision }: { decision: SyncDecision }) {
  return <span className={`badge badge-${DECISION_CLASS[decision]}`}>{DECISION_WORDS[decision]}</span>;
}

/** What Herald did with the request, the failure policy applied. */
export function EffectBadge({ effect, patched }: { effect: SyncHookCall['effect']; patched?: boolean }) {
  return (
    <span className={`badge badge-${effect === 'allowed' ? 'succeeded' : 'failed'}`}>
      {EFFECT_WORDS[effect]}
      {patched ? ', patched' : ''}
    </span>
  );
}

/**
 * A list's search box (role="search"): Search submits, Clear (shown while a search is applied)
 * empties it. The page owns the typed text and what a search or a clear does to its list.
 */
export function SearchForm(props: {
  id: string;
  /** The form's class; its row of field and buttons is `<className>-row`. */
  className: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** A search is applied: offer Clear. */
  active: boolean;
  onSearch: () => void;
  onClear: () => void;
}) {
  return (
    <form
      role="search"
      className={props.className}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch();
      }}
    >
      <label htmlFor={props.id}>{props.label}</label>
      <div className={`${props.className}-row`}>
        <input
          id={props.id}
          type="search"
          value={props.value}
          placeholder={props.placeholder}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <button type="submit">Search</button>
        {props.active && (
          <button type="button" onClick={props.onClear}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
