import './api-keys.css';
import { useId, useRef, useState, type FormEvent } from 'react';
import { errorText, type Api, KEY_STORAGE } from '../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice } from '../components/ui';
import { dateTime } from '../format';
import { useLoad } from '../hooks';
import type { ApiKey, CreatedApiKey } from '../../../src/keys/schemas.ts';

/** Where App keeps the signed-in key (sessionStorage); read only, to mark that key in the list. */

/** The id of the stored key the console is signed in with (`hk_<id>_<secret>`), or undefined (HERALD_ADMIN_KEY). */
function signedInKeyId(): string | undefined {
  try {
    return /^hk_([0-9a-z]{21})_/.exec(sessionStorage.getItem(KEY_STORAGE) ?? '')?.[1];
  } catch {
    return undefined;
  }
}

/** What a key looks like without its secret: its public id, the secret masked. */
const masked = (key: ApiKey) => `hk_${key.id}_••••••••`;

export function ApiKeys({ api }: { api: Api; rest: string[] }) {
  const keys = useLoad<ApiKey[]>(api, '/api/keys');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [created, setCreated] = useState<CreatedApiKey>();
  const [copyNote, setCopyNote] = useState<string>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const secretRef = useRef<HTMLElement>(null);
  const nameId = useId();
  const nameProblemId = useId();
  const currentId = signedInKeyId();

  async function create(e: FormEvent) {
    e.preventDefault();
    setNameError(undefined);
    setActionError(undefined);
    if (!name.trim()) {
      setNameError('Give the key a name, such as the system that will use it.');
      return;
    }
    setBusy(true);
    try {
      const answer = await api.send<CreatedApiKey>('POST', '/api/keys', { name: name.trim() });
      setCreated(answer);
      setCopyNote(undefined);
      setName('');
      setNotice(`API key “${answer.apiKey.name}” created. Copy it now: it is shown only once.`);
      await keys.reload();
    } catch (error) {
      setNameError(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.key);
      setCopyNote('Copied to the clipboard.');
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the key for a manual copy.
      const node = secretRef.current;
      const selection = window.getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopyNote('The browser did not allow copying: the key is selected, copy it with Ctrl+C (⌘C on a Mac).');
    }
  }

  async function revoke() {
    if (!revoking) return;
    const key = revoking;
    setBusy(true);
    setActionError(undefined);
    try {
      await api.send<ApiKey>('DELETE', `/api/keys/${encodeURIComponent(key.id)}`);
      setRevoking(undefined);
      if (created?.apiKey.id === key.id) setCreated(undefined);
      setNotice(`API key “${key.name}” revoked: Herald refuses it from now on.`);
      // Revoking the key the console is signed in with signs it out (the next call answers 401).
      await keys.reload();
    } catch (error) {
      setActionError(errorText(error));
      setRevoking(undefined);
    } finally {
      setBusy(false);
    }
  }

  const list = keys.data ?? [];
  const active = list.filter((k) => k.revokedAt === null);
  const revoked = list.filter((k) => k.revokedAt !== null);

  return (
    <section aria-labelledby="keys-title" className="api-keys">
      <div className="page-head">
        <div>
          <h1 id="keys-title">API keys</h1>
          <p className="meta">
            Keys for the Management API (<code>Authorization: Bearer …</code>). A key's secret is shown once, when it is
            created; Herald keeps only its hash.
          </p>
        </div>
      </div>

      <form className="key-create" onSubmit={create} noValidate>
        <h2>Create a key</h2>
        <div className="field">
          <label htmlFor={nameId}>Key name</label>
          <input
            id={nameId}
            value={name}
            maxLength={128}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameProblemId}
            placeholder="e.g. CI deploy"
          />
          <span className="field-problem" id={nameProblemId}>
            {nameError}
          </span>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>

      <Notice text={notice} />
      <ErrorMessage error={actionError} />

      {created && (
        <div className="secret-box" aria-labelledby="secret-title">
          <h2 id="secret-title">Your new key: {created.apiKey.name}</h2>
          <p className="secret-warning" role="note">
            Copy this key now and store it somewhere safe. It will not be shown again: Herald keeps only its hash.
          </p>
          <p className="secret-value">
            <code ref={secretRef} className="secret-key">
              {created.key}
            </code>
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={copy}>
              Copy
            </button>
            <button type="button" onClick={() => setCreated(undefined)}>
              Done, hide the key
            </button>
          </div>
          <div role="status" className="copy-note">
            {copyNote}
          </div>
        </div>
      )}

      <h2>Keys</h2>
      {currentId === undefined && (
        <p className="meta">
          You are signed in with HERALD_ADMIN_KEY, set in the server's environment: it is not listed here and cannot be
          revoked from the console.
        </p>
      )}
      <ErrorMessage error={keys.error} />
      {keys.loading && !keys.data && <Loading what="API keys" />}
      {keys.data && list.length === 0 && (
        <div className="empty">
          <p>
            No API keys yet. Create one for each system that calls the Management API, so each can be revoked alone.
          </p>
        </div>
      )}
      {keys.data && list.length > 0 && (
        <div className="table-wrap">
          <table className="keys-table">
            <caption className="visually-hidden">API keys, active first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...active, ...revoked].map((key) => (
                <tr key={key.id}>
                  <th scope="row" data-label="Name">
                    {key.name}
                    {key.id === currentId && <div className="meta">The key you are signed in with</div>}
                  </th>
                  <td data-label="Key">
                    <code className="masked-key" title={`hk_${key.id}_ followed by the secret`}>
                      {masked(key)}
                    </code>
                  </td>
                  <td data-label="Created">{dateTime(key.createdAt)}</td>
                  <td data-label="Status">
                    {key.revokedAt === null ? (
                      <span className="badge badge-succeeded">Active</span>
                    ) : (
                      <>
                        <span className="badge badge-failed">Revoked</span>
                        <div className="meta">{dateTime(key.revokedAt)}</div>
                      </>
                    )}
                  </td>
                  <td data-label="Actions">
                    {key.revokedAt === null && (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke ${key.name}`}
                        onClick={() => setRevoking(key)}
                        disabled={busy}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke ${revoking?.name ?? 'this key'}?`}
        confirmLabel="Revoke key"
        danger
        busy={busy}
        onConfirm={revoke}
        onCancel={() => setRevoking(undefined)}
      >
        <p>Every request made with this key is refused from now on. This cannot be undone.</p>
        {revoking?.id === currentId && (
          <p className="reason">
            This is the key you are signed in with: the console signs you out, and you need another key to sign in
            again.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
