// The running practice session, kept outside any screen so moving around the app does not stop it,
// and in localStorage so a reload picks it up again.
import { ApiError, get, post, presignedUpload } from '../lib/api';
import { createStore } from '../lib/store';
import type { Session } from '../lib/types';
import { MicDeniedError, Recorder } from '../audio/recorder';
import { ExpiredUploadError, PermanentError, UploadQueue, type Registration, type Transport } from '../upload/queue';
import { TARGET_RATE, CHUNK_SECONDS, type Chunk } from '../audio/chunker';
import { deleteDraft, loadDraft, saveDraft } from './draft';

export type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'analyzing' | 'done';

export interface PracticeState {
  phase: Phase;
  session: Session | null;
  startedAt: number | null;
  analyze: boolean;
  recording: boolean;
  needsResume: boolean;
  level: number;
  playing: boolean;
  pending: number;
  waitingNetwork: boolean;
  slow: boolean;
  error: string | null; // an API error code or 'mic_denied' / 'mic_unavailable'
  dropped: string | null;
}

const initial: PracticeState = {
  phase: 'idle', session: null, startedAt: null, analyze: false, recording: false, needsResume: false,
  level: 0, playing: false, pending: 0, waitingNetwork: false, slow: false, error: null, dropped: null,
};

export const practice = createStore<PracticeState>(initial);
const patchState = (p: Partial<PracticeState>) => practice.set((s) => ({ ...s, ...p }));

const ACTIVE_KEY = 'woodshed.active_session';
interface Active {
  session_id: string;
  start_time: string;
  analyze: boolean;
  next_chunk: number;
}
const loadActive = (): Active | null => {
  try {
    return JSON.parse(localStorage.getItem(ACTIVE_KEY) ?? 'null') as Active | null;
  } catch {
    return null;
  }
};
const saveActive = (a: Active | null) => (a ? localStorage.setItem(ACTIVE_KEY, JSON.stringify(a)) : localStorage.removeItem(ACTIVE_KEY));

// ---- uploads ----

function permanentStatus(status: number): boolean {
  return status === 400 || status === 403 || status === 404 || status === 409 || status === 413;
}

