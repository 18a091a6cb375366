import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi, KEY_STORAGE } from './api';
import { navigate, usePath } from './router';
import { SignIn } from './pages/SignIn';
import { HookList } from './pages/HookList';
import { HookCreate } from './pages/HookCreate';
import { HookDetail } from './pages/HookDetail';
import { SyncHookList } from './pages/SyncHookList';
import { SyncHookCreate } from './pages/SyncHookCreate';
import { SyncHookDetail } from './pages/SyncHookDetail';
import { EventCatalog } from './pages/EventCatalog';
import { Overview } from './pages/Overview';
import { DeliveryLog } from './pages/DeliveryLog';
import { ApiKeys } from './pages/ApiKeys';
import { Users } from './pages/identity/Users';
import { Roles } from './pages/identity/Roles';
import { Resources } from './pages/identity/Resources';
import { Organizations } from './pages/identity/Organizations';
import { Applications } from './pages/identity/Applications';
import { NotFound } from './pages/NotFound';

/** Herald's mark: a signal leaving a point, in the accent colour. */
function Logo() {
  return (
    <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <circle cx="6" cy="18" r="2.6" fill="currentColor" />
      <path d="M6 11a7 7 0 0 1 7 7" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
      <path
        d="M6 4.5A13.5 13.5 0 0 1 19.5 18"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function App() {
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_STORAGE));
  const [signedOutReason, setSignedOutReason] = useState<string>();
  const [menuOpen, setMenuOpen] = useState(false);
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

  // A page's query (`#/deliveries?status=failed`) is its own business, not part of the route.
  const parts = (path.split('?')[0] ?? '').split('/').filter(Boolean);
  const section = parts[0] ?? 'overview';
  const rest = parts.slice(1);

  let page: ReactNode;
  if (section === 'hooks' && parts[1] === 'new') page = <HookCreate api={api} />;
  else if (section === 'hooks' && parts[1])
    page = <HookDetail key={parts[1]} api={api} hookId={parts[1]} rest={parts.slice(2)} />;
  else if (section === 'hooks') page = <HookList api={api} />;
  else if (section === 'sync-hooks' && parts[1] === 'new') page = <SyncHookCreate api={api} />;
  else if (section === 'sync-hooks' && parts[1])
    page = <SyncHookDetail key={parts[1]} api={api} hookId={parts[1]} rest={parts.slice(2)} />;
  else if (section === 'sync-hooks') page = <SyncHookList api={api} />;
  else if (section === 'events') page = <EventCatalog key={parts[1] ?? ''} api={api} focus={parts[1]} />;
  else if (section === 'overview') page = <Overview api={api} />;
  else if (section === 'deliveries') page = <DeliveryLog api={api} rest={rest} />;
  else if (section === 'keys') page = <ApiKeys api={api} rest={rest} />;
  else if (section === 'users') page = <Users key={rest[0] ?? ''} api={api} rest={rest} />;
  else if (section === 'roles') page = <Roles key={rest[0] ?? ''} api={api} rest={rest} />;
  else if (section === 'resources') page = <Resources key={rest[0] ?? ''} api={api} rest={rest} />;
  else if (section === 'organizations') page = <Organizations key={rest[0] ?? ''} api={api} rest={rest} />;
  else if (section === 'applications') page = <Applications key={rest[0] ?? ''} api={api} rest={rest} />;
  else page = <NotFound path={path} />;

  /** A nav link, marked as the current page when its section is shown. */
  const link = (href: string, label: string) => (
    <li>
      <a href={`#/${href}`} aria-current={section === href ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
        {label}
      </a>
    </li>
  );

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
        <a className="brand" href="#/overview">
          <Logo /> Herald
        </a>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <button
          type="button"
          className="link sign-out"
          onClick={() => {
            signOut();
            navigate('/overview');
          }}
        >
          Sign out
        </button>
      </header>
      <div className="shell">
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'side open' : 'side'}>
          <p className="nav-group" id="nav-webhooks">
            Webhooks
          </p>
          <ul aria-labelledby="nav-webhooks">
            {link('overview', 'Overview')}
            {link('hooks', 'Webhooks')}
            {link('deliveries', 'Deliveries')}
            {link('sync-hooks', 'Sync hooks')}
            {link('events', 'Events')}
          </ul>
          <p className="nav-group" id="nav-identity">
            Identity
          </p>
          <ul aria-labelledby="nav-identity">
            {link('users', 'Users')}
            {link('roles', 'Roles')}
            {link('resources', 'API resources')}
            {link('organizations', 'Organizations')}
            {link('applications', 'Applications')}
          </ul>
          <p className="nav-group" id="nav-settings">
            Settings
          </p>
          <ul aria-labelledby="nav-settings">
            {link('keys', 'API keys')}
            <li>
              <a href="/api/docs" target="_blank" rel="noreferrer">
                API reference
              </a>
            </li>
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {page}
        </main>
      </div>
    </>
  );
}
