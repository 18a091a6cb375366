import { useEffect, useState } from 'react';
import { errorText, type Api } from '../api';
import { Deliveries } from '../components/Deliveries';
import { DeliveryView } from '../components/DeliveryView';
import { Health } from '../components/Health';
import { HookForm } from '../components/HookForm';
import { SigningKey } from '../components/SigningKey';
import { TestPayload } from '../components/TestPayload';
import { ConfirmDialog, ErrorMessage, Loading, Notice } from '../components/ui';
import { dateTime, subscribedEvents, successRate } from '../format';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import type { CatalogEvent, Hook } from '../../../src/hooks/schemas.ts';

const TABS = [
  ['settings', 'Settings'],
  ['signing-key', 'Signing key'],
  ['test', 'Test'],
  ['deliveries', 'Deliveries'],
  ['health', 'Health'],
] as const;

export function HookDetail({ api, hookId, rest }: { api: Api; hookId: string; rest: string[] }) {
  const hook = useLoad<Hook>(api, `/api/hooks/${encodeURIComponent(hookId)}?includeExecutionStats=true`);
  const catalog = useLoad<CatalogEvent[]>(api, '/api/hook-events');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const tab = TABS.some(([id]) => id === rest[0]) ? rest[0]! : 'settings';
  const base = `/hooks/${hookId}`;
  // The header's figures follow the deliveries: read the hook again on each change of tab.
  const { reload } = hook;
  useEffect(() => {
    if (rest[0] !== undefined) void reload();
  }, [rest[0], reload]);

  if (!hook.data) {
    return (
      <section>
        <p className="crumbs">
          <a href="#/hooks">Webhooks</a> ›
        </p>
        <ErrorMessage error={hook.error} />
        {hook.loading && <Loading what="the webhook" />}
      </section>
    );
  }
  const h = hook.data;

  async function setEnabled(enabled: boolean) {
    setBusy(true);
    setActionError(undefined);
    try {
      hook.set({
        ...(await api.send<Hook>('PATCH', `/api/hooks/${h.id}`, { enabled })),
        executionStats: h.executionStats,
      });
      setNotice(
        enabled
          ? 'Webhook enabled: deliveries resume.'
          : 'Webhook disabled: new events are not delivered to it until it is enabled again.',
      );
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  /** Pausing holds deliveries (they are still created); resuming sends what was held, oldest first. */
  async function setPaused(paused: boolean) {
    setBusy(true);
    setActionError(undefined);
    try {
      hook.set({
        ...(await api.send<Hook>('PATCH', `/api/hooks/${h.id}`, { paused })),
        executionStats: h.executionStats,
      });
      setNotice(
        paused
          ? 'Webhook paused: new events are kept for it and none is sent until it is resumed.'
          : 'Webhook resumed: what was held is being sent, oldest first.',
      );
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await api.send('DELETE', `/api/hooks/${h.id}`);
      navigate('/hooks');
    } catch (e) {
      setActionError(errorText(e));
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="hook-title">
      <p className="crumbs">
        <a href="#/hooks">Webhooks</a> ›
      </p>
      <div className="page-head">
        <div>
          <h1 id="hook-title">{h.name || h.id}</h1>
          <p className="url">{h.config.url}</p>
          <p className="meta">
            {h.enabled ? (
              !h.paused && <span className="badge badge-succeeded">Enabled</span>
            ) : (
              <span className="badge badge-failed">Disabled</span>
            )}{' '}
            {h.paused && (
              <>
                <span className="badge badge-paused">Paused</span>{' '}
              </>
            )}
            {h.executionStats?.requestCount
              ? `${h.executionStats.successCount} of ${h.executionStats.requestCount} delivered (${successRate(h.executionStats)}) in the last 24 h`
              : 'No deliveries in the last 24 h'}{' '}
            · created {dateTime(h.createdAt)}
          </p>
          {!h.enabled && h.disabledReason && (
            <p className="reason" role="note">
              Herald disabled this webhook {h.disabledAt ? `on ${dateTime(h.disabledAt)}` : ''}: {h.disabledReason}
            </p>
          )}
          {h.paused && (
            <p className="paused-note" role="note">
              Paused — deliveries are held, none is sent
              {h.pausedAt ? ` (since ${dateTime(h.pausedAt)})` : ''}. Events still create deliveries; resume to send
              them, oldest first.
            </p>
          )}
          {h.destinationWarning && (
            <p className="reason destination-warning" role="note">
              {h.destinationWarning}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="button" onClick={() => setEnabled(!h.enabled)} disabled={busy}>
            {h.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" onClick={() => setPaused(!h.paused)} disabled={busy}>
            {h.paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete
          </button>
        </div>
      </div>
      <ErrorMessage error={hook.error} />
      <ErrorMessage error={actionError} />
      <Notice text={notice} />

      <nav className="tabs" aria-label="Webhook">
        {TABS.map(([id, label]) => (
          <a key={id} href={`#${base}/${id}`} aria-current={tab === id ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>

      <div className="tab-panel">
        {tab === 'settings' &&
          (catalog.data ? (
            <HookForm
              key={`${h.id}-${h.name}-${h.config.url}-${h.events.join()}`}
              catalog={catalog.data}
              initial={{ name: h.name, events: subscribedEvents(h), config: h.config }}
              submitLabel="Save changes"
              onSubmit={async (values) => {
                const saved = await api.send<Hook>('PATCH', `/api/hooks/${h.id}`, values);
                hook.set({ ...saved, executionStats: h.executionStats });
                setNotice('Settings saved.');
              }}
            />
          ) : (
            <>
              <ErrorMessage error={catalog.error} />
              {catalog.loading && <Loading what="the event catalog" />}
            </>
          ))}
        {tab === 'signing-key' && (
          <SigningKey
            api={api}
            hook={h}
            onRotated={(updated) => hook.set({ ...updated, executionStats: h.executionStats })}
          />
        )}
        {tab === 'test' && <TestPayload api={api} hook={h} />}
        {tab === 'deliveries' && !rest[1] && <Deliveries api={api} hook={h} catalog={catalog.data ?? []} />}
        {tab === 'deliveries' && rest[1] && <DeliveryView api={api} hook={h} deliveryId={rest[1]} />}
        {tab === 'health' && <Health api={api} hook={h} />}
      </div>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${h.name || 'this webhook'}?`}
        confirmLabel="Delete webhook"
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          The webhook, its deliveries and their attempts are deleted. Events not yet delivered to it never will be. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
