import { useState } from 'react';
import { errorText, type Api } from '../api';
import { SyncCalls } from '../components/SyncCalls';
import { SyncHookForm } from '../components/SyncHookForm';
import { SyncSigningKey } from '../components/SyncSigningKey';
import { SyncTest } from '../components/SyncTest';
import { ConfirmDialog, ErrorMessage, Loading, Notice } from '../components/ui';
import { dateTime } from '../format';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { phaseLabel, policyWords } from '../sync';
import type { SyncHook } from '../../../src/sync-hooks/schemas.ts';

const TABS = [
  ['settings', 'Settings'],
  ['signing-key', 'Signing key'],
  ['test', 'Test'],
  ['calls', 'Calls'],
] as const;

export function SyncHookDetail({ api, hookId, rest }: { api: Api; hookId: string; rest: string[] }) {
  const hook = useLoad<SyncHook>(api, `/api/sync-hooks/${encodeURIComponent(hookId)}`);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const tab = TABS.some(([id]) => id === rest[0]) ? rest[0]! : 'settings';
  const base = `/sync-hooks/${hookId}`;

  if (!hook.data) {
    return (
      <section>
        <p className="crumbs">
          <a href="#/sync-hooks">Sync hooks</a> ›
        </p>
        <ErrorMessage error={hook.error} />
        {hook.loading && <Loading what="the sync hook" />}
      </section>
    );
  }
  const h = hook.data;

  async function setEnabled(enabled: boolean) {
    setBusy(true);
    setActionError(undefined);
    try {
      hook.set(await api.send<SyncHook>('PATCH', `/api/sync-hooks/${h.id}`, { enabled }));
      setNotice(
        enabled
          ? `Sync hook enabled: ${h.phase} requests call it again.`
          : `Sync hook disabled: ${h.phase} requests go on without calling it.`,
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
      await api.send('DELETE', `/api/sync-hooks/${h.id}`);
      navigate('/sync-hooks');
    } catch (e) {
      setActionError(errorText(e));
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="sync-hook-title">
      <p className="crumbs">
        <a href="#/sync-hooks">Sync hooks</a> ›
      </p>
      <div className="page-head">
        <div>
          <h1 id="sync-hook-title">{h.name || h.id}</h1>
          <p className="url">{h.config.url}</p>
          <p className="meta">
            {h.enabled ? (
              <span className="badge badge-succeeded">Enabled</span>
            ) : (
              <span className="badge badge-failed">Disabled</span>
            )}{' '}
            {phaseLabel(h.phase)} (<code>{h.phase}</code>) · order {h.order} · time limit {h.timeoutMs} ms ·{' '}
            {policyWords(h.failurePolicy)} on failure · created {dateTime(h.createdAt)}
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => setEnabled(!h.enabled)} disabled={busy}>
            {h.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete
          </button>
        </div>
      </div>
      <ErrorMessage error={hook.error} />
      <ErrorMessage error={actionError} />
      <Notice text={notice} />

      <nav className="tabs" aria-label="Sync hook">
        {TABS.map(([id, label]) => (
          <a key={id} href={`#${base}/${id}`} aria-current={tab === id ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>

      <div className="tab-panel">
        {tab === 'settings' && (
          <SyncHookForm
            key={`${h.id}-${h.updatedAt}`}
            initial={h}
            submitLabel="Save changes"
            onSubmit={async (values) => {
              hook.set(await api.send<SyncHook>('PATCH', `/api/sync-hooks/${h.id}`, values));
              setNotice('Settings saved.');
            }}
          />
        )}
        {tab === 'signing-key' && <SyncSigningKey api={api} hook={h} onRotated={hook.set} />}
        {tab === 'test' && <SyncTest api={api} hook={h} />}
        {tab === 'calls' && <SyncCalls api={api} hook={h} />}
      </div>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${h.name || 'this sync hook'}?`}
        confirmLabel="Delete sync hook"
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          The sync hook and its calls log are deleted. {h.phase} requests go on without calling it. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
