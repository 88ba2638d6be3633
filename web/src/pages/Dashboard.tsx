// The dashboard, own or public: profile header, Calendar heatmap, Statistics, recent practice, Share.
import { useEffect, useState } from 'react';
import { get, signedIn } from '../lib/api';
import { loadDashboard } from '../lib/dashboard';
import { addDays, days as daysText, duration, number, weekdayIndex, weekdays, ymdIn } from '../lib/format';
import { Link } from '../lib/router';
import { useStore } from '../lib/store';
import type { Calendar, Dashboard, Session, Statistics } from '../lib/types';
import { instrumentName, useI18n } from '../i18n/i18n';
import { Alert, ErrorText, Spinner, Stat } from '../components/ui';
import { ProfileHeader } from '../components/ProfileHeader';
import { Heatmap } from '../components/Heatmap';
import { Bars } from '../components/Bars';
import { SessionItem } from './Sessions';

type Period = 'week' | 'month' | 'year' | 'all';
const PERIODS: Period[] = ['week', 'month', 'year', 'all'];

export default function DashboardPage({ nickname }: { nickname?: string }) {
  const { t, lang } = useI18n();
  const authed = useStore(signedIn);
  // A share link (/u/{nickname}) is public: one call without a token, statistics for all time,
  // the 12 weeks of calendar it carries and no sessions. Only the own dashboard reads more.
  const own = !nickname;
  const [data, setData] = useState<Dashboard | null>(null);
  const [calendar, setCalendar] = useState<Calendar | null>(null);
  const [stats, setStats] = useState<Statistics | null>(null);
  const [period, setPeriod] = useState<Period>('all');
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [daySessions, setDaySessions] = useState<Session[] | null>(null);
  const [shareMsg, setShareMsg] = useState<string | null>(null);

  const tz = data?.profile.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = ymdIn(new Date(), tz);

  useEffect(() => {
    setData(null);
    setError(null);
    if (own && !authed) return;
    loadDashboard(nickname)
      .then((d) => {
        setData(d);
        setStats(d.statistics);
        if (d.calendar) setCalendar(d.calendar);
      })
      .catch(setError);
  }, [nickname, own, authed]);

  // The heatmap wants a full year (the API allows 366 days); the dashboard call carries 12 weeks.
  useEffect(() => {
    if (!data || !own || !authed) return;
    get<Calendar>(`/users/me/calendar?from=${addDays(today, -365)}&to=${today}`)
      .then(setCalendar)
      .catch(() => undefined);
  }, [data, own, today, authed]);

  useEffect(() => {
    if (!data || period === 'all' || !own || !authed) {
      if (data) setStats(data.statistics);
      return;
    }
    get<Statistics>(`/users/me/statistics?period=${period}`).then(setStats).catch(setError);
  }, [period, data, own, authed]);

  useEffect(() => {
    if (!selected || !own) return;
    setDaySessions(null);
    get<{ sessions: Session[] }>(`/practice/sessions?from=${selected}&to=${selected}&limit=50`)
      .then((r) => setDaySessions(r.sessions))
      .catch(() => setDaySessions([]));
  }, [selected, own]);

  if (error && !data) {
    return (
      <section className="page">
        {nickname ? <Alert>{t('dashboard.publicMissing')}</Alert> : <ErrorText error={error} />}
      </section>
    );
  }
  if (!data) return <section className="page dashboard"><Spinner /></section>;

  const p = data.profile;
  const share = async () => {
    setShareMsg(null);
    if (p.visibility !== 'public') {
      setShareMsg(t('dashboard.private'));
      return;
    }
    const url = `${location.origin}/u/${encodeURIComponent(p.nickname)}`;
    try {
      if (navigator.share) {
        await navigator.share({ title: t('app.name'), text: t('dashboard.shareText', { nickname: p.nickname }), url });
        return;
      }
      await navigator.clipboard.writeText(url);
      setShareMsg(t('dashboard.copied'));
    } catch (e) {
      if ((e as DOMException)?.name !== 'AbortError') setShareMsg(url);
    }
  };

  const s = stats ?? data.statistics;
  const calDays = calendar?.days ?? [];
  const weekdayTotals = Array.from({ length: 7 }, () => 0);
  if (s.by_weekday?.length) {
    for (const w of s.by_weekday) {
      const i = typeof w.weekday === 'number' ? w.weekday : ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].indexOf(String(w.weekday).toLowerCase());
      if (i >= 0 && i < 7) weekdayTotals[i] += w.practice_seconds;
    }
  } else {
    for (const d of calDays) weekdayTotals[weekdayIndex(d.date)] += d.practice_seconds;
  }
  const wdNames = weekdays(lang);
  const dayInfo = selected ? calDays.find((d) => d.date === selected) : null;

  return (
    <section className="page dashboard">
      <ProfileHeader
        profile={p}
        actions={
          <>
            <button type="button" className="btn-secondary" onClick={() => void share()}>
              {t('dashboard.share')}
            </button>
            {own && (
              <Link href="/profile" className="btn-quiet">
                {t('dashboard.editProfile')}
              </Link>
            )}
          </>
        }
      />
      {shareMsg && <Alert kind="info">{shareMsg}</Alert>}

      <section className="card">
        <h2>{t('dashboard.calendar')}</h2>
        <Heatmap days={calDays} today={today} selected={selected} onSelect={setSelected} />
        {selected && (
          <div className="day-detail" aria-live="polite">
            <h3>{new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${selected}T00:00:00Z`))}</h3>
            {dayInfo && dayInfo.practice_seconds > 0 ? <p>{duration(dayInfo.practice_seconds, lang)}</p> : <p>{t('dashboard.dayEmpty')}</p>}
            {own && daySessions && daySessions.length > 0 && (
              <ul className="session-list">
                {daySessions.map((x) => (
                  <SessionItem key={x.session_id} s={x} t={t} lang={lang} />
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      <section className="card">
        <div className="card-head">
          <h2>{t('dashboard.statistics')}</h2>
          {own && authed && (
            <div className="segmented" role="group" aria-label={t('dashboard.period')}>
              {PERIODS.map((x) => (
                <button key={x} type="button" aria-pressed={period === x} onClick={() => setPeriod(x)}>
                  {t(`period.${x}`)}
                </button>
              ))}
            </div>
          )}
        </div>
        <div className="stats-grid">
          <Stat label={t('dashboard.totalTime')} value={duration(s.total_practice_seconds, lang)} />
          <Stat label={t('dashboard.sessions')} value={number(s.sessions, lang)} />
          <Stat label={t('dashboard.currentStreak')} value={daysText(s.current_streak_days, lang)} />
          <Stat label={t('dashboard.longestStreak')} value={daysText(s.longest_streak_days, lang)} />
          <Stat label={t('dashboard.average')} value={duration(s.average_session_seconds, lang)} />
        </div>
        {(s.by_instrument?.length ?? 0) > 0 && (
          <>
            <h3>{t('dashboard.byInstrument')}</h3>
            <Bars
              rows={s.by_instrument!.map((r) => ({
                label: instrumentName(lang, r.instrument),
                value: r.practice_seconds,
                text: duration(r.practice_seconds, lang),
              }))}
            />
          </>
        )}
        <h3>{t('dashboard.byWeekday')}</h3>
        <Bars rows={wdNames.map((n, i) => ({ label: n, value: weekdayTotals[i], text: duration(weekdayTotals[i], lang) }))} />
      </section>

      {own && (
        <section className="card">
          <h2>{t('dashboard.recent')}</h2>
          {data.recent_sessions.length === 0 ? (
            <p>{t('dashboard.nothingYet')}</p>
          ) : (
            <ul className="session-list">
              {data.recent_sessions.map((x) => (
                <SessionItem key={x.session_id} s={x} t={t} lang={lang} />
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
