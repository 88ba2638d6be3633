// Microphone capture: getUserMedia with every voice-processing stage off (they erase sustained tones),
// an AudioWorklet for the samples, a 16 kHz resampler and a chunker that hands over ~60 s WAV files.
import workletUrl from './capture-worklet.js?url';
import { Chunker, LEAD_SECONDS, TARGET_RATE, type Chunk } from './chunker';
import { Resampler } from './resampler';

export interface RecorderEvents {
  onChunk(chunk: Chunk): void;
  /** RMS of the last block, 0..1. */
  onLevel(rms: number): void;
}

export class MicUnavailableError extends Error {}
export class MicDeniedError extends Error {}

export function recordingSupported(): boolean {
  return typeof window !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof AudioWorkletNode !== 'undefined' && window.isSecureContext;
}

export class Recorder {
  private stream: MediaStream | null = null;
  private ctx: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private resampler: Resampler | null = null;
  private chunker: Chunker | null = null;
  private events: RecorderEvents | null = null;

  /**
   * Opens the microphone. After a reload, `draft` is the chunk saved before it and `silenceSeconds`
   * the time the reload took, so the new audio continues on the session clock.
   */
  async start(
    events: RecorderEvents,
    opts: { firstIndex?: number; draft?: Int16Array; draftLead?: Int16Array; silenceSeconds?: number } = {},
  ): Promise<void> {
    if (!recordingSupported()) throw new MicUnavailableError('recording not supported');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: { ideal: 1 } },
        video: false,
      });
    } catch (e) {
      const name = (e as DOMException)?.name;
      if (name === 'NotAllowedError' || name === 'SecurityError') throw new MicDeniedError(String(e));
      throw new MicUnavailableError(String(e));
    }
    // The context runs at the device rate: Firefox refuses to connect a stream to a context of another rate.
    const ctx = new AudioContext({ latencyHint: 'playback' });
    this.ctx = ctx;
    await ctx.audioWorklet.addModule(workletUrl);
    if (ctx.state === 'suspended') await ctx.resume();
    this.events = events;
    this.resampler = new Resampler(ctx.sampleRate, TARGET_RATE);
    this.chunker = new Chunker({ firstIndex: opts.firstIndex ?? 0, leadSeconds: LEAD_SECONDS, lead: opts.draftLead });
    const carried = [
      ...(opts.draft ? this.chunker.pushPcm(opts.draft) : []),
      ...this.chunker.pushSilence(Math.min(12 * 3600, opts.silenceSeconds ?? 0) * TARGET_RATE),
    ];
    for (const c of carried) events.onChunk(c);
    const src = ctx.createMediaStreamSource(this.stream);
    const node = new AudioWorkletNode(ctx, 'woodshed-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCountMode: 'explicit', channelCount: 2 });
    this.node = node;
    node.port.onmessage = (e: MessageEvent) => {
      if (e.data?.type !== 'samples') return;
      this.feed(e.data.samples as Float32Array);
      this.events?.onLevel(e.data.rms as number);
    };
    // A muted path to the destination keeps the graph pulling the worklet in every browser.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    src.connect(node);
    node.connect(mute).connect(ctx.destination);
  }

  private feed(samples: Float32Array): void {
    if (!this.resampler || !this.chunker || !this.events) return;
    for (const c of this.chunker.push(this.resampler.push(samples))) this.events.onChunk(c);
  }

  get nextIndex(): number {
    return this.chunker?.nextIndex ?? 0;
  }

  /** The chunk in progress (for saving across a reload), or null when not recording. */
  draft(): { index: number; pcm: Int16Array; lead: Int16Array } | null {
    return this.chunker ? this.chunker.draft() : null;
  }

  /** Stops the microphone and returns the last, shorter chunk (if any). */
  async stop(): Promise<Chunk | null> {
    const node = this.node;
    let last: Chunk | null = null;
    if (node) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        node.port.onmessage = (e: MessageEvent) => {
          if (e.data?.type === 'samples') this.feed(e.data.samples as Float32Array);
          if (e.data?.type === 'flushed') {
            clearTimeout(timer);
            resolve();
          }
        };
        node.port.postMessage('flush');
      });
    }
    if (this.resampler && this.chunker && this.events) {
      for (const c of this.chunker.push(this.resampler.flush())) this.events.onChunk(c);
      last = this.chunker.flush();
    }
    this.release();
    return last;
  }

  /** Drops everything without emitting more chunks. */
  release(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.node?.disconnect();
    void this.ctx?.close().catch(() => undefined);
    this.stream = null;
    this.ctx = null;
    this.node = null;
    this.resampler = null;
    this.chunker = null;
    this.events = null;
  }
}
