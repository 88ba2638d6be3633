// A year of practice per day, GitHub-style: weeks as columns, Monday on top. One tab stop; arrow keys
// move between days; scrollable sideways on phones, scrolled to today at first.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { addDays, day, duration, monthShort, weekdayIndex, weekdays } from '../lib/format';
import type { CalendarDay } from '../lib/types';
import { useI18n } from '../i18n/i18n';

export function level(seconds: number): number {
  if (seconds <= 0) return 0;
  if (seconds < 15 * 60) return 1;
  if (seconds < 30 * 60) return 2;
  if (seconds < 60 * 60) return 3;
  return 4;
}

export function Heatmap({ days, today, selected, onSelect }: { days: CalendarDay[]; today: string; selected: string | null; onSelect: (d: string) => void }) {
  const { t, lang } = useI18n();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  // Start on the Monday 52 weeks before this week's Monday.
  const first = addDays(today, -weekdayIndex(today) - 52 * 7);
  const cells = useMemo(() => {
    const out: string[] = [];
    for (let d = first; d <= today; d = addDays(d, 1)) out.push(d);
    return out;
  }, [first, today]);
  const [focus, setFocus] = useState(selected ?? today);
  const scroller = useRef<HTMLDivElement>(null);
  const refs = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, []);

  const move = (e: KeyboardEvent, from: string) => {
    const step: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -7, ArrowRight: 7, Home: -400, End: 400 };
    if (!(e.key in step)) return;
    e.preventDefault();
    let to = addDays(from, step[e.key]);
    if (to < first) to = first;
    if (to > today) to = today;
    setFocus(to);
    refs.current.get(to)?.focus();
  };

  const wd = weekdays(lang, 'narrow');
  const months: { col: number; label: string }[] = [];
  cells.forEach((d, i) => {
    if (d.endsWith('-01') || i === 0) months.push({ col: Math.floor(i / 7) + 1, label: monthShort(Number(d.slice(5, 7)) - 1, lang) });
  });

  return (
    <div className="heatmap">
      <div className="heatmap-scroll" ref={scroller}>
        <div className="heatmap-months" aria-hidden="true">
          {months.map((m) => (
            <span key={`${m.col}-${m.label}`} style={{ gridColumn: m.col }}>
              {m.label}
            </span>
          ))}
        </div>
        <div className="heatmap-body">
          <div className="heatmap-wd" aria-hidden="true">
            {wd.map((w, i) => (
              <span key={i}>{i % 2 === 0 ? w : ''}</span>
            ))}
          </div>
          <div className="heatmap-grid" role="group">
            {cells.map((d) => {
              const v = byDate.get(d);
              const secs = v?.practice_seconds ?? 0;
              return (
                <button
                  key={d}
                  ref={(el) => {
                    if (el) refs.current.set(d, el);
                    else refs.current.delete(d);
                  }}
                  type="button"
                  className={`cell l${level(secs)}`}
                  tabIndex={d === focus ? 0 : -1}
                  aria-pressed={d === selected}
                  aria-label={t('dashboard.cell', { date: day(d, lang), time: secs > 0 ? duration(secs, lang) : t('dashboard.noPractice') })}
                  onClick={() => {
                    setFocus(d);
                    onSelect(d);
                  }}
                  onKeyDown={(e) => move(e, d)}
                />
              );
            })}
          </div>
        </div>
      </div>
      <p className="heatmap-legend" aria-hidden="true">
        {t('dashboard.less')} <span className="cell l0" /> <span className="cell l1" /> <span className="cell l2" /> <span className="cell l3" /> <span className="cell l4" /> {t('dashboard.more')}
      </p>
    </div>
  );
}
