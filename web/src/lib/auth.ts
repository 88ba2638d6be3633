// Account actions and the signed-in user's profile.
import { clearTokens, get, post, refresh, refreshToken, setTokens, signedIn, type Tokens } from './api';
import { createStore } from './store';
import type { Profile } from './types';

export const me = createStore<Profile | null>(null);

export async function loadMe(): Promise<Profile | null> {
  if (!signedIn.get()) return null;
  try {
    const p = await get<Profile>('/auth/me');
    me.set(p);
    return p;
  } catch {
    return null;
  }
}

/** At start-up: turns a stored refresh token into an access token and loads the profile. */
export async function restoreSession(): Promise<void> {
  if (!refreshToken()) return;
  if (await refresh()) await loadMe();
}

export async function login(email: string, password: string): Promise<void> {
  const t = await post<Tokens>('/auth/login', { email, password }, false);
  setTokens(t);
  await loadMe();
}

export async function logout(): Promise<void> {
  const rt = refreshToken();
  try {
    if (rt) await post('/auth/logout', { refresh_token: rt });
  } catch {
    // Logging out locally matters more than the server call; the token expires anyway.
  }
  clearTokens();
  me.set(null);
}

export const register = (email: string, password: string, nickname: string) =>
  post<{ user_id: string; confirmation_required: boolean }>('/auth/register', { email, password, nickname }, false);
export const confirm = (email: string, code: string) => post('/auth/confirm', { email, code }, false);
export const resendCode = (email: string) => post('/auth/resend-code', { email }, false);
export const forgotPassword = (email: string) => post('/auth/forgot-password', { email }, false);
export const resetPassword = (email: string, code: string, new_password: string) =>
  post('/auth/reset-password', { email, code, new_password }, false);
