import { useState } from 'preact/hooks';
import { t } from '../../shared/i18n.ts';
import { ApiError, hub, ok } from '../api.ts';
import { loginReason, startSession } from '../session.ts';

/** Email and password; a session that ran out says so, and the screen the user was on stays in the URL. */
export function LoginView() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const answer = await ok(
        await hub.auth.login.$post({
          json: { email: String(form.get('email')), password: String(form.get('password')) },
        }),
      );
      startSession(answer);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('login.wrong')
          : err instanceof ApiError && err.status === 429
            ? t('login.tooMany')
            : t('error.network'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={submit} aria-describedby="login-status">
        <h1>{t('app.title')}</h1>
        {loginReason.value === 'expired' && (
          <p class="notice" role="status" id="login-status">
            {t('login.expired')}
          </p>
        )}
        {loginReason.value === 'logged-out' && (
          <p class="notice" role="status" id="login-status">
            {t('login.loggedOut')}
          </p>
        )}
        <label>
          {t('login.email')}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
