// Social login through the Cognito hosted UI: authorization code + PKCE (RFC 7636), no client secret.
import { config } from './config';
import { setTokens, type Tokens } from './api';

const VERIFIER_KEY = 'woodshed.pkce';

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function hostedBase(): string {
  const d = config().hosted_ui_domain ?? '';
  return (d.startsWith('http') ? d : `https://${d}`).replace(/\/$/, '');
}

export function redirectUri(): string {
  return `${location.origin}/auth/callback`;
}

/** Sends the browser to the hosted UI for one identity provider (Google, SignInWithApple, Kakao…). */
export async function startSocialLogin(provider: string): Promise<void> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config().client_id ?? '',
    redirect_uri: redirectUri(),
    identity_provider: provider,
    scope: 'openid email profile',
    state,
    code_challenge: await challengeFor(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${hostedBase()}/oauth2/authorize?${q}`);
}

/** Finishes the hosted-UI round trip on /auth/callback. */
export async function finishSocialLogin(params: URLSearchParams): Promise<void> {
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(VERIFIER_KEY);
  const err = params.get('error');
  if (err) throw new Error(params.get('error_description') ?? err);
  const code = params.get('code');
  if (!saved || !code || params.get('state') !== saved.state) throw new Error('invalid_state');
  const res = await fetch(`${hostedBase()}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config().client_id ?? '',
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) throw new Error(`token exchange failed (${res.status})`);
  setTokens((await res.json()) as Tokens);
}
