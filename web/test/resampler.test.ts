import { describe, expect, it } from 'vitest';
import { downmix, Resampler } from '../src/audio/resampler';

function sine(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** RMS over the middle of the signal, away from the edges. */
function rms(x: Float32Array): number {
  const a = Math.floor(x.length * 0.2);
  const b = Math.floor(x.length * 0.8);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return Math.sqrt(s / (b - a));
}

/** Amplitude of one frequency (Goertzel) over the middle of the signal. */
function tone(x: Float32Array, freq: number, rate: number): number {
  const a = Math.floor(x.length * 0.2);
  const b = Math.floor(x.length * 0.8);
  const w = (2 * Math.PI * freq) / rate;
  let re = 0;
  let im = 0;
  for (let i = a; i < b; i++) {
    re += x[i] * Math.cos(w * i);
    im -= x[i] * Math.sin(w * i);
  }
  return (2 * Math.hypot(re, im)) / (b - a);
}

function run(r: Resampler, x: Float32Array, block: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += block) parts.push(r.push(x.subarray(i, i + block)));
  parts.push(r.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('Resampler', () => {
  for (const inRate of [44100, 48000]) {
    it(`keeps a 440 Hz tone at its level and pitch from ${inRate} Hz to 16 kHz`, () => {
      const out = run(new Resampler(inRate, 16000), sine(440, inRate, 1), 128);
      expect(out.length).toBe(16000);
      expect(tone(out, 440, 16000)).toBeCloseTo(0.5, 2);
      expect(rms(out)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    });

    it(`removes a 10 kHz tone (above the new Nyquist) from ${inRate} Hz by more than 50 dB`, () => {
      const out = run(new Resampler(inRate, 16000), sine(10000, inRate, 1), 1000);
      // Without filtering it would alias to 6 kHz at full level.
      expect(20 * Math.log10(rms(out) / (0.5 / Math.SQRT2))).toBeLessThan(-50);
    });
  }

  it('passes 6 kHz (inside the band) nearly unchanged', () => {
    const out = run(new Resampler(48000, 16000), sine(6000, 48000, 0.5), 480);
    expect(tone(out, 6000, 16000)).toBeGreaterThan(0.45);
  });

  it('gives the same output whatever the block size', () => {
    const x = sine(1234, 44100, 0.3);
    const a = run(new Resampler(44100, 16000), x, 128);
    const b = run(new Resampler(44100, 16000), x, 7);
    const c = run(new Resampler(44100, 16000), x, x.length);
    expect(b.length).toBe(a.length);
    expect(c.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(b[i]).toBeCloseTo(a[i], 6);
      expect(c[i]).toBeCloseTo(a[i], 6);
    }
  });

  it('keeps time aligned: an impulse lands at the matching output instant', () => {
    const x = new Float32Array(48000);
    x[24000] = 1; // 0.5 s
    const out = run(new Resampler(48000, 16000), x, 512);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peak])) peak = i;
    expect(peak).toBe(8000);
  });

  it('keeps DC gain at 1', () => {
    const out = run(new Resampler(44100, 16000), new Float32Array(44100).fill(0.25), 256);
    expect(out[8000]).toBeCloseTo(0.25, 5);
  });

  it('produces the rounded output length for odd lengths', () => {
    expect(run(new Resampler(44100, 16000), new Float32Array(1001), 100).length).toBe(Math.round((1001 * 16000) / 44100));
    expect(run(new Resampler(16000, 16000), new Float32Array(321), 50).length).toBe(321);
  });

  it('refuses invalid rates', () => {
    expect(() => new Resampler(0, 16000)).toThrow(/invalid rates/);
    expect(() => new Resampler(48000, -1)).toThrow(/invalid rates/);
  });
});

describe('downmix', () => {
  it('averages channels', () => {
    expect(Array.from(downmix([new Float32Array([1, 0.5]), new Float32Array([0, -0.5])]))).toEqual([0.5, 0]);
    expect(downmix([]).length).toBe(0);
  });
});
