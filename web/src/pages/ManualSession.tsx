// Logging a forgotten session by hand.
import { useId, useState, type FormEvent } from 'react';
import { post } from '../lib/api';
import { me } from '../lib/auth';
import { ymdIn } from '../lib/format';
import { navigate } from '../lib/router';
import { useStore } from '../lib/store';
import type { Session } from '../lib/types';
import { useI18n } from '../i18n/i18n';
import { ErrorText, Field, InstrumentSelect } from '../components/ui';

export default function ManualSessionPage() {
  const { t } = useI18n();
  const profile = useStore(me);
  const [date, setDate] = useState(ymdIn(new Date()));
  const [start, setStart] = useState('18:00');
  const [minutes, setMinutes] = useState('30');
  const [instrument, setInstrument] = useState(profile?.instruments?.[0] ?? 'violin');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = { notes: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const [y, m, d] = date.split('-').map(Number);
    const [hh, mm] = start.split(':').map(Number);
    const begin = new Date(y, m - 1, d, hh, mm);
    const mins = Number(minutes);
    if (!Number.isFinite(mins) || mins <= 0 || Number.isNaN(begin.getTime())) {
      setError('validation_failed');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await post<Session>('/practice/sessions', {
        start_time: begin.toISOString(),
        end_time: new Date(begin.getTime() + mins * 60_000).toISOString(),
        instrument,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      });
      navigate(`/sessions/${encodeURIComponent(s.session_id)}`, true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page">
      <h1>{t('sessions.manualTitle')}</h1>
      <form onSubmit={submit}>
        <Field label={t('sessions.date')} type="date" value={date} onChange={setDate} required max={ymdIn(new Date())} />
        <Field label={t('sessions.startTime')} type="time" value={start} onChange={setStart} required />
        <Field label={t('sessions.minutes')} type="number" value={minutes} onChange={setMinutes} required min={1} max={1440} inputMode="numeric" />
        <InstrumentSelect value={instrument} onChange={setInstrument} />
        <div className="field">
          <label htmlFor={ids.notes}>{t('practice.notes')}</label>
          <textarea id={ids.notes} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} />
        </div>
        <ErrorText error={error} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('sessions.addSubmit')}
        </button>
      </form>
    </section>
  );
}
