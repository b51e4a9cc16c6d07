import { useState } from 'preact/hooks';
import { saveToken } from './api';

/** Asks for the bearer token once per browser session; it is kept in sessionStorage only. */
export function TokenForm({ message, onSaved }: { message: string; onSaved: () => void }) {
  const [token, setToken] = useState('');
  return (
    <section aria-labelledby="token-heading">
      <h1 tabIndex={-1} id="token-heading">
        Sign in
      </h1>
      <p role="status">{message}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!token.trim()) return;
          saveToken(token.trim());
          onSaved();
        }}
      >
        <label for="token">Access token</label>
        <input id="token" type="password" autoComplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <p class="hint">The token your administrator gave you. It is kept for this browser tab only.</p>
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
