// Editing the profile: nickname, photo, instruments, user type, bio, hashtags, time zone, visibility.
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { post, presignedUpload, put } from '../lib/api';
import { loadMe, me } from '../lib/auth';
import { resizeImage } from '../lib/image';
import { useStore } from '../lib/store';
import { INSTRUMENTS, USER_TYPES, type Profile, type UserType, type Visibility } from '../lib/types';
import { instrumentName, useI18n } from '../i18n/i18n';
import { Alert, ErrorText, Field, Spinner } from '../components/ui';
import { ProfileHeader } from '../components/ProfileHeader';
import type { Upload } from '../upload/queue';

const MAX_TAGS = 10;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Custom tags are the shown hashtags minus those generated from instruments and user type. */
function customTags(p: Profile): string[] {
  if (p.custom_hashtags) return p.custom_hashtags;
  const generated = new Set([...(p.instruments ?? []), p.user_type ?? ''].map((x) => x.toLowerCase()));
  return (p.hashtags ?? []).map((h) => h.replace(/^#/, '')).filter((h) => !generated.has(h.toLowerCase()));
}

export function normaliseTag(raw: string): string {
  return raw.trim().replace(/^#+/, '').replace(/\s+/g, '_').slice(0, 30);
}

export default function ProfilePage() {
  const profile = useStore(me);
  if (!profile) return <section className="page"><Spinner /></section>;
  return <ProfileForm key={profile.user_id} profile={profile} />;
}

function ProfileForm({ profile }: { profile: Profile }) {
  const { t, lang } = useI18n();
  const [nickname, setNickname] = useState(profile.nickname);
  const [instruments, setInstruments] = useState<string[]>(profile.instruments ?? []);
  const [userType, setUserType] = useState<UserType | ''>(profile.user_type ?? '');
  const [bio, setBio] = useState(profile.bio ?? '');
  const [tags, setTags] = useState<string[]>(customTags(profile));
  const [tagInput, setTagInput] = useState('');
  const [zone, setZone] = useState(profile.time_zone || browserZone());
  const [visibility, setVisibility] = useState<Visibility>(profile.visibility ?? 'private');
  const [error, setError] = useState<unknown>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { userType: useId(), bio: useId(), bioCount: useId(), tag: useId(), zone: useId(), photo: useId(), zones: useId() };
  const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [zone];

  const addTag = () => {
    const tag = normaliseTag(tagInput);
    if (tag && tags.length < MAX_TAGS && !tags.some((x) => x.toLowerCase() === tag.toLowerCase())) setTags([...tags, tag]);
    setTagInput('');
  };
  const onTagKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      addTag();
    } else if (e.key === 'Backspace' && tagInput === '' && tags.length) {
      setTags(tags.slice(0, -1));
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMsg(null);
    try {
      await put<Profile>('/users/me', {
        nickname: nickname.trim(),
        instruments,
        ...(userType ? { user_type: userType } : {}),
        bio,
        hashtags: tags,
        time_zone: zone,
        visibility,
      });
      await loadMe();
      setMsg(t('profile.saved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onPhoto = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
      setMsg(t('profile.photoInvalid'));
      return;
    }
    setMsg(t('profile.photoUploading'));
    try {
      const blob = await resizeImage(file);
      const r = await post<{ upload: Upload }>('/users/me/upload-image', { content_type: 'image/jpeg', content_length: blob.size });
      const res = await presignedUpload(r.upload, blob);
      if (!res.ok) throw new Error(`upload ${res.status}`);
      setMsg(t('profile.photoDone'));
      setTimeout(() => void loadMe(), 2000);
    } catch (err) {
      setMsg(null);
      setError(err);
    }
  };

  const preview: Profile = {
    ...profile,
    nickname,
    bio,
    hashtags: [...instruments, ...(userType ? [userType] : []), ...tags].map((h) => `#${h}`),
  };

  return (
    <section className="page">
      <ProfileHeader profile={preview} />
      <form onSubmit={save} className="profile-form">
        <h2>{t('profile.title')}</h2>
        <div className="field">
          <label htmlFor={ids.photo}>{t('profile.changePhoto')}</label>
          <input id={ids.photo} type="file" accept="image/jpeg,image/png,image/webp" onChange={(e) => void onPhoto(e.target.files?.[0])} />
        </div>
        <Field label={t('auth.nickname')} value={nickname} onChange={setNickname} required minLength={3} maxLength={30} hint={t('auth.nicknameHint')} />
        <fieldset className="chips-field">
          <legend>{t('profile.instruments')}</legend>
          <div className="chips">
            {INSTRUMENTS.map((i) => (
              <label key={i} className="chip-check">
                <input
                  type="checkbox"
                  checked={instruments.includes(i)}
                  onChange={(e) => setInstruments(e.target.checked ? [...instruments, i] : instruments.filter((x) => x !== i))}
                />
                <span>{instrumentName(lang, i)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={ids.userType}>{t('profile.userType')}</label>
          <select id={ids.userType} value={userType} onChange={(e) => setUserType(e.target.value as UserType | '')}>
            <option value="">{t('profile.userTypeNone')}</option>
            {USER_TYPES.map((u) => (
              <option key={u} value={u}>
                {t(`userType.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.bio}>{t('profile.bio')}</label>
          <textarea id={ids.bio} rows={3} maxLength={300} value={bio} onChange={(e) => setBio(e.target.value)} aria-describedby={ids.bioCount} />
          <small id={ids.bioCount} className="hint">
            {t('profile.bioCount', { n: bio.length })}
          </small>
        </div>
        <div className="field">
          <label htmlFor={ids.tag}>{t('profile.hashtags')}</label>
          <ul className="chips" aria-live="polite">
            {tags.map((tag) => (
              <li key={tag} className="chip">
                #{tag}
                <button type="button" aria-label={t('profile.hashtagRemove', { tag })} onClick={() => setTags(tags.filter((x) => x !== tag))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="inline">
            <input id={ids.tag} value={tagInput} onChange={(e) => setTagInput(e.target.value)} onKeyDown={onTagKey} placeholder={t('profile.hashtagInput')} disabled={tags.length >= MAX_TAGS} maxLength={31} />
            <button type="button" className="btn-secondary" onClick={addTag} disabled={tags.length >= MAX_TAGS}>
              {t('profile.hashtagAdd')}
            </button>
          </div>
          <small className="hint">{t('profile.hashtagLimit')}</small>
        </div>
        <div className="field">
          <label htmlFor={ids.zone}>{t('profile.timeZone')}</label>
          <input id={ids.zone} list={ids.zones} value={zone} onChange={(e) => setZone(e.target.value)} />
          <datalist id={ids.zones}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <fieldset>
          <legend>{t('profile.visibility')}</legend>
          {(['private', 'public'] as Visibility[]).map((v) => (
            <label key={v} className="radio">
              <input type="radio" name="visibility" value={v} checked={visibility === v} onChange={() => setVisibility(v)} />
              {t(v === 'private' ? 'profile.private' : 'profile.public')}
            </label>
          ))}
          {visibility === 'public' && <small className="hint">{t('profile.publicLink', { url: `${location.origin}/u/${nickname}` })}</small>}
        </fieldset>
        <ErrorText error={error} />
        {msg && <Alert kind="info">{msg}</Alert>}
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('profile.save')}
        </button>
      </form>
    </section>
  );
}
