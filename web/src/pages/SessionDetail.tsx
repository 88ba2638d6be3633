// One session: timeline, play vs total time, notes, delete.
import { useEffect, useId, useState } from 'react';
import { del, get, patch } from '../lib/api';
import { clock, dateTime, time } from '../lib/format';
import { navigate } from '../lib/router';
import type { Session } from '../lib/types';
import { instrumentName, useI18n } from '../i18n/i18n';
import { Alert, Dialog, ErrorText, Spinner, Stat } from '../components/ui';
import { Timeline } from '../components/Timeline';

export default function SessionDetailPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [s, setS] = useState<Session | null>(null);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const notesId = useId();

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const load = async () => {
      try {
        const r = await get<Session>(`/practice/sessions/${encodeURIComponent(id)}`);
        if (stop) return;
        setS(r);
        setNotes((n) => n || r.notes || '');
        // Keep the page current while the analysis finishes.
        if (r.status !== 'done') timer = setTimeout(load, 2000);
      } catch (e) {
        if (!stop) setError(e);
      }
    };
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id]);

  const saveNotes = async () => {
    setError(null);
    setSaved(false);
    try {
      const r = await patch<Session>(`/practice/sessions/${encodeURIComponent(id)}`, { notes });
      if (r) setS(r);
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    setConfirming(false);
    try {
      await del(`/practice/sessions/${encodeURIComponent(id)}`);
      navigate('/sessions', true);
    } catch (e) {
      setError(e);
    }
  };

  if (!s) return <section className="page">{error ? <ErrorText error={error} /> : <Spinner />}</section>;
  const total = s.duration_seconds ?? 0;
  return (
    <section className="page">
      <h1>
        {instrumentName(lang, s.instrument)} · {dateTime(s.start_time, lang)}
      </h1>
      <p className="hint">
        {s.end_time ? `${time(s.start_time, lang)}–${time(s.end_time, lang)} · ` : ''}
        {t(`source.${s.source}`)} · {t(`status.${s.status}`)}
      </p>
      <div className="stats-row">
        {s.actual_play_seconds != null && <Stat big label={t('practice.playTime')} value={clock(s.actual_play_seconds)} />}
        <Stat label={t('practice.totalTime')} value={clock(total)} />
      </div>
      {s.status === 'analyzing' && <p role="status">{t('practice.analyzing')}</p>}
      {s.timeline && s.timeline.length >= 0 && s.source === 'recorded' && <Timeline segments={s.timeline} total={total} play={s.actual_play_seconds ?? 0} />}
      <div className="field">
        <label htmlFor={notesId}>{t('practice.notes')}</label>
        <textarea id={notesId} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} />
      </div>
      <ErrorText error={error} />
      {saved && <Alert kind="success">{t('app.saved')}</Alert>}
      <div className="actions">
        <button type="button" className="btn-secondary" onClick={() => void saveNotes()}>
          {t('sessions.saveNotes')}
        </button>
        <button type="button" className="btn-danger" onClick={() => setConfirming(true)}>
          {t('sessions.delete')}
        </button>
      </div>
      <Dialog open={confirming} title={t('sessions.delete')} onClose={() => setConfirming(false)}>
        <p>{t('sessions.confirmDelete')}</p>
        <div className="actions">
          <button type="button" className="btn-danger" onClick={() => void remove()}>
            {t('sessions.delete')}
          </button>
          <button type="button" className="btn-secondary" onClick={() => setConfirming(false)} autoFocus>
            {t('app.cancel')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
