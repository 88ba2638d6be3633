// The session list: newest first, infinite scroll, filters by instrument and date range.
import { useEffect, useId, useRef, useState } from 'react';
import { get } from '../lib/api';
import { clock, dateTime, duration, type Lang } from '../lib/format';
import { Link } from '../lib/router';
import { practiceSeconds, type Session } from '../lib/types';
import { instrumentName, useI18n, type T } from '../i18n/i18n';
import { ErrorText, InstrumentSelect, Spinner } from '../components/ui';

export function SessionItem({ s, t, lang }: { s: Session; t: T; lang: Lang }) {
  const total = s.duration_seconds ?? 0;
  return (
    <li className="session-item">
      <Link href={`/sessions/${encodeURIComponent(s.session_id)}`}>
        <span className="session-main">
          <strong>{instrumentName(lang, s.instrument)}</strong>
          <span className="session-when">{dateTime(s.start_time, lang)}</span>
        </span>
        <span className="session-figures">
          <span className="session-time">{clock(practiceSeconds(s))}</span>
          <span className="hint">
            {s.actual_play_seconds != null ? t('sessions.played', { play: duration(s.actual_play_seconds, lang), total: duration(total, lang) }) : `${duration(total, lang)} · ${t(s.status === 'done' ? `source.${s.source}` : `status.${s.status}`)}`}
          </span>
        </span>
      </Link>
    </li>
  );
}

export default function SessionsPage() {
  const { t, lang } = useI18n();
  const [instrument, setInstrument] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [items, setItems] = useState<Session[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const gen = useRef(0);
  const ids = { from: useId(), to: useId() };

  const load = async (cursor: string | null, reset: boolean) => {
    const mine = ++gen.current;
    setLoading(true);
    setError(null);
    const q = new URLSearchParams({ limit: '20' });
    if (cursor) q.set('cursor', cursor);
    if (instrument) q.set('instrument', instrument);
    // Local dates in the user's time zone, both inclusive.
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    try {
      const r = await get<{ sessions: Session[]; next?: string | null }>(`/practice/sessions?${q}`);
      if (mine !== gen.current) return;
      setItems((prev) => (reset ? r.sessions : [...prev, ...r.sessions]));
      setNext(r.next ?? null);
      setDone(!r.next);
    } catch (e) {
      if (mine === gen.current) setError(e);
    } finally {
      if (mine === gen.current) setLoading(false);
    }
  };

  useEffect(() => {
    setItems([]);
    setDone(false);
    void load(null, true);
  }, [instrument, from, to]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || done || loading || error) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && next) void load(next, false);
    }, { rootMargin: '200px' });
    io.observe(el);
    return () => io.disconnect();
  }, [next, done, loading, error]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('sessions.title')}</h1>
        <Link href="/sessions/new" className="btn-secondary">
          {t('sessions.add')}
        </Link>
      </div>
      <div className="filters">
        <InstrumentSelect value={instrument} onChange={setInstrument} anyLabel={t('sessions.allInstruments')} />
        <div className="field">
          <label htmlFor={ids.from}>{t('sessions.from')}</label>
          <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('sessions.to')}</label>
          <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </div>
      <ErrorText error={error} />
      {items.length === 0 && done && !error && <p>{t('sessions.empty')}</p>}
      <ul className="session-list">
        {items.map((s) => (
          <SessionItem key={s.session_id} s={s} t={t} lang={lang} />
        ))}
      </ul>
      {loading && <Spinner />}
      {!done && !loading && next && (
        <button type="button" className="btn-secondary" onClick={() => void load(next, false)}>
          {t('sessions.loadMore')}
        </button>
      )}
      {done && items.length > 0 && <p className="hint">{t('sessions.end')}</p>}
      <div ref={sentinel} aria-hidden="true" />
    </section>
  );
}
