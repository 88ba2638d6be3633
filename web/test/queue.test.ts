import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { backoff, ExpiredUploadError, PermanentError, UploadQueue, type ChunkJob, type Registration, type Transport } from '../src/upload/queue';

class FakeTransport implements Transport {
  calls: string[] = [];
  failRegister = 0; // how many register calls fail before one succeeds
  failUpload = 0;
  expireUploadOnce = false;
  permanentOn: string | null = null;
  expiresIn = 3600_000;
  constructor(private readonly now: () => number) {}
  async register(job: ChunkJob): Promise<Registration> {
    this.calls.push(`register ${job.session_id}/${job.chunk_index}${job.lead_s ? ` lead ${job.lead_s}` : ''}`);
    if (this.permanentOn === `register ${job.session_id}/${job.chunk_index}`) throw new PermanentError('session gone');
    if (this.failRegister > 0) {
      this.failRegister--;
      throw new Error('offline');
    }
    return {
      analysis_id: `a-${job.chunk_index}`,
      upload: { method: 'PUT', url: `https://s3.test/${job.session_id}/${job.chunk_index}`, headers: { 'Content-Type': 'audio/wav' } },
      expires_at: new Date(this.now() + this.expiresIn).toISOString(),
    };
  }
  async upload(reg: Registration, wav: ArrayBuffer): Promise<void> {
    this.calls.push(`upload ${reg.analysis_id} ${wav.byteLength}`);
    if (this.expireUploadOnce) {
      this.expireUploadOnce = false;
      throw new ExpiredUploadError('403 expired');
    }
    if (this.failUpload > 0) {
      this.failUpload--;
      throw new Error('network');
    }
  }
  async end(sessionId: string, notes?: string): Promise<void> {
    this.calls.push(`end ${sessionId} ${notes ?? ''}`.trim());
  }
}

let idb: IDBFactory;
let clock: number;
const now = () => clock;
beforeEach(() => {
  idb = new IDBFactory();
  clock = Date.parse('2026-12-01T20:00:00Z');
});
const queue = (t: Transport, extra = {}) => new UploadQueue({ transport: t, idb, now, random: () => 1, ...extra });

describe('UploadQueue', () => {
  it('registers the chunks, ends the session, then uploads, and empties itself', async () => {
    const t = new FakeTransport(now);
    const q = queue(t);
    await q.addChunk('s1', 0, new ArrayBuffer(10));
    await q.addChunk('s1', 1, new ArrayBuffer(20), 8);
    await q.addEnd('s1', 'scales');
    await q.process();
    expect(t.calls).toEqual(['register s1/0', 'register s1/1 lead 8', 'end s1 scales', 'upload a-0 10', 'upload a-1 20']);
    expect(await q.jobs()).toEqual([]);
  });

  it('keeps a failed job with backoff and does not end its session before the chunk is registered', async () => {
    const t = new FakeTransport(now);
    t.failRegister = 1;
    const q = queue(t);
    await q.addChunk('s1', 0, new ArrayBuffer(4));
    await q.addEnd('s1');
    await q.process();
    expect(t.calls).toEqual(['register s1/0']);
    const [job] = await q.jobs();
    expect(job.attempts).toBe(1);
    expect(job.next_at).toBe(clock + 1000);
    expect(job.last_error).toBe('offline');

    await q.process(); // not due yet: nothing happens
    expect(t.calls).toHaveLength(1);

    clock += 1000;
    await q.process();
    expect(t.calls.slice(1)).toEqual(['register s1/0', 'end s1', 'upload a-0 4']);
    expect(await q.jobs()).toEqual([]);
  });

  it('ends the session once the chunk is registered even while its upload still retries', async () => {
    const t = new FakeTransport(now);
    t.failUpload = 1;
    const q = queue(t);
    await q.addChunk('s1', 0, new ArrayBuffer(4));
    await q.addEnd('s1');
    await q.process();
    expect(t.calls).toEqual(['register s1/0', 'end s1', 'upload a-0 4']);
    const jobs = await q.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].kind).toBe('chunk');
    clock += 1000;
    await q.process();
    expect(t.calls.slice(3)).toEqual(['upload a-0 4']); // the saved registration is reused
    expect(await q.jobs()).toEqual([]);
  });

  it('survives a reload: a new queue on the same database finishes the work', async () => {
    const t = new FakeTransport(now);
    t.failRegister = 5;
    const q1 = queue(t);
    await q1.addChunk('s1', 3, new ArrayBuffer(8));
    await q1.process();
    await q1.close();

    const t2 = new FakeTransport(now);
    const q2 = queue(t2);
    expect((await q2.jobs()).map((j) => j.kind)).toEqual(['chunk']);
    clock += 60_000;
    await q2.process();
    expect(t2.calls).toEqual(['register s1/3', 'upload a-3 8']);
    expect(await q2.jobs()).toEqual([]);
  });

  it('registers again when the presigned URL expired, before or during the upload', async () => {
    const t = new FakeTransport(now);
    t.failUpload = 1;
    t.expiresIn = 60_000;
    const q = queue(t);
    await q.addChunk('s1', 0, new ArrayBuffer(2));
    await q.process();
    clock += 10 * 60_000; // offline for ten minutes: the URL is stale
    await q.process();
    expect(t.calls).toEqual(['register s1/0', 'upload a-0 2', 'register s1/0', 'upload a-0 2']);

    t.calls = [];
    t.expireUploadOnce = true;
    await q.addChunk('s1', 1, new ArrayBuffer(2));
    await q.process();
    await q.process();
    expect(t.calls).toEqual(['register s1/1', 'upload a-1 2', 'register s1/1', 'upload a-1 2']);
    expect(await q.jobs()).toEqual([]);
  });

  it('drops a job the server refuses for good and reports it', async () => {
    const t = new FakeTransport(now);
    t.permanentOn = 'register s1/0';
    const dropped: string[] = [];
    const q = queue(t, { onDropped: (j: { kind: string }, e: Error) => dropped.push(`${j.kind}: ${e.message}`) });
    await q.addChunk('s1', 0, new ArrayBuffer(2));
    await q.addChunk('s2', 0, new ArrayBuffer(2));
    await q.process();
    expect(dropped).toEqual(['chunk: session gone']);
    expect(t.calls).toEqual(['register s1/0', 'register s2/0', 'upload a-0 2']);
    expect(await q.jobs()).toEqual([]);
  });

  it('runs one pass at a time when called concurrently', async () => {
    const t = new FakeTransport(now);
    const q = queue(t);
    await q.addChunk('s1', 0, new ArrayBuffer(2));
    await Promise.all([q.process(), q.process(), q.process()]);
    expect(t.calls).toEqual(['register s1/0', 'upload a-0 2']);
  });

  it('reports pending work per session', async () => {
    const q = queue(new FakeTransport(now));
    await q.addEnd('s9');
    expect(await q.hasPending('s9')).toBe(true);
    expect(await q.hasPending('s1')).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles up to a minute with jitter in the upper half', () => {
    expect([1, 2, 3, 4, 7, 20].map((n) => backoff(n, () => 1))).toEqual([1000, 2000, 4000, 8000, 60000, 60000]);
    expect(backoff(1, () => 0)).toBe(500);
  });
});
