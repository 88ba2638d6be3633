import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/lib/config';
import { toError } from '../src/lib/api';
import { fitWithin } from '../src/lib/image';
import { level } from '../src/components/Heatmap';
import { base64url } from '../src/lib/pkce';

describe('parseConfig', () => {
  it('reads the runtime config and falls back safely', () => {
    expect(parseConfig({ api_base: '/api/', region: 'ap-northeast-2', user_pool_id: 'p', client_id: 'c', hosted_ui_domain: null, social_providers: ['Google', 3, 'Kakao'] })).toEqual({
      api_base: '/api', region: 'ap-northeast-2', user_pool_id: 'p', client_id: 'c', hosted_ui_domain: null, social_providers: ['Google', 'Kakao'],
    });
    expect(parseConfig(null)).toEqual({ api_base: '/api', region: null, user_pool_id: null, client_id: null, hosted_ui_domain: null, social_providers: [] });
    expect(parseConfig({ social_providers: 'Google' }).social_providers).toEqual([]);
  });
});

describe('toError', () => {
  it('takes the code from the error envelope, else from the status', () => {
    const e = toError(409, { error: { code: 'nickname_taken', message: 'taken' } });
    expect([e.status, e.code, e.message]).toEqual([409, 'nickname_taken', 'taken']);
    expect(toError(413, undefined).code).toBe('payload_too_large');
    expect(toError(429, 'x').code).toBe('too_many_requests');
    expect(toError(502, {}).code).toBe('server_error');
  });
});

describe('fitWithin', () => {
  it('shrinks the long side to 1024 and keeps the aspect ratio, never enlarges', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 1024, height: 768 });
    expect(fitWithin(3000, 6000)).toEqual({ width: 512, height: 1024 });
    expect(fitWithin(640, 480)).toEqual({ width: 640, height: 480 });
    expect(() => fitWithin(0, 10)).toThrow(/no size/);
  });
});

describe('heatmap level', () => {
  it('buckets practice seconds', () => {
    expect([0, 1, 899, 900, 1799, 1800, 3599, 3600, 99999].map(level)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });
});

describe('base64url', () => {
  it('encodes without padding or URL-unsafe characters', () => {
    expect(base64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64url(new Uint8Array([1]))).toBe('AQ');
  });
});

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    const { challengeFor } = await import('../src/lib/pkce');
    expect(await challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('toError fields', () => {
  it('keeps well-formed field errors and ignores the rest', () => {
    const e = toError(400, { error: { code: 'validation_failed', message: 'bad', fields: [{ field: 'bio', message: 'too long' }, { field: 3 }] } });
    expect(e.fields).toEqual([{ field: 'bio', message: 'too long' }]);
  });
});
