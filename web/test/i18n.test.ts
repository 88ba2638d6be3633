import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { ko } from '../src/i18n/ko';
import { errorMessage, pickLang, translate } from '../src/i18n/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has every key in both languages and no extra ones', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });
  it('has no empty message and the same placeholders in both languages', () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[k].trim(), k).not.toBe('');
      expect(ko[k].trim(), k).not.toBe('');
      expect(placeholders(ko[k]), k).toEqual(placeholders(en[k]));
    }
  });
  it('has the accessible names the outside checks use, in English', () => {
    expect(en['auth.createAccount']).toBe('Create account');
    expect(en['auth.login']).toBe('Log in');
    expect(en['nav.logout']).toBe('Log out');
    expect(en['nav.practice']).toBe('Practice');
    expect(en['nav.dashboard']).toBe('Dashboard');
    expect(en['auth.email']).toBe('Email');
    expect(en['auth.password']).toBe('Password');
    expect(en['auth.nickname']).toBe('Nickname');
    expect(en['auth.code']).toBe('Confirmation code');
    expect(en['auth.confirm']).toBe('Confirm');
    expect(en['practice.start']).toBe('Start practice');
    expect(en['practice.stop']).toBe('Stop practice');
    expect(en['dashboard.share']).toBe('Share');
    expect(en['practice.instrument']).toBe('Instrument');
    expect(en['practice.analyze']).toBe('Analyze my playing');
    expect(en['practice.agree']).toBe('I agree');
    expect(en['practice.playTime']).toBe('Play time');
    expect(en['dashboard.calendar']).toBe('Calendar');
    expect(en['dashboard.statistics']).toBe('Statistics');
    expect(en['dashboard.totalTime']).toBe('Total practice time');
    expect(en['dashboard.sessions']).toBe('Sessions');
    expect(en['dashboard.currentStreak']).toBe('Current streak');
  });
  it('covers every API error code', () => {
    for (const code of ['validation_failed', 'email_taken', 'nickname_taken', 'user_not_confirmed', 'invalid_credentials', 'code_mismatch', 'code_expired', 'too_many_requests', 'unauthorized', 'not_found', 'conflict', 'payload_too_large', 'active_session_exists', 'network', 'weak_password', 'registration_expired', 'invalid_request', 'invalid_json', 'internal', 'invalid_cursor', 'forbidden']) {
      expect(errorMessage('en', code)).not.toBe(`Something went wrong (${code}).`);
      expect(errorMessage('ko', code)).not.toBe(`문제가 생겼습니다 (${code}).`);
    }
    expect(errorMessage('en', 'weird_code')).toBe('Something went wrong (weird_code).');
  });
});

describe('pickLang', () => {
  it('prefers the URL, then the saved choice, then the browser order, else English', () => {
    expect(pickLang('?lang=en', 'ko', ['ko-KR'])).toBe('en');
    expect(pickLang('?lang=xx', null, ['ko-KR', 'en'])).toBe('ko');
    expect(pickLang('', 'en', ['ko-KR'])).toBe('en');
    expect(pickLang('', null, ['ko'])).toBe('ko');
    expect(pickLang('', null, ['en-US', 'ko'])).toBe('en');
    expect(pickLang('', null, ['fr-FR', 'de'])).toBe('en');
    expect(pickLang('', null, [])).toBe('en');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translate('en', 'auth.confirmSent', { email: 'a@b.c' })).toBe('We sent a code to a@b.c. Enter it below.');
    expect(translate('ko', 'practice.pending', { n: 2 })).toBe('업로드를 기다리는 녹음 2개');
    expect(translate('en', 'auth.confirmSent')).toContain('{email}');
  });
});
