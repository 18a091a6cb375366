import { useState, type FormEvent } from 'react';
import { ApiError, checkKey, errorText } from '../api';
import { ErrorMessage } from '../components/ui';

export function SignIn({ reason, onSignedIn }: { reason: string | undefined; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(reason);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return setError('Enter an API key.');
    setBusy(true);
    setError(undefined);
    try {
      await checkKey(trimmed);
      onSignedIn(trimmed);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? `Herald refused that key: ${e.message}` : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Herald console</h1>
      <p>
        Sign in with a Herald API key (HERALD_ADMIN_KEY, the key printed on first start, or one made with POST
        /api/keys). It is kept only for this browser session.
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
          autoFocus
        />
        <div id="sign-in-error">
          <ErrorMessage error={error} />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
