// The upload queue: recorded chunks and the final "end session" call wait in IndexedDB until they have
// gone through, so a dropped network, a closed laptop or a page reload loses no practice.
// Order matters per session: every chunk is registered (POST /practice/upload-audio) before the session
// is ended, so the server knows how many chunks to wait for; the uploads themselves may finish later.
// A dropped chunk (refused for good) no longer holds its session's end back.

export interface Upload {
  method: 'PUT' | 'POST';
  url: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}

export interface Registration {
  analysis_id: string;
  upload: Upload;
  expires_at: string;
}

interface JobBase {
  id?: number;
  session_id: string;
  attempts: number;
  next_at: number; // epoch ms before which the job is not tried again
  created_at: number;
  last_error?: string;
}
export interface ChunkJob extends JobBase {
  kind: 'chunk';
  chunk_index: number;
  wav: ArrayBuffer;
  /** Seconds at the start of wav that repeat the previous chunk's end (absent: none). */
  lead_s?: number;
  registration?: Registration;
}
export interface EndJob extends JobBase {
  kind: 'end';
  notes?: string;
}
export type Job = ChunkJob | EndJob;

/** What the queue needs from the network; the app binds it to the API client. */
export interface Transport {
  register(job: ChunkJob): Promise<Registration>;
  upload(reg: Registration, wav: ArrayBuffer): Promise<void>;
  end(sessionId: string, notes?: string): Promise<void>;
}

/** Thrown by a transport when retrying cannot help (bad request, session gone): the job is dropped. */
export class PermanentError extends Error {}
/** Thrown by a transport when the presigned URL was refused as expired: the chunk registers anew. */
export class ExpiredUploadError extends Error {}

export interface QueueOptions {
  transport: Transport;
  idb?: IDBFactory;
  dbName?: string;
  now?: () => number;
  random?: () => number;
  /** Called after every change with the jobs still waiting. */
  onChange?: (jobs: Job[]) => void;
  /** Called when a job is dropped for good. */
  onDropped?: (job: Job, err: Error) => void;
}

const STORE = 'jobs';
const MAX_BACKOFF_MS = 60_000;
const EXPIRY_MARGIN_MS = 30_000;

export function backoff(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
  // Full jitter in the upper half keeps many tabs coming back online from retrying in lockstep.
  return Math.round(base * (0.5 + random() / 2));
}

export class UploadQueue {
  private readonly opts: Required<Omit<QueueOptions, 'onChange' | 'onDropped'>> & Pick<QueueOptions, 'onChange' | 'onDropped'>;
  private dbp: Promise<IDBDatabase> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: QueueOptions) {
    this.opts = {
      idb: opts.idb ?? globalThis.indexedDB,
      dbName: opts.dbName ?? 'woodshed-uploads',
      now: opts.now ?? Date.now,
      random: opts.random ?? Math.random,
      ...opts,
    };
  }

  async addChunk(sessionId: string, chunkIndex: number, wav: ArrayBuffer, leadS = 0): Promise<void> {
    await this.put({
      kind: 'chunk', session_id: sessionId, chunk_index: chunkIndex, wav, lead_s: leadS, attempts: 0, next_at: 0, created_at: this.opts.now(),
    });
  }

  async addEnd(sessionId: string, notes?: string): Promise<void> {
    await this.put({ kind: 'end', session_id: sessionId, notes, attempts: 0, next_at: 0, created_at: this.opts.now() });
  }

  /** Jobs still waiting, oldest first. */
  async jobs(): Promise<Job[]> {
    const db = await this.db();
    return req<Job[]>(db.transaction(STORE).objectStore(STORE).getAll());
  }

  /** Whether a session still has work waiting (its end call included). */
  async hasPending(sessionId: string): Promise<boolean> {
    return (await this.jobs()).some((j) => j.session_id === sessionId);
  }

  /**
   * Runs every job that is due once, in order. Concurrent calls share one run (and trigger one more pass
   * afterwards, so work added meanwhile is not left waiting).
   */
  process(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Processes now and keeps retrying on a timer and whenever the browser comes back online. */
  start(): () => void {
    const kick = () => void this.process().then(() => this.schedule());
    globalThis.addEventListener?.('online', kick);
    kick();
    return () => {
      globalThis.removeEventListener?.('online', kick);
      if (this.timer) clearTimeout(this.timer);
    };
  }

  private async schedule(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const jobs = await this.jobs();
    if (jobs.length === 0) return;
    const next = Math.min(...jobs.map((j) => j.next_at));
    const wait = Math.max(250, next - this.opts.now());
    this.timer = setTimeout(() => void this.process().then(() => this.schedule()), wait);
  }

  // One pass in three steps: register every due chunk, end the sessions whose chunks are all
  // registered, then upload. Ending before the last upload means the analysis of that last chunk
  // finds the session ended and completes it, whatever order the server finishes things in.
  private async pass(): Promise<void> {
    const jobs = await this.jobs();
    const due = (j: Job) => j.next_at <= this.opts.now();
    const chunks = jobs.filter((j): j is ChunkJob => j.kind === 'chunk');

    for (const job of chunks) {
      if (!due(job) || this.registered(job)) continue;
      await this.attempt(job, async () => {
        job.registration = await this.opts.transport.register(job);
        await this.put(job);
      }, false);
    }

    const unregistered = new Set(chunks.filter((j) => !this.registered(j)).map((j) => j.session_id));
    for (const job of jobs) {
      if (job.kind !== 'end' || !due(job) || unregistered.has(job.session_id)) continue;
      await this.attempt(job, () => this.opts.transport.end(job.session_id, job.notes), true);
    }

    for (const job of chunks) {
      if (!due(job) || !this.registered(job)) continue;
      await this.attempt(job, () => this.opts.transport.upload(job.registration!, job.wav), true);
    }
    this.opts.onChange?.(await this.jobs());
  }

  /** Runs one step of a job; on success removes the job when `finishes`, on failure schedules a retry. */
  private async attempt(job: Job, fn: () => Promise<void>, finishes: boolean): Promise<void> {
    try {
      await fn();
      if (finishes) await this.remove(job.id!);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof PermanentError) {
        await this.remove(job.id!);
        this.opts.onDropped?.(job, err);
        return;
      }
      if (err instanceof ExpiredUploadError && job.kind === 'chunk') {
        // Register again: at once the first time, with backoff if the store keeps refusing.
        job.registration = undefined;
        job.attempts++;
        job.next_at = job.attempts <= 1 ? 0 : this.opts.now() + backoff(job.attempts, this.opts.random);
      } else {
        job.attempts++;
        job.next_at = this.opts.now() + backoff(job.attempts, this.opts.random);
      }
      job.last_error = err.message;
      await this.put(job);
    }
  }

  private registered(job: ChunkJob): boolean {
    const reg = job.registration;
    return !!reg && Date.parse(reg.expires_at) - EXPIRY_MARGIN_MS > this.opts.now();
  }

  private db(): Promise<IDBDatabase> {
    if (!this.dbp) {
      this.dbp = new Promise((resolve, reject) => {
        const open = this.opts.idb.open(this.opts.dbName, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('cannot open the upload queue'));
      });
    }
    return this.dbp;
  }

  private async put(job: Job): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(STORE, 'readwrite');
    const key = await req<IDBValidKey>(tx.objectStore(STORE).put(job));
    job.id = key as number;
    await done(tx);
  }

  private async remove(id: number): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(id);
    await done(tx);
  }

  /** Closes the database (tests reopen it to act out a page reload). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.dbp) (await this.dbp).close();
    this.dbp = null;
  }
}

function req<T>(r: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result as T);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}
