import { describe, expect, it } from 'vitest';
import { addDays, clock, day, duration, number, weekdayIndex, weekdays, ymdIn } from '../src/lib/format';

describe('clock', () => {
  it('shows M:SS under an hour and H:MM:SS from an hour', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(40.7)).toBe('0:40');
    expect(clock(599)).toBe('9:59');
    expect(clock(3599)).toBe('59:59');
    expect(clock(3600)).toBe('1:00:00');
    expect(clock(36061)).toBe('10:01:01');
    expect(clock(-5)).toBe('0:00');
  });
  it('matches the Play time contract', () => {
    for (const s of [0, 59, 61, 3599, 3600, 86399]) expect(clock(s)).toMatch(/^(\d+:[0-5]\d:[0-5]\d|\d{1,2}:[0-5]\d)$/);
  });
});

describe('duration', () => {
  it('formats per locale', () => {
    expect(duration(45, 'en')).toBe('45 sec');
    expect(duration(20 * 60, 'en')).toBe('20 min');
    expect(duration(3600, 'en')).toBe('1 hr');
    expect(duration(4800, 'en')).toBe('1 hr 20 min');
    expect(duration(4800, 'ko')).toBe('1시간 20분');
    expect(duration(30, 'ko')).toBe('30초');
  });
});

describe('numbers and dates', () => {
  it('groups digits per locale', () => {
    expect(number(12345, 'en')).toBe('12,345');
    expect(number(12345, 'ko')).toBe('12,345');
  });
  it('names days per locale', () => {
    expect(day('2026-12-01', 'en')).toBe('Tue, Dec 1, 2026');
    expect(day('2026-12-01', 'ko')).toContain('2026년 12월 1일');
    expect(weekdays('en')[0]).toBe('Mon');
    expect(weekdays('ko')[6]).toBe('일');
  });
  it('does calendar arithmetic without time-zone drift', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(weekdayIndex('2026-12-01')).toBe(1); // Tuesday
    expect(weekdayIndex('2026-11-29')).toBe(6); // Sunday
    const instant = new Date('2026-12-01T20:00:00Z');
    expect(ymdIn(instant, 'Asia/Seoul')).toBe('2026-12-02');
    expect(ymdIn(instant, 'America/Los_Angeles')).toBe('2026-12-01');
  });
});