const transport: Transport = {
  async register(job) {
    try {
      return await post<Registration>('/practice/upload-audio', {
        session_id: job.session_id, chunk_index: job.chunk_index, content_length: job.wav.byteLength, content_type: 'audio/wav',
        lead_s: job.lead_s ?? 0,
      });
    } catch (e) {
      if (e instanceof ApiError && permanentStatus(e.status)) throw new PermanentError(e.code);
      throw e;
    }
  },
  async upload(reg, wav) {
    let res: Response;
    try {
      res = await presignedUpload(reg.upload, wav);
    } catch {
      throw new Error('network');
    }
    if (res.ok) return;
    if (res.status === 403) throw new ExpiredUploadError(`upload refused (${res.status})`);
    if (res.status >= 400 && res.status < 500) throw new PermanentError(`upload refused (${res.status})`);
    throw new Error(`upload failed (${res.status})`);
  },
  async end(sessionId, notes) {
    try {
      await post('/practice/end', { session_id: sessionId, ...(notes ? { notes } : {}) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return; // already ended elsewhere
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) throw new PermanentError(e.code);
      throw e;
    }
  },
};

export const queue = new UploadQueue({
  transport,
  onChange: (jobs) => {
    const id = practice.get().session?.session_id;
    patchState({ pending: jobs.filter((j) => j.kind === 'chunk' && j.session_id === id).length });
  },
  onDropped: (_job, err) => patchState({ dropped: err.message }),
});
let stopQueue: (() => void) | null = null;

// ---- wake lock and leaving ----

let wakeLock: WakeLockSentinel | null = null;
async function lockScreen(): Promise<void> {
  try {
    wakeLock = (await navigator.wakeLock?.request('screen')) ?? null;
  } catch {
    wakeLock = null; // refused (battery saver, hidden tab): practice goes on regardless
  }
}
function onVisible(): void {
  if (document.visibilityState === 'visible' && practice.get().phase === 'running' && (!wakeLock || wakeLock.released)) void lockScreen();
}
function onBeforeUnload(e: BeforeUnloadEvent): void {
  if (practice.get().phase === 'running' || practice.get().phase === 'stopping') {
    e.preventDefault();
    e.returnValue = '';
  }
}

// ---- the live "playing / paused" hint ----

const recent: number[] = [];
const HINT_BLOCKS = 35; // ~1.5 s of 2048-sample blocks at 48 kHz
const HINT_RMS = 0.01; // -40 dBFS
function onLevel(rms: number): void {
  recent.push(rms);
  if (recent.length > HINT_BLOCKS) recent.shift();
  const loud = recent.filter((r) => r > HINT_RMS).length;
  patchState({ level: Math.min(1, rms * 4), playing: loud * 2 >= recent.length });
}

// ---- the recorder ----

let recorder: Recorder | null = null;
let draftTimer: ReturnType<typeof setInterval> | null = null;

function keepDraft(sessionId: string): void {
  const save = () => {
    const d = recorder?.draft();
    if (d) void saveDraft({ session_id: sessionId, index: d.index, pcm: d.pcm, lead: d.lead, saved_at: Date.now() });
  };
  if (draftTimer) clearInterval(draftTimer);
  draftTimer = setInterval(save, 5000);
  removeEventListener('pagehide', onPageHide);
  pageHideSave = save;
  addEventListener('pagehide', onPageHide);
}
let pageHideSave: (() => void) | null = null;
function onPageHide(): void {
  pageHideSave?.();
}
function dropDraft(sessionId: string): void {
  if (draftTimer) clearInterval(draftTimer);
  draftTimer = null;
  pageHideSave = null;
  void deleteDraft(sessionId);
}

async function onChunk(sessionId: string, c: Chunk, kick = true): Promise<void> {
  const a = loadActive();
  if (a && a.session_id === sessionId) saveActive({ ...a, next_chunk: c.index + 1 });
  await queue.addChunk(sessionId, c.index, c.wav, c.lead);
  if (kick) void queue.process();
}

/** Reopens the microphone of a session that was running before a reload. */
async function reopenMic(sessionId: string, nextChunk: number, startedAt: number): Promise<void> {
  const d = await loadDraft(sessionId);
  const draft = d && d.index >= nextChunk ? d : undefined;
  const first = draft ? draft.index : nextChunk;
  const recorded = first * CHUNK_SECONDS + (draft ? draft.pcm.length / TARGET_RATE : 0);
  const gap = Math.max(0, (Date.now() - startedAt) / 1000 - recorded);
  const r = new Recorder();
  await r.start({ onChunk: (c) => void onChunk(sessionId, c), onLevel }, { firstIndex: first, draft: draft?.pcm, draftLead: draft?.lead, silenceSeconds: gap });
  recorder = r;
  keepDraft(sessionId);
  patchState({ recording: true, needsResume: false, error: null });
}

function micError(e: unknown): string {
  return e instanceof MicDeniedError ? 'mic_denied' : 'mic_unavailable';
}

// ---- public actions ----

/** Starts the queue and picks up a session left running before a reload. */
export async function initPractice(): Promise<void> {
  if (!stopQueue) {
    stopQueue = queue.start();
    addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('visibilitychange', onVisible);
  }
  const a = loadActive();
  if (!a || practice.get().phase !== 'idle') return;
  try {
    const s = await get<Session>(`/practice/sessions/${encodeURIComponent(a.session_id)}`);
    if (s.status === 'active') {
      patchState({ phase: 'running', session: s, startedAt: Date.parse(s.start_time), analyze: a.analyze, needsResume: a.analyze, recording: false });
      void lockScreen();
    } else {
      saveActive(null);
      patchState({ session: s });
      void waitForResult(s.session_id);
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) saveActive(null);
  }
}

export async function startPractice(instrument: string, notes: string, analyze: boolean): Promise<void> {
  if (practice.get().phase === 'running' || practice.get().phase === 'starting') return;
  patchState({ ...initial, phase: 'starting', analyze });
  // Open the microphone before the session exists: a refusal then leaves no empty session behind, and
  // the audio starts with the session, so the timeline lines up with the clock.
  const holder: { id: string | null } = { id: null };
  let r: Recorder | null = null;
  if (analyze) {
    r = new Recorder();
    try {
      await r.start({ onChunk: (c) => holder.id && void onChunk(holder.id, c), onLevel });
    } catch (e) {
      r.release();
      patchState({ phase: 'idle', analyze: false, error: micError(e) });
      return;
    }
  }
  let session: Session;
  try {
    session = await post<Session>('/practice/start', { instrument, analyze: !!r, ...(notes ? { notes } : {}) });
  } catch (e) {
    r?.release();
    if (e instanceof ApiError && e.code === 'active_session_exists') {
      const adopted = await adoptActive();
      if (adopted) return;
    }
    patchState({ phase: 'idle', error: e instanceof ApiError ? e.code : 'server_error' });
    return;
  }
  holder.id = session.session_id;
  recorder = r;
  if (r) keepDraft(session.session_id);
  const startedAt = Date.parse(session.start_time) || Date.now();
  saveActive({ session_id: session.session_id, start_time: session.start_time, analyze, next_chunk: 0 });
  patchState({ phase: 'running', session, startedAt, recording: !!r });
  void lockScreen();
}

/** A session already running on the server (another tab or device) becomes the one on screen. */
async function adoptActive(): Promise<boolean> {
  try {
    const list = await get<{ sessions: Session[] }>('/practice/sessions?limit=5');
    const s = list.sessions.find((x) => x.status === 'active');
    if (!s) return false;
    saveActive({ session_id: s.session_id, start_time: s.start_time, analyze: false, next_chunk: 0 });
    patchState({ phase: 'running', session: s, startedAt: Date.parse(s.start_time), analyze: false, error: 'active_session_exists' });
    return true;
  } catch {
    return false;
  }
}

export async function resumeRecording(): Promise<void> {
  const st = practice.get();
  const s = st.session;
  const a = loadActive();
  if (!s || !a) return;
  try {
    await reopenMic(s.session_id, a.next_chunk, st.startedAt ?? Date.parse(s.start_time));
  } catch (e) {
    patchState({ error: micError(e) });
  }
}

export async function stopPractice(notes: string): Promise<void> {
  const st = practice.get();
  if (st.phase !== 'running' || !st.session) return;
  const id = st.session.session_id;
  patchState({ phase: 'stopping' });
  if (recorder) {
    const last = await recorder.stop();
    recorder = null;
    // Queued with the end call before the queue runs, so the session is ended before its last
    // chunk is uploaded (see queue.ts).
    if (last) await onChunk(id, last, false);
  }
  dropDraft(id);
  await queue.addEnd(id, notes || undefined);
  saveActive(null);
  void wakeLock?.release().catch(() => undefined);
  wakeLock = null;
  patchState({ recording: false, level: 0, playing: false });
  void queue.process();
  await waitForResult(id);
}

/** Polls the session until its analysis is done (or, for a timer session, until it is ended). */
async function waitForResult(id: string): Promise<void> {
  patchState({ phase: 'analyzing', slow: false });
  const started = Date.now();
  for (;;) {
    // Stop when the user moved on (a new session, or back to the start form).
    if (practice.get().session?.session_id !== id || practice.get().phase !== 'analyzing') return;
    const endPending = (await queue.jobs()).some((j) => j.kind === 'end' && j.session_id === id);
    patchState({ waitingNetwork: endPending && !navigator.onLine });
    if (!endPending) {
      try {
        const s = await get<Session>(`/practice/sessions/${encodeURIComponent(id)}`);
        const finished = s.status === 'done' || (s.status !== 'active' && s.status !== 'analyzing' && s.actual_play_seconds != null);
        patchState({ session: s });
        if (finished) {
          patchState({ phase: 'done' });
          return;
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          patchState({ phase: 'idle', session: null, error: 'not_found' });
          return;
        }
      }
    }
    const waited = Date.now() - started;
    if (waited > 60_000) patchState({ slow: true });
    await new Promise((r) => setTimeout(r, waited < 120_000 ? 1000 : 5000));
  }
}

/** Back to the start form; a session still being analysed finishes on its own (see Sessions). */
export function resetPractice(): void {
  const ph = practice.get().phase;
  if (ph === 'done' || ph === 'idle' || ph === 'analyzing') patchState({ ...initial });
}

export function clearPracticeError(): void {
  patchState({ error: null, dropped: null });
}

/** On logout: stop the microphone and forget the local session (server state is left as is). */
export function discardPractice(): void {
  recorder?.release();
  recorder = null;
  const id = practice.get().session?.session_id;
  if (id) dropDraft(id);
  saveActive(null);
  practice.set(initial);
}
