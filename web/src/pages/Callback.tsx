import { useEffect, useState } from 'react';
import { loadMe } from '../lib/auth';
import { finishSocialLogin } from '../lib/pkce';
import { navigate } from '../lib/router';
import { useI18n } from '../i18n/i18n';
import { Alert } from '../components/ui';

export default function CallbackPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void finishSocialLogin(query)
      .then(loadMe)
      .then(() => navigate('/practice', true))
      .catch((e: Error) => setError(e.message));
  }, []);
  return <section className="page auth">{error ? <Alert>{t('auth.callbackFailed', { reason: error })}</Alert> : <p role="status">{t('auth.callbackWorking')}</p>}</section>;
}
