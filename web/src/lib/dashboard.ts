// Where a dashboard comes from: the caller's own (with the token) or a public profile by its share
// link (without one, so it works signed out and shows only what the profile makes public).
import { get } from './api';
import type { Dashboard, PublicProfile } from './types';

export async function loadDashboard(nickname?: string): Promise<Dashboard> {
  if (!nickname) return get<Dashboard>('/users/me/dashboard');
  const p = await get<PublicProfile>(`/public/profiles/${encodeURIComponent(nickname)}`, false);
  return { profile: p.profile, statistics: p.statistics, calendar: p.calendar, recent_sessions: [] };
}
