// Sign up, confirm, log in, forgot and reset password; social buttons when the runtime config enables them.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api';
import { confirm, forgotPassword, login, register, resendCode, resetPassword } from '../lib/auth';
import { config } from '../lib/config';
import { startSocialLogin } from '../lib/pkce';
import { Link, navigate } from '../lib/router';
import { useI18n } from '../i18n/i18n';
import { Alert, ErrorText, Field } from '../components/ui';

const PROVIDER_NAMES: Record<string, string> = { Google: 'Google', SignInWithApple: 'Apple', Apple: 'Apple', Kakao: 'Kakao' };

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (fn: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

function SocialButtons() {
  const { t } = useI18n();
  const c = config();
  if (!c.hosted_ui_domain || !c.client_id || c.social_providers.length === 0) return null;
  return (
    <div className="social">
      <p className="divider">
        <span>{t('auth.or')}</span>
      </p>
      {c.social_providers.map((p) => (
        <button key={p} type="button" className={`btn-social btn-${(PROVIDER_NAMES[p] ?? p).toLowerCase()}`} onClick={() => void startSocialLogin(p)}>
          {t('auth.continueWith', { provider: PROVIDER_NAMES[p] ?? p })}
        </button>
      ))}
    </div>
  );
}

export function LoginPage({ notice, email: initialEmail }: { notice: string | null; email: string }) {
  const { t } = useI18n();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = run(async () => {
    try {
      await login(email.trim(), password);
      navigate('/practice', true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'user_not_confirmed') {
        navigate(`/confirm?email=${encodeURIComponent(email.trim())}`);
        return;
      }
      throw e;
    }
  });
  const notices: Record<string, string> = { loggedOut: t('auth.loggedOut'), confirmed: t('auth.confirmed'), reset: t('auth.resetDone') };
  return (
    <section className="page auth">
      <p className="tagline">{t('app.tagline')}</p>
      <h1>{t('auth.loginTitle')}</h1>
      {notice && notices[notice] && <Alert kind="success">{notices[notice]}</Alert>}
      <form onSubmit={submit} noValidate={false}>
        <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required inputMode="email" />
        <Field label={t('auth.password')} type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
        <ErrorText error={error} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('auth.login')}
        </button>
      </form>
      <p>
        <Link href="/forgot">{t('auth.forgot')}</Link>
      </p>
      <SocialButtons />
      <p className="switch">
        {t('auth.noAccount')} <Link href="/register">{t('auth.createAccount')}</Link>
      </p>
    </section>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [nickname, setNickname] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = run(async () => {
    await register(email.trim(), password, nickname.trim());
    navigate(`/confirm?email=${encodeURIComponent(email.trim())}`);
  });
  return (
    <section className="page auth">
      <h1>{t('auth.registerTitle')}</h1>
      <form onSubmit={submit}>
        <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required inputMode="email" />
        <Field label={t('auth.password')} type="password" value={password} onChange={setPassword} autoComplete="new-password" required minLength={8} hint={t('auth.passwordHint')} />
        <Field label={t('auth.nickname')} value={nickname} onChange={setNickname} autoComplete="username" required minLength={3} maxLength={30} hint={t('auth.nicknameHint')} />
        <ErrorText error={error} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('auth.createAccount')}
        </button>
      </form>
      <SocialButtons />
      <p className="switch">
        {t('auth.haveAccount')} <Link href="/">{t('auth.login')}</Link>
      </p>
    </section>
  );
}

export function ConfirmPage({ email: initialEmail }: { email: string }) {
  const { t } = useI18n();
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const submit = run(async () => {
    await confirm(email.trim(), code.trim());
    navigate(`/?notice=confirmed&email=${encodeURIComponent(email.trim())}`);
  });
  const resend = async () => {
    setError(null);
    try {
      await resendCode(email.trim());
      setResent(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="page auth">
      <h1>{t('auth.confirmTitle')}</h1>
      {initialEmail && <p>{t('auth.confirmSent', { email: initialEmail })}</p>}
      <form onSubmit={submit}>
        {!initialEmail && <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required />}
        <Field label={t('auth.code')} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" required />
        <ErrorText error={error} />
        {resent && <Alert kind="info">{t('auth.resent')}</Alert>}
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('auth.confirm')}
        </button>
      </form>
      <p>
        <button type="button" className="btn-link" onClick={() => void resend()} disabled={!email}>
          {t('auth.resend')}
        </button>
      </p>
    </section>
  );
}

export function ForgotPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = run(async () => {
    await forgotPassword(email.trim());
    navigate(`/reset?email=${encodeURIComponent(email.trim())}`);
  });
  return (
    <section className="page auth">
      <h1>{t('auth.forgotTitle')}</h1>
      <form onSubmit={submit}>
        <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required />
        <ErrorText error={error} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('auth.forgotSend')}
        </button>
      </form>
      <p>
        <Link href="/">{t('app.back')}</Link>
      </p>
    </section>
  );
}

export function ResetPage({ email: initialEmail }: { email: string }) {
  const { t } = useI18n();
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = run(async () => {
    await resetPassword(email.trim(), code.trim(), password);
    navigate(`/?notice=reset&email=${encodeURIComponent(email.trim())}`);
  });
  return (
    <section className="page auth">
      <h1>{t('auth.forgotTitle')}</h1>
      {initialEmail && <p>{t('auth.forgotSent', { email: initialEmail })}</p>}
      <form onSubmit={submit}>
        {!initialEmail && <Field label={t('auth.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required />}
        <Field label={t('auth.resetCode')} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" required />
        <Field label={t('auth.newPassword')} type="password" value={password} onChange={setPassword} autoComplete="new-password" required minLength={8} hint={t('auth.passwordHint')} />
        <ErrorText error={error} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('auth.resetSubmit')}
        </button>
      </form>
    </section>
  );
}
