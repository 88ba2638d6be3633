// The profile header: photo, nickname, hashtags like on Instagram (#violin #student), bio.
import type { ReactNode } from 'react';
import type { Profile } from '../lib/types';

export function hashtagList(p: Profile): string[] {
  const tags = p.hashtags?.length ? p.hashtags : [...(p.instruments ?? []), ...(p.user_type ? [p.user_type] : [])];
  return tags.map((h) => (h.startsWith('#') ? h : `#${h}`));
}

export function ProfileHeader({ profile, actions }: { profile: Profile; actions?: ReactNode }) {
  const tags = hashtagList(profile);
  return (
    <header className="profile-header">
      <div className="avatar" aria-hidden="true">
        {profile.profile_image_url ? <img src={profile.profile_image_url} alt="" width={72} height={72} /> : <span>{profile.nickname.slice(0, 1).toUpperCase()}</span>}
      </div>
      <div className="profile-text">
        <h1 className="profile-name">{profile.nickname}</h1>
        {tags.length > 0 && (
          <ul className="tags">
            {tags.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        )}
        {profile.bio && <p className="bio">{profile.bio}</p>}
      </div>
      {actions && <div className="profile-actions">{actions}</div>}
    </header>
  );
}
