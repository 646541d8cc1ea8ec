// The frame around every signed-in page: the left navigation, the user and the language switch.
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { saveSession } from './api.ts';
import { LANGUAGES } from './i18n.ts';
import { useSession } from './session.tsx';

const NAV = ['designer', 'forms', 'tasks', 'portal', 'dashboards', 'admin'] as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation('app');
  return (
    <label className="language-switch">
      <span>{t('language.label')}</span>{' '}
      <select data-testid="language-switch" value={i18n.language} onChange={(e) => i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout() {
  const { t } = useTranslation('app');
  const session = useSession();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <nav className="nav" aria-label="main">
        <div className="brand">{t('app.name')}</div>
        {NAV.map((page) => (
          <NavLink key={page} to={`/${page}`} data-testid={`nav-${page}`}>
            {t(`nav.${page}`)}
          </NavLink>
        ))}
        <div className="nav-bottom">
          <LanguageSwitch />
          {session && <div className="who">{t('user.signedInAs', { user: session.user.username, tenant: session.tenant })}</div>}
          <button
            type="button"
            data-testid="logout"
            onClick={() => {
              saveSession(undefined);
              navigate('/login');
            }}
          >
            {t('user.logout')}
          </button>
        </div>
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
