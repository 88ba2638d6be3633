import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDashboard } from '../src/lib/dashboard';

const publicBody = {
  profile: { user_id: 'u1', nickname: 'Ysaÿe Fan', instruments: ['violin'], hashtags: ['#violin'], visibility: 'public' },
  statistics: { total_practice_seconds: 2400, sessions: 1, current_streak_days: 1, longest_streak_days: 1, average_session_seconds: 2400 },
  calendar: { time_zone: 'Asia/Seoul', days: [{ date: '2026-12-01', practice_seconds: 2400, sessions: 1 }] },
};

afterEach(() => vi.unstubAllGlobals());

describe('loadDashboard', () => {
  it('reads a share link from the public route without a token', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(publicBody), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const d = await loadDashboard('Ysaÿe Fan');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/public/profiles/Ysa%C3%BFe%20Fan');
    expect(init.method).toBe('GET');
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(d).toEqual({ ...publicBody, recent_sessions: [] });
  });

  it('turns a 404 into an error the page shows as private or missing', async () => {
    const body = { error: { code: 'not_found', message: 'profile not found' } };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 404 })));
    await expect(loadDashboard('nobody')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('needs a session for the own dashboard', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    await expect(loadDashboard()).rejects.toMatchObject({ status: 401 });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
