// Language choice and message lookup. Korean when the browser prefers it, English otherwise;
// ?lang=ko|en overrides for the tab, the language switch for good.
import { useStore, createStore } from '../lib/store';
import type { Lang } from '../lib/format';
import { en, type MessageKey } from './en';
import { ko } from './ko';

export const messages: Record<Lang, Record<MessageKey, string>> = { en, ko };
export const LANGS: Lang[] = ['ko', 'en'];
const STORED = 'woodshed.lang';
const TAB = 'woodshed.lang.tab';

const isLang = (v: unknown): v is Lang => v === 'ko' || v === 'en';

/** Picks the language: URL parameter, then the saved choice, then the browser's preference order. */
export function pickLang(search: string, stored: string | null, preferred: readonly string[]): Lang {
  const q = new URLSearchParams(search).get('lang');
  if (isLang(q)) return q;
  if (isLang(stored)) return stored;
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

function initialLang(): Lang {
  if (typeof window === 'undefined') return 'en';
  const q = new URLSearchParams(location.search).get('lang');
  if (isLang(q)) sessionStorage.setItem(TAB, q);
  const stored = sessionStorage.getItem(TAB) ?? localStorage.getItem(STORED);
  return pickLang(location.search, stored, navigator.languages ?? [navigator.language]);
}

export const langStore = createStore<Lang>(initialLang());

export function setLang(l: Lang): void {
  localStorage.setItem(STORED, l);
  sessionStorage.setItem(TAB, l);
  langStore.set(l);
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  let s: string = messages[lang][key] ?? en[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  return s;
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function useI18n(): { lang: Lang; t: T } {
  const lang = useStore(langStore);
  return { lang, t: (key, params) => translate(lang, key, params) };
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(langStore.get(), key, params);
}

/** The message for an API error code, falling back to a generic one that names the code. */
export function errorMessage(lang: Lang, code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in en ? translate(lang, key) : translate(lang, 'error.unknown', { code });
}

/** The display name of an instrument id; a custom one ("custom:erhu") shows its label. */
export function instrumentName(lang: Lang, id: string): string {
  const key = `instrument.${id}` as MessageKey;
  return key in en ? translate(lang, key) : id.replace(/^custom:/, '').replace(/_/g, ' ');
}
