// Streaming windowed-sinc resampler. Microphones deliver 44.1 or 48 kHz; the analyzer wants 16 kHz mono.
// Linear interpolation would fold everything between 8 and 24 kHz back into the band (cymbals, bow noise,
// hiss) and confuse the classifier, so the kernel low-passes below the output Nyquist frequency.

const TABLE_RES = 512;
const ZERO_CROSSINGS = 16; // kernel half-width in zero crossings of the cutoff sinc: ~70 dB stop band with Blackman

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly step: number; // input samples per output sample
  private readonly cutoff: number; // relative to the input Nyquist, scaled to input-sample units
  private readonly half: number; // kernel half-width in input samples
  private readonly table: Float32Array; // kernel sampled every 1/TABLE_RES input samples over [0, half]
  private buf: Float32Array;
  private len = 0; // valid samples in buf
  private pos: number; // position of the next output sample, in buf indices
  private consumedIn = 0; // input samples pushed so far
  private produced = 0; // output samples produced so far

  constructor(inRate: number, outRate: number) {
    if (!(inRate > 0) || !(outRate > 0)) throw new RangeError(`invalid rates ${inRate} → ${outRate}`);
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate;
    // 0.92 of the lower Nyquist leaves room for the transition band below it.
    this.cutoff = Math.min(1, outRate / inRate) * 0.92;
    this.half = Math.ceil(ZERO_CROSSINGS / this.cutoff);
    this.table = new Float32Array(this.half * TABLE_RES + 2);
    for (let i = 0; i < this.table.length; i++) this.table[i] = kernel(i / TABLE_RES, this.cutoff, this.half);
    // Samples before the start count as silence: start with `half` zeros of history.
    this.buf = new Float32Array(Math.max(4096, this.half * 4));
    this.len = this.half;
    this.pos = this.half;
  }

  /** Feeds input samples; returns the output samples that are complete. */
  push(input: Float32Array): Float32Array {
    this.append(input);
    this.consumedIn += input.length;
    return this.drain(false);
  }

  /** Ends the stream: returns the remaining output, padded with silence after the last input sample. */
  flush(): Float32Array {
    const pad = new Float32Array(this.half + 1);
    this.append(pad);
    return this.drain(true);
  }

  private append(input: Float32Array): void {
    if (this.len + input.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
  }

  private drain(final: boolean): Float32Array {
    // On flush, stop at the output sample that corresponds to the end of the real input.
    const totalOut = final ? Math.round(this.consumedIn / this.step) : Infinity;
    const out: number[] = [];
    const { buf, half, table } = this;
    while (this.produced < totalOut && this.pos + half < this.len) {
      const centre = Math.floor(this.pos);
      const frac = this.pos - centre;
      let acc = 0;
      let norm = 0;
      for (let k = -half + 1; k <= half; k++) {
        // Distance from the output instant in input samples; the kernel is even, so look up |d|.
        const t = Math.abs(k - frac) * TABLE_RES;
        const i = t | 0;
        const w = table[i] + (table[i + 1] - table[i]) * (t - i);
        acc += buf[centre + k] * w;
        norm += w;
      }
      // Normalising by the kernel sum keeps DC gain exactly 1 whatever the fractional phase.
      out.push(norm !== 0 ? acc / norm : 0);
      this.produced++;
      this.pos += this.step;
    }
    // Keep only the history the next output still needs.
    const keepFrom = Math.max(0, Math.floor(this.pos) - half);
    if (keepFrom > 0) {
      buf.copyWithin(0, keepFrom, this.len);
      this.len -= keepFrom;
      this.pos -= keepFrom;
    }
    return Float32Array.from(out);
  }
}

/** The windowed-sinc kernel at distance d (input samples) from the output instant. */
export function kernel(d: number, cutoff: number, half: number): number {
  if (Math.abs(d) >= half) return 0;
  const x = Math.PI * cutoff * d;
  const sinc = x === 0 ? 1 : Math.sin(x) / x;
  // Blackman window over [-half, half]
  const t = (d + half) / (2 * half);
  const win = 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
  return cutoff * sinc * win;
}

/** Averages all channels into one. */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const g = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= g;
  return out;
}
