// Cuts the 16 kHz stream into WAV chunks of about a minute, so each one is uploaded and analysed while
// practice goes on and the result is on screen seconds after Stop.
import { encodeWav, floatTo16 } from './wav';

export const TARGET_RATE = 16000;
export const CHUNK_SECONDS = 60;
/**
 * Each chunk after the first starts with the last seconds of the one before, so the analyzer hears
 * what led up to the boundary; the server counts that overlap once (a chunk's `lead_s`).
 */
export const LEAD_SECONDS = 8;

export interface Chunk {
  index: number;
  /** A complete 16-bit mono WAV file. */
  wav: ArrayBuffer;
  /** Seconds of the chunk's own audio, after its lead. */
  seconds: number;
  /** Seconds at the start of the WAV that repeat the end of the previous chunk. */
  lead: number;
}

export class Chunker {
  private readonly perChunk: number;
  private pending: Int16Array;
  private filled = 0;
  private next: number;
  private readonly sampleRate: number;
  /** The shortest tail worth uploading on flush, in samples (a click on Stop is not practice). */
  private readonly minTail: number;
  private readonly leadSamples: number;
  /** The end of the audio emitted so far, to lead the next chunk. */
  private lead: Int16Array;

  constructor(
    opts: { sampleRate?: number; chunkSeconds?: number; firstIndex?: number; minTailSeconds?: number; leadSeconds?: number; lead?: Int16Array } = {},
  ) {
    this.sampleRate = opts.sampleRate ?? TARGET_RATE;
    const seconds = opts.chunkSeconds ?? CHUNK_SECONDS;
    if (!(seconds > 0)) throw new RangeError('chunk length must be positive');
    this.perChunk = Math.round(seconds * this.sampleRate);
    this.pending = new Int16Array(this.perChunk);
    this.next = opts.firstIndex ?? 0;
    this.minTail = Math.round((opts.minTailSeconds ?? 0.5) * this.sampleRate);
    this.leadSamples = Math.max(0, Math.round((opts.leadSeconds ?? 0) * this.sampleRate));
    const lead = opts.lead ?? new Int16Array(0);
    this.lead = lead.slice(Math.max(0, lead.length - this.leadSamples));
  }

  /** The index the next emitted chunk will get. */
  get nextIndex(): number {
    return this.next;
  }

  /** Seconds buffered but not yet emitted. */
  get bufferedSeconds(): number {
    return this.filled / this.sampleRate;
  }

  /** Adds samples; returns the chunks that became full. */
  push(samples: Float32Array): Chunk[] {
    return this.pushPcm(floatTo16(samples));
  }

  /** Adds silence (the time a reload took), so later audio stays aligned with the session clock. */
  pushSilence(count: number): Chunk[] {
    const out: Chunk[] = [];
    let left = Math.max(0, Math.round(count));
    while (left > 0) {
      const n = Math.min(left, this.perChunk);
      out.push(...this.pushPcm(new Int16Array(n)));
      left -= n;
    }
    return out;
  }

  /** The samples of the chunk in progress and of its lead, to keep across a reload. */
  draft(): { index: number; pcm: Int16Array; lead: Int16Array } {
    return { index: this.next, pcm: this.pending.slice(0, this.filled), lead: this.lead.slice() };
  }

  /** Adds already-encoded 16-bit samples (a draft saved before a reload). */
  pushPcm(pcm: Int16Array): Chunk[] {
    const out: Chunk[] = [];
    let off = 0;
    while (off < pcm.length) {
      const n = Math.min(pcm.length - off, this.perChunk - this.filled);
      this.pending.set(pcm.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === this.perChunk) out.push(this.emit());
    }
    return out;
  }

  /** Emits what is buffered as a last, shorter chunk (nothing if it is too short to matter). */
  flush(): Chunk | null {
    if (this.filled === 0 || this.filled < this.minTail) {
      this.filled = 0;
      return null;
    }
    return this.emit();
  }

  private emit(): Chunk {
    const pcm = new Int16Array(this.lead.length + this.filled);
    pcm.set(this.lead);
    pcm.set(this.pending.subarray(0, this.filled), this.lead.length);
    const chunk = {
      index: this.next++,
      wav: encodeWav(pcm, this.sampleRate, 1),
      seconds: this.filled / this.sampleRate,
      lead: this.lead.length / this.sampleRate,
    };
    this.lead = pcm.slice(Math.max(0, pcm.length - this.leadSamples));
    this.filled = 0;
    return chunk;
  }
}
