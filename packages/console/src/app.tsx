/**
 * @module app
 * The console's shell: sign-in state, the header with the main navigation and sign-out, one live
 * region for status messages, and the page the URL's fragment names. Focus moves to the page heading
 * on navigation, so keyboard and screen-reader users land on the new page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AnnounceContext } from './announce.ts';
import { whenSignedOut } from './api.ts';
import { completeSignIn, currentSession, realm, signOut, startSignIn } from './auth.ts';
import { HistoryPage } from './pages/history.tsx';
import { RequestsPage } from './pages/requests.tsx';
import { ResourcePage } from './pages/resource.tsx';
import { ResourcesPage } from './pages/resources.tsx';
import { SharedPage } from './pages/shared.tsx';
import { useRoute, type Route } from './router.ts';

type State = { kind: 'starting' } | { kind: 'ready' } | { kind: 'signedOut' } | { kind: 'error'; message: string };

const NAV: Array<{ href: string; label: string; pages: Route['page'][] }> = [
  { href: '#/resources', label: 'My resources', pages: ['resources', 'resource'] },
  { href: '#/shared', label: 'Shared with me', pages: ['shared'] },
  { href: '#/requests', label: 'Requests', pages: ['requests'] },
  { href: '#/history', label: 'History', pages: ['history'] },
];

function signIn(): void {
  startSignIn(location.hash || '#/resources').catch(() => undefined);
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'starting' });
  useEffect(() => {
    whenSignedOut(() => signIn());
    completeSignIn()
      .then((arrival) => {
        if (arrival.kind === 'signedIn') {
          if (location.hash !== arrival.returnTo) history.replaceState(null, '', arrival.returnTo);
          setState({ kind: 'ready' });
        } else if (arrival.kind === 'signedOut') setState({ kind: 'signedOut' });
        else if (arrival.kind === 'error') setState({ kind: 'error', message: arrival.message });
        else if (currentSession()) setState({ kind: 'ready' });
        else signIn();
      })
      .catch((e: unknown) => setState({ kind: 'error', message: e instanceof Error ? e.message : 'Sign-in failed.' }));
  }, []);

  if (state.kind === 'ready') return <Console />;
  return (
    <main className="gate" id="main">
      <p className="realm-name">Account console · {realm}</p>
      {state.kind === 'starting' ? <p aria-busy="true">Signing you in…</p> : null}
      {state.kind === 'signedOut' ? <h1>You are signed out</h1> : null}
      {state.kind === 'error' ? (
        <>
          <h1>Sign-in did not complete</h1>
          <p className="error" role="alert">
            {state.message}
          </p>
        </>
      ) : null}
      {state.kind !== 'starting' ? (
        <button type="button" className="primary" onClick={signIn}>
          Sign in
        </button>
      ) : null}
    </main>
  );
}

function Console() {
  const route = useRoute();
  const [message, setMessage] = useState('');
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const clearTimer = useRef<number | undefined>(undefined);
  const announce = useCallback((text: string) => {
    // Cleared first so the same message twice is read twice; gone again after a while.
    setMessage('');
    window.clearTimeout(clearTimer.current);
    window.setTimeout(() => setMessage(text), 50);
    clearTimer.current = window.setTimeout(() => setMessage(''), 8000);
  }, []);
  const username = currentSession()?.username ?? '';

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // After navigation, put focus on the new page's heading once it is there.
    window.setTimeout(() => main.current?.querySelector<HTMLElement>('h1')?.focus(), 0);
  }, [route]);

  return (
    <AnnounceContext.Provider value={announce}>
      <header className="top">
        <div className="brand">
          <span className="brand-name">Steward</span> <span className="realm-name">{realm}</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <span>
            Signed in as <strong>{username}</strong>
          </span>
          <button type="button" className="secondary small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main}>
        <Page route={route} />
      </main>
      <div className="status" role="status" aria-live="polite">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'resources':
      return <ResourcesPage />;
    case 'resource':
      return <ResourcePage key={route.id} id={route.id} />;
    case 'shared':
      return <SharedPage />;
    case 'requests':
      return <RequestsPage />;
    case 'history':
      return <HistoryPage />;
  }
}
