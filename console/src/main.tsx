import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, forgetToken, get, whenUnauthorized } from './api';
import { InboxPage } from './inbox-page';
import { RunPage } from './run-page';
import { RunsPage } from './runs-page';
import { StartPage } from './start-page';
import { TokenForm } from './token-form';
import type { Me } from './wire';

/** The page's place, kept in the URL's hash so links and the back button work: #/runs, #/runs/<id>, #/inbox, #/start. */
const routeOf = (hash: string): string[] => hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

function App() {
  const [route, setRoute] = useState(routeOf(location.hash));
  const [me, setMe] = useState<Me | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const signIn = () => {
    get<Me>('me')
      .then((who) => {
        setMe(who);
        setAsking(null);
      })
      .catch((err: Error) => {
        if (err instanceof ApiError && err.status === 401) return; // the token form is shown
        setProblem(err.message);
      });
  };
  useEffect(() => {
    whenUnauthorized((message) => {
      forgetToken();
      setMe(null);
      setAsking(message);
    });
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', onHash);
    signIn();
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // A new page takes the focus to its heading, so a screen reader says where the person now is.
  useEffect(() => {
    (document.querySelector('main h1') as HTMLElement | null)?.focus();
  }, [route.join('/'), me !== null]);

  const [section, id] = route;
  const current = section === 'inbox' ? 'inbox' : section === 'start' ? 'start' : 'runs';
  const link = (to: string, label: string) => (
    <a href={`#/${to}`} aria-current={current === to ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <header>
        <p class="brand">durable-teams console</p>
        <nav aria-label="Sections">
          {link('runs', 'Runs')}
          {link('inbox', 'Inbox')}
          {link('start', 'Start a run')}
        </nav>
        {me?.name ? (
          <p class="who">
            Signed in as <strong>{me.name}</strong>
            {me.operator ? ' (operator)' : ''}{' '}
            <button
              type="button"
              class="link"
              onClick={() => {
                forgetToken();
                setMe(null);
                setAsking('Signed out.');
              }}
            >
              Sign out
            </button>
          </p>
        ) : null}
      </header>
      <main id="main">
        {problem ? (
          <p role="alert" class="error">
            {problem}
          </p>
        ) : asking !== null ? (
          <TokenForm message={asking} onSaved={signIn} />
        ) : !me ? (
          <p role="status">Loading…</p>
        ) : current === 'inbox' ? (
          <InboxPage />
        ) : current === 'start' ? (
          <StartPage me={me} />
        ) : id ? (
          <RunPage runId={id} me={me} />
        ) : (
          <RunsPage />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
