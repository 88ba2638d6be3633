// The practice screen: instrument, notes, Analyze my playing (with consent), Start / Stop, a large live
// timer, the input level, the playing/paused hint, and the result with Play time and the timeline.
import { useEffect, useId, useState } from 'react';
import { me } from '../lib/auth';
import { consent, giveConsent } from '../lib/consent';
import { clock } from '../lib/format';
import { Link } from '../lib/router';
import { useStore } from '../lib/store';
import { errorMessage, useI18n } from '../i18n/i18n';
import { recordingSupported } from '../audio/recorder';
import { clearPracticeError, practice, resetPractice, resumeRecording, startPractice, stopPractice } from '../practice/controller';
import { Alert, Dialog, InstrumentSelect, Stat } from '../components/ui';
import { Timeline } from '../components/Timeline';

const PREF_KEY = 'woodshed.practice_prefs';

export default function PracticePage() {
  const { t, lang } = useI18n();
  const st = useStore(practice);
  const profile = useStore(me);
  const agreed = useStore(consent);
  const prefs = JSON.parse(localStorage.getItem(PREF_KEY) ?? '{}') as { instrument?: string; analyze?: boolean };
  const [instrument, setInstrument] = useState<string>(prefs.instrument ?? profile?.instruments?.[0] ?? 'violin');
  const [notes, setNotes] = useState('');
  const [analyze, setAnalyze] = useState<boolean>(!!prefs.analyze && !!agreed);
  const [asking, setAsking] = useState(false);
  const [now, setNow] = useState(Date.now());
  const ids = { notes: useId(), analyze: useId(), hint: useId(), level: useId() };

  const running = st.phase === 'running' || st.phase === 'stopping';
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [running]);
  useEffect(() => {
    localStorage.setItem(PREF_KEY, JSON.stringify({ instrument, analyze }));
  }, [instrument, analyze]);
  useEffect(() => {
    if (!agreed) setAnalyze(false);
  }, [agreed]);

  const onAnalyze = (checked: boolean) => {
    if (checked && !agreed) {
      // Shown checked while the explanation is open; declining unchecks it again.
      setAnalyze(true);
      setAsking(true);
      return;
    }
    setAnalyze(checked);
  };
  const agree = () => {
    giveConsent();
    setAnalyze(true);
    setAsking(false);
  };
  const decline = () => {
    setAsking(false);
    if (!consent.get()) setAnalyze(false);
  };

  const elapsed = st.startedAt ? Math.max(0, (now - st.startedAt) / 1000) : 0;
  const s = st.session;
  const errKey = st.error === 'mic_denied' ? 'practice.micDenied' : st.error === 'mic_unavailable' ? 'practice.micUnsupported' : null;
  const canRecord = recordingSupported();

  return (
    <section className="page practice">
      <h1 className="visually-hidden">{t('practice.title')}</h1>

      {(st.phase === 'idle' || st.phase === 'starting') && (
        <form
          className="practice-setup"
          onSubmit={(e) => {
            e.preventDefault();
            clearPracticeError();
            void startPractice(instrument, notes.trim(), analyze && !!consent.get() && canRecord);
          }}
        >
          <InstrumentSelect value={instrument} onChange={setInstrument} />
          <div className="field">
            <label htmlFor={ids.notes}>{t('practice.notes')}</label>
            <textarea id={ids.notes} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('practice.notesPlaceholder')} maxLength={1000} />
          </div>
          <div className="check">
            <input id={ids.analyze} type="checkbox" checked={analyze} onChange={(e) => onAnalyze(e.target.checked)} aria-describedby={ids.hint} disabled={!canRecord} />
            <label htmlFor={ids.analyze}>{t('practice.analyze')}</label>
            <small id={ids.hint} className="hint">
              {canRecord ? t('practice.analyzeHint') : t('practice.micUnsupported')}
            </small>
          </div>
          {st.error && <Alert>{errKey ? t(errKey) : errorMessage(lang, st.error)}</Alert>}
          <button type="submit" className="btn-primary btn-huge" disabled={st.phase === 'starting'}>
            {t('practice.start')}
          </button>
        </form>
      )}

      {running && (
        <div className="practice-live">
          <p className="live-mode">{st.recording ? t('practice.recording') : t('practice.timerOnly')}</p>
          <div className="timer" role="timer" aria-label={t('practice.elapsed')}>
            {clock(elapsed)}
          </div>
          {st.recording && (
            <>
              <div className="level">
                <label htmlFor={ids.level} className="visually-hidden">
                  {t('practice.level')}
                </label>
                <meter id={ids.level} min={0} max={1} low={0.05} high={0.9} optimum={0.5} value={st.level} />
              </div>
              <p className={st.playing ? 'hint-live playing' : 'hint-live'} aria-live="polite">
                {st.playing ? t('practice.playing') : t('practice.paused')}
              </p>
            </>
          )}
          {st.needsResume && (
            <>
              <Alert kind="info">{t('practice.resumed')}</Alert>
              <button type="button" className="btn-secondary" onClick={() => void resumeRecording()}>
                {t('practice.resume')}
              </button>
            </>
          )}
          {st.error && <Alert>{errKey ? t(errKey) : errorMessage(lang, st.error)}</Alert>}
          {st.pending > 0 && <p className="hint">{t('practice.pending', { n: st.pending })}</p>}
          <div className="field">
            <label htmlFor={ids.notes}>{t('practice.notes')}</label>
            <textarea id={ids.notes} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('practice.notesPlaceholder')} maxLength={1000} />
          </div>
          <button type="button" className="btn-stop btn-huge" onClick={() => void stopPractice(notes.trim())} disabled={st.phase === 'stopping'}>
            {t('practice.stop')}
          </button>
        </div>
      )}

      {(st.phase === 'analyzing' || st.phase === 'done') && s && (
        <div className="practice-result">
          {st.phase === 'analyzing' ? (
            <p className="analyzing" role="status">
              {st.waitingNetwork ? t('practice.waitingNetwork') : t('practice.analyzing')}
            </p>
          ) : (
            <Alert kind="success">{t('practice.done')}</Alert>
          )}
          {st.slow && <Alert kind="info">{t('practice.slow')}</Alert>}
          {st.dropped && <Alert>{t('practice.dropped', { reason: st.dropped })}</Alert>}
          <div className="stats-row">
            {st.phase === 'done' && s.actual_play_seconds != null && <Stat big label={t('practice.playTime')} value={clock(s.actual_play_seconds)} />}
            <Stat label={t('practice.totalTime')} value={s.duration_seconds != null ? clock(s.duration_seconds) : '–'} />
          </div>
          {st.phase === 'done' && s.timeline && s.duration_seconds != null && (
            <Timeline segments={s.timeline} total={s.duration_seconds} play={s.actual_play_seconds ?? 0} />
          )}
          <div className="actions">
            <button type="button" className="btn-primary" onClick={() => { setNotes(''); resetPractice(); }}>
              {t('practice.again')}
            </button>
            <Link href={`/sessions/${encodeURIComponent(s.session_id)}`} className="btn-secondary">
              {t('practice.openSession')}
            </Link>
          </div>
        </div>
      )}

      <Dialog open={asking} title={t('practice.consentTitle')} onClose={decline}>
        <p>{t('practice.consentBody')}</p>
        <p className="hint">{t('practice.consentRevocable')}</p>
        <div className="actions">
          <button type="button" className="btn-primary" onClick={agree} autoFocus>
            {t('practice.agree')}
          </button>
          <button type="button" className="btn-secondary" onClick={decline}>
            {t('practice.decline')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
