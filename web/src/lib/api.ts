// The API client: JSON in and out, the access token kept in memory only, the refresh token persisted,
// silent refresh a minute before expiry and once more on a 401.
import { config } from './config';
import { createStore } from './store';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export interface Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
  token_type?: string;
}

const REFRESH_KEY = 'woodshed.refresh_token';
let access: { token: string; expiresAt: number } | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let refreshing: Promise<boolean> | null = null;

/** True while a refresh token is stored: the user counts as signed in until it is refused. */
export const signedIn = createStore<boolean>(hasRefreshToken());

function hasRefreshToken(): boolean {
  try {
    return !!localStorage.getItem(REFRESH_KEY);
  } catch {
    return false;
  }
}

export function refreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function setTokens(t: Tokens): void {
  access = { token: t.access_token, expiresAt: Date.now() + t.expires_in * 1000 };
  if (t.refresh_token) localStorage.setItem(REFRESH_KEY, t.refresh_token);
  if (refreshTimer) clearTimeout(refreshTimer);
  // Refresh a minute early (or halfway for very short tokens) so requests never meet an expired token.
  const lead = Math.min(60, t.expires_in / 2);
  refreshTimer = setTimeout(() => void refresh(), Math.max(1, t.expires_in - lead) * 1000);
  signedIn.set(true);
}

export function clearTokens(): void {
  access = null;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  localStorage.removeItem(REFRESH_KEY);
  signedIn.set(false);
}

/** Gets a new access token with the stored refresh token; false (and signed out) when it is refused. */
export function refresh(): Promise<boolean> {
  if (refreshing) return refreshing;
  const rt = refreshToken();
  if (!rt) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const t = await request<Tokens>('POST', '/auth/refresh', { refresh_token: rt }, false);
      setTokens(t);
      return true;
    } catch (e) {
      // Only a refusal signs out; a network failure keeps the refresh token for the next try.
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) clearTokens();
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function bearer(): Promise<string | null> {
  if (!access || access.expiresAt - Date.now() < 10_000) {
    if (!(await refresh())) return null;
  }
  return access ? access.token : null;
}

export async function request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
  const doFetch = async (): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      const tok = await bearer();
      if (!tok) throw new ApiError(401, 'unauthorized', 'not signed in');
      headers.Authorization = `Bearer ${tok}`;
    }
    try {
      return await fetch(config().api_base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', 'network unreachable');
    }
  };
  let res = await doFetch();
  if (res.status === 401 && auth) {
    access = null;
    if (await refresh()) res = await doFetch();
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw toError(res.status, data);
  return data as T;
}

export function toError(status: number, data: unknown): ApiError {
  const err = (data as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | undefined)?.error;
  const code = typeof err?.code === 'string' ? err.code : statusCode(status);
  const message = typeof err?.message === 'string' ? err.message : `HTTP ${status}`;
  const fields = Array.isArray(err?.fields)
    ? err.fields.filter((f): f is FieldError => typeof f?.field === 'string' && typeof f?.message === 'string')
    : [];
  return new ApiError(status, code, message, fields);
}

function statusCode(status: number): string {
  if (status === 400) return 'validation_failed';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'too_many_requests';
  return 'server_error';
}

export const get = <T>(path: string, auth = true) => request<T>('GET', path, undefined, auth);
export const post = <T>(path: string, body?: unknown, auth = true) => request<T>('POST', path, body ?? {}, auth);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Sends a file to a presigned S3 URL (PUT with headers, or POST with form fields). */
export async function presignedUpload(u: { method: 'PUT' | 'POST'; url: string; headers?: Record<string, string>; fields?: Record<string, string> }, body: Blob | ArrayBuffer): Promise<Response> {
  if (u.method === 'POST') {
    const form = new FormData();
    for (const [k, v] of Object.entries(u.fields ?? {})) form.append(k, v);
    form.append('file', body instanceof Blob ? body : new Blob([body]));
    return fetch(u.url, { method: 'POST', body: form });
  }
  return fetch(u.url, { method: 'PUT', headers: u.headers ?? {}, body });
}
