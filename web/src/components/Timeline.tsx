// The session timeline: a bar the length of the session with the played segments filled in.
import { duration } from '../lib/format';
import type { Segment } from '../lib/types';
import { useI18n } from '../i18n/i18n';

export function Timeline({ segments, total, play }: { segments: Segment[]; total: number; play: number }) {
  const { t, lang } = useI18n();
  const len = Math.max(total, ...segments.map((s) => s.end_s), 1);
  return (
    <figure className="timeline">
      <div className="timeline-bar" role="img" aria-label={t('timeline.label', { play: duration(play, lang), total: duration(total, lang) })}>
        {segments.map((s, i) => (
          <span
            key={i}
            className="timeline-seg"
            style={{ left: `${(s.start_s / len) * 100}%`, width: `${Math.max(0.3, ((s.end_s - s.start_s) / len) * 100)}%` }}
          />
        ))}
      </div>
      <figcaption className="hint">{t('timeline.legend')}</figcaption>
    </figure>
  );
}
