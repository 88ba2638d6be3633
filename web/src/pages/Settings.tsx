// Settings: language, the audio-analysis consent (revocable), account.
import { useState } from 'react';
import { me } from '../lib/auth';
import { consent, revokeConsent } from '../lib/consent';
import { dateTime, type Lang } from '../lib/format';
import { useStore } from '../lib/store';
import { LANGS, setLang, useI18n } from '../i18n/i18n';
import { Alert } from '../components/ui';

export default function SettingsPage() {
  const { t, lang } = useI18n();
  const agreed = useStore(consent);
  const profile = useStore(me);
  const [revoked, setRevoked] = useState(false);
  return (
    <section className="page">
      <h1>{t('settings.title')}</h1>
      <section className="card">
        <h2>{t('nav.language')}</h2>
        <div className="segmented" role="group" aria-label={t('nav.language')}>
          {LANGS.map((l: Lang) => (
            <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
              {l === 'ko' ? '한국어' : 'English'}
            </button>
          ))}
        </div>
        <p className="hint">{t('settings.theme')}</p>
      </section>
      <section className="card">
        <h2>{t('settings.consent')}</h2>
        <p>{agreed ? t('settings.consentGiven', { date: dateTime(agreed, lang) }) : t('settings.consentNone')}</p>
        {agreed && (
          <button type="button" className="btn-secondary" onClick={() => { revokeConsent(); setRevoked(true); }}>
            {t('settings.revoke')}
          </button>
        )}
        {revoked && <Alert kind="success">{t('settings.revoked')}</Alert>}
      </section>
      {profile?.email && (
        <section className="card">
          <h2>{t('settings.account')}</h2>
          <p>{t('settings.signedInAs', { email: profile.email })}</p>
        </section>
      )}
    </section>
  );
}
