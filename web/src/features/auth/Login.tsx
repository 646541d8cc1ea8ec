import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { login } from '../../api.ts';
import { LanguageSwitch } from '../../Layout.tsx';

export function LoginPage() {
  const { t } = useTranslation('app');
  const navigate = useNavigate();
  const location = useLocation();
  const [tenant, setTenant] = useState('demo');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(tenant, username, password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (err) {
      setError(t('login.failed', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form onSubmit={submit} className="login-card">
        <h1>{t('login.title')}</h1>
        <label>
          {t('login.tenant')}
          <input
            data-testid="login-tenant"
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            required
            autoComplete="organization"
          />
        </label>
        <label>
          {t('login.username')}
          <input
            data-testid="login-username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoComplete="username"
          />
        </label>
        <label>
          {t('login.password')}
          <input
            data-testid="login-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="current-password"
          />
        </label>
        {error && (
          <div className="error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {t('login.submit')}
        </button>
        <LanguageSwitch />
      </form>
    </div>
  );
}
