// The user's consent to audio analysis, remembered on this device and revocable in Settings.
import { createStore } from './store';

const KEY = 'woodshed.analysis_consent';
const read = (): string | null => {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
};

/** The ISO time consent was given, or null. */
export const consent = createStore<string | null>(read());

export function giveConsent(): void {
  const at = new Date().toISOString();
  localStorage.setItem(KEY, at);
  consent.set(at);
}

export function revokeConsent(): void {
  localStorage.removeItem(KEY);
  consent.set(null);
}
