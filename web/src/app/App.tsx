// The shell: header with language switch and Log out, one navigation (top on desktop, bottom on phones),
// and the screens, code-split so the first load stays small.
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { signedIn } from '../lib/api';
import { logout } from '../lib/auth';
import { clock, type Lang } from '../lib/format';
import { Link, match, navigate, useRoute } from '../lib/router';
import { useStore } from '../lib/store';
import { LANGS, setLang, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { discardPractice, practice } from '../practice/controller';
import { Spinner } from '../components/ui';
import { ConfirmPage, ForgotPage, LoginPage, RegisterPage, ResetPage } from '../pages/Auth';

const PracticePage = lazy(() => import('../pages/Practice'));
const SessionsPage = lazy(() => import('../pages/Sessions'));
const SessionDetailPage = lazy(() => import('../pages/SessionDetail'));
const ManualSessionPage = lazy(() => import('../pages/ManualSession'));
const DashboardPage = lazy(() => import('../pages/Dashboard'));
const ProfilePage = lazy(() => import('../pages/Profile'));
const SettingsPage = lazy(() => import('../pages/Settings'));
const CallbackPage = lazy(() => import('../pages/Callback'));

const NAV: { href: string; key: MessageKey; icon: string }[] = [
  { href: '/practice', key: 'nav.practice', icon: '●' },
  { href: '/sessions', key: 'nav.sessions', icon: '≡' },
  { href: '/dashboard', key: 'nav.dashboard', icon: '▦' },
  { href: '/profile', key: 'nav.profile', icon: '☺' },
  { href: '/settings', key: 'nav.settings', icon: '⚙' },
];

const LANG_NAMES: Record<Lang, string> = { ko: '한국어', en: 'English' };

function Screen({ path, query, authed }: { path: string; query: URLSearchParams; authed: boolean }) {
  let m: Record<string, string> | null;
  if ((m = match('/u/:nickname', path))) return <DashboardPage nickname={m.nickname} />;
  if (path === '/auth/callback') return <CallbackPage query={query} />;
  if (!authed) {
    if (path === '/register') return <RegisterPage />;
    if (path === '/confirm') return <ConfirmPage email={query.get('email') ?? ''} />;
    if (path === '/forgot') return <ForgotPage />;
    if (path === '/reset') return <ResetPage email={query.get('email') ?? ''} />;
    return <LoginPage notice={query.get('notice')} email={query.get('email') ?? ''} />;
  }
  if (path === '/' || path === '/login' || path === '/register' || path === '/confirm' || path === '/practice') return <PracticePage />;
  if (path === '/sessions') return <SessionsPage />;
  if (path === '/sessions/new') return <ManualSessionPage />;
  if ((m = match('/sessions/:id', path))) return <SessionDetailPage id={m.id} />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/profile') return <ProfilePage />;
  if (path === '/settings') return <SettingsPage />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return <p className="page">{t('app.notFound')}</p>;
}

function RunningBanner({ path }: { path: string }) {
  const { t } = useI18n();
  const st = useStore(practice);
  const [now, setNow] = useState(Date.now());
  const running = st.phase === 'running' && st.startedAt != null;
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [running]);
  if (!running || path === '/practice' || path === '/') return null;
  return (
    <Link href="/practice" className="running-banner">
      {t('nav.running', { time: clock((now - st.startedAt!) / 1000) })}
    </Link>
  );
}

export function App({ ready }: { ready: boolean }) {
  const { t, lang } = useI18n();
  const authed = useStore(signedIn);
  const { path, query } = useRoute();
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.name');
  }, [lang]);
  // After an in-app navigation, move focus to the new screen so screen readers announce it.
  const firstPath = useRef(true);
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    addEventListener('online', on);
    addEventListener('offline', on);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', on);
    };
  }, []);

  const onLogout = async () => {
    discardPractice();
    await logout();
    navigate('/?notice=loggedOut');
  };

  let body: ReactNode = <Spinner />;
  if (ready) body = <Screen path={path} query={query} authed={authed} />;

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link href={authed ? '/practice' : '/'} className="brand" aria-label={t('app.name')}>
          <span aria-hidden="true">▮▮</span> {t('app.name')}
        </Link>
        {authed && ready && (
          <nav aria-label={t('nav.main')} className="nav">
            <ul>
              {NAV.map((n) => (
                <li key={n.href}>
                  <Link href={n.href} aria-current={path === n.href || (n.href === '/practice' && path === '/') || (n.href === '/sessions' && path.startsWith('/sessions/')) ? 'page' : undefined}>
                    <span className="nav-icon" aria-hidden="true">
                      {n.icon}
                    </span>
                    <span className="nav-text">{t(n.key)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="topbar-tools">
          <label className="visually-hidden" htmlFor="lang-switch">
            {t('nav.language')}
          </label>
          <select id="lang-switch" className="lang-switch" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            {LANGS.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANG_NAMES[l]}
              </option>
            ))}
          </select>
          {authed && ready && (
            <button type="button" className="btn-quiet" onClick={onLogout}>
              {t('nav.logout')}
            </button>
          )}
        </div>
      </header>
      {!online && <p className="offline-bar" role="status">{t('app.offline')}</p>}
      <RunningBanner path={path} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Spinner />}>{body}</Suspense>
      </main>
    </>
  );
}
