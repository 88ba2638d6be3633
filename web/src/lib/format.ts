// Locale-aware formatting of the numbers, dates and durations the app shows.
export type Lang = 'en' | 'ko';

/** A clock reading: M:SS under an hour, H:MM:SS from an hour on (the timer and Play time use it). */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const unitCache = new Map<string, Intl.NumberFormat>();
function unit(lang: Lang, u: 'hour' | 'minute' | 'second' | 'day'): Intl.NumberFormat {
  const key = `${lang}/${u}`;
  let f = unitCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
    unitCache.set(key, f);
  }
  return f;
}

/** A human duration: "1 hr 20 min" / "1시간 20분"; seconds only below a minute. */
export function duration(totalSeconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return unit(lang, 'second').format(s);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h === 0) return unit(lang, 'minute').format(m);
  if (m === 0) return unit(lang, 'hour').format(h);
  return `${unit(lang, 'hour').format(h)} ${unit(lang, 'minute').format(m)}`;
}

export function days(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(n);
}

export function number(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang).format(n);
}

export function percent(ratio: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** A calendar date (YYYY-MM-DD, no time zone) in words. */
export function day(ymd: string, lang: Lang, style: 'long' | 'short' = 'long'): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    year: style === 'long' ? 'numeric' : undefined,
    month: 'short',
    day: 'numeric',
    weekday: style === 'long' ? 'short' : undefined,
  }).format(dt);
}

/** An instant (RFC 3339) as date and time in the given zone (the browser's by default). */
export function dateTime(iso: string, lang: Lang, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function time(iso: string, lang: Lang, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function monthShort(monthIndex: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, monthIndex, 1)));
}

/** Weekday names Monday first. */
export function weekdays(lang: Lang, style: 'short' | 'narrow' = 'short'): string[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(lang, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i))),
  );
}

/** YYYY-MM-DD of an instant in a time zone. */
export function ymdIn(date: Date, timeZone?: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(ymd: string, n: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d + n));
  return dt.toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6 for a YYYY-MM-DD date. */
export function weekdayIndex(ymd: string): number {
  const [y, m, d] = ymd.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}
