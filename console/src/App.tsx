import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi } from './api';
import { navigate, usePath } from './router';
import { SignIn } from './pages/SignIn';
import { HookList } from './pages/HookList';
import { HookCreate } from './pages/HookCreate';
import { HookDetail } from './pages/HookDetail';
import { SyncHookList } from './pages/SyncHookList';
import { SyncHookCreate } from './pages/SyncHookCreate';
import { SyncHookDetail } from './pages/SyncHookDetail';
import { EventCatalog } from './pages/EventCatalog';

/** The key lives in sessionStorage: gone when the browser session ends, never in localStorage. */
const KEY_STORAGE = 'herald.apiKey';

export function App() {
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_STORAGE));
  const [signedOutReason, setSignedOutReason] = useState<string>();
  const path = usePath();
  const firstPath = useRef(true);
  // A new page takes the keyboard and the screen reader to its content, as a page load would.
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);

  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setKey(null);
    setSignedOutReason(reason);
  }, []);
  const api = useMemo(
    () => (key ? createApi(key, () => signOut('Herald no longer accepts that key; sign in again.')) : null),
    [key, signOut],
  );

  if (!key || !api) {
    return (
      <SignIn
        reason={signedOutReason}
        onSignedIn={(accepted) => {
          sessionStorage.setItem(KEY_STORAGE, accepted);
          setSignedOutReason(undefined);
          setKey(accepted);
        }}
      />
    );
  }

  const parts = path.split('/').filter(Boolean);

  let page: ReactNode;
  if (parts[0] === 'hooks' && parts[1] === 'new') page = <HookCreate api={api} />;
  else if (parts[0] === 'hooks' && parts[1])
    page = <HookDetail key={parts[1]} api={api} hookId={parts[1]} rest={parts.slice(2)} />;
  else if (parts[0] === 'sync-hooks' && parts[1] === 'new') page = <SyncHookCreate api={api} />;
  else if (parts[0] === 'sync-hooks' && parts[1])
    page = <SyncHookDetail key={parts[1]} api={api} hookId={parts[1]} rest={parts.slice(2)} />;
  else if (parts[0] === 'sync-hooks') page = <SyncHookList api={api} />;
  else if (parts[0] === 'events') page = <EventCatalog key={parts[1] ?? ''} api={api} focus={parts[1]} />;
  else page = <HookList api={api} />;

  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/hooks">
          Herald
        </a>
        <nav aria-label="Main">
          <a href="#/hooks" aria-current={parts[0] === 'hooks' && parts[1] !== 'new' ? 'page' : undefined}>
            Webhooks
          </a>
          <a href="#/sync-hooks" aria-current={parts[0] === 'sync-hooks' && parts[1] !== 'new' ? 'page' : undefined}>
            Sync hooks
          </a>
          <a href="#/events" aria-current={parts[0] === 'events' ? 'page' : undefined}>
            Events
          </a>
          <a href="/api/docs" target="_blank" rel="noreferrer">
            API reference
          </a>
        </nav>
        <button
          type="button"
          className="link"
          onClick={() => {
            signOut();
            navigate('/hooks');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
