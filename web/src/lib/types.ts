// Shapes of the API (DESIGN §4).
export type UserType = 'student' | 'hobbyist' | 'professional' | 'teacher' | 'other';
export type Visibility = 'private' | 'public';

export interface Profile {
  user_id: string;
  nickname: string;
  profile_image_url?: string | null;
  instruments: string[];
  user_type?: UserType | null;
  bio?: string | null;
  hashtags: string[];
  custom_hashtags?: string[];
  time_zone?: string | null;
  visibility: Visibility;
  created_at?: string;
  email?: string;
}

export interface Segment {
  start_s: number;
  end_s: number;
}

export interface Session {
  session_id: string;
  instrument: string;
  start_time: string;
  end_time?: string | null;
  duration_seconds?: number | null;
  actual_play_seconds?: number | null;
  status: 'active' | 'analyzing' | 'done';
  source: 'recorded' | 'timer' | 'manual';
  notes?: string | null;
  timeline?: Segment[] | null;
}

export interface CalendarDay {
  date: string;
  practice_seconds: number;
  sessions: number;
}

export interface Calendar {
  time_zone?: string;
  days: CalendarDay[];
}

export interface Statistics {
  total_practice_seconds: number;
  sessions: number;
  current_streak_days: number;
  longest_streak_days: number;
  average_session_seconds: number;
  by_instrument?: { instrument: string; practice_seconds: number; sessions: number }[];
  by_weekday?: { weekday: number | string; practice_seconds: number; sessions?: number }[];
}

export interface Dashboard {
  profile: Profile;
  statistics: Statistics;
  recent_sessions: Session[];
  calendar?: Calendar;
}

/** GET /public/profiles/{nickname}: what a share link shows anyone (statistics for all time). */
export interface PublicProfile {
  profile: Profile;
  statistics: Statistics;
  calendar: Calendar;
}

// The catalogue ids of the API (shared/instrument); anything else is "custom:<label>".
export const INSTRUMENTS = [
  'violin',
  'viola',
  'cello',
  'double_bass',
  'guitar',
  'electric_guitar',
  'bass_guitar',
  'ukulele',
  'harp',
  'piano',
  'keyboard',
  'organ',
  'accordion',
  'flute',
  'piccolo',
  'recorder',
  'clarinet',
  'oboe',
  'bassoon',
  'saxophone',
  'harmonica',
  'trumpet',
  'trombone',
  'french_horn',
  'tuba',
  'drums',
  'percussion',
  'marimba',
  'voice',
  'gayageum',
  'geomungo',
  'haegeum',
  'daegeum',
  'danso',
  'piri',
  'janggu',
  'other',
] as const;

export const USER_TYPES: UserType[] = ['student', 'hobbyist', 'professional', 'teacher', 'other'];

/** The seconds a session counts for: analysed play time when there is one, else its length. */
export function practiceSeconds(s: Session): number {
  return s.actual_play_seconds ?? s.duration_seconds ?? 0;
}
