import { describe, expect, it } from 'vitest';
import { Chunker } from '../src/audio/chunker';

const dataBytes = (wav: ArrayBuffer) => new DataView(wav).getUint32(40, true);

describe('Chunker', () => {
  it('emits a full chunk every chunkSeconds across arbitrary pushes', () => {
    const c = new Chunker({ sampleRate: 100, chunkSeconds: 2 });
    const got = [];
    for (let i = 0; i < 45; i++) got.push(...c.push(new Float32Array(11).fill(0.1))); // 495 samples
    expect(got.map((x) => x.index)).toEqual([0, 1]);
    expect(got.every((x) => dataBytes(x.wav) === 400 && x.seconds === 2)).toBe(true);
    expect(c.bufferedSeconds).toBeCloseTo(0.95, 5);
    const tail = c.flush();
    expect(tail?.index).toBe(2);
    expect(tail?.seconds).toBeCloseTo(0.95, 5);
    expect(dataBytes(tail!.wav)).toBe(190);
    expect(c.flush()).toBeNull();
  });

  it('keeps sample values in order across chunk boundaries', () => {
    const c = new Chunker({ sampleRate: 4, chunkSeconds: 1 });
    const [a, b] = c.push(new Float32Array([0, 0.25, 0.5, 0.75, -0.25, -0.5, -0.75, -1]));
    const va = new DataView(a.wav);
    const vb = new DataView(b.wav);
    expect([0, 1, 2, 3].map((i) => va.getInt16(44 + 2 * i, true))).toEqual([0, 8192, 16384, 24575]);
    expect([0, 1, 2, 3].map((i) => vb.getInt16(44 + 2 * i, true))).toEqual([-8192, -16384, -24576, -32768]);
    expect(new DataView(a.wav).getUint32(24, true)).toBe(4);
  });

  it('drops a tail shorter than the minimum and continues numbering from firstIndex', () => {
    const c = new Chunker({ sampleRate: 1000, chunkSeconds: 1, firstIndex: 7, minTailSeconds: 0.5 });
    c.push(new Float32Array(400));
    expect(c.flush()).toBeNull();
    c.push(new Float32Array(600));
    expect(c.flush()?.index).toBe(7);
    expect(c.nextIndex).toBe(8);
  });

  it('starts each chunk after the first with the end of the one before', () => {
    const c = new Chunker({ sampleRate: 4, chunkSeconds: 1, leadSeconds: 0.5 });
    const samples = (wav: ArrayBuffer) => {
      const v = new DataView(wav);
      return Array.from({ length: dataBytes(wav) / 2 }, (_, i) => v.getInt16(44 + 2 * i, true));
    };
    const [a, b] = c.push(new Float32Array([0, 0.25, 0.5, 0.75, -0.25, -0.5, -0.75, -1]));
    expect([a.lead, a.seconds, b.lead, b.seconds]).toEqual([0, 1, 0.5, 1]);
    expect(samples(a.wav)).toEqual([0, 8192, 16384, 24575]);
    expect(samples(b.wav)).toEqual([16384, 24575, -8192, -16384, -24576, -32768]);
    // A reload keeps the lead with the draft; the chunk after it is led as before.
    c.push(new Float32Array([0.5]));
    const d = c.draft();
    expect(Array.from(d.lead)).toEqual([-24576, -32768]);
    const restored = new Chunker({ sampleRate: 4, chunkSeconds: 1, leadSeconds: 0.5, minTailSeconds: 0, firstIndex: d.index, lead: d.lead });
    restored.pushPcm(d.pcm);
    const last = restored.flush();
    expect([last?.index, last?.lead, last?.seconds]).toEqual([2, 0.5, 0.25]);
    expect(samples(last!.wav)).toEqual([-24576, -32768, 16384]);
  });

  it('refuses a non-positive chunk length', () => {
    expect(() => new Chunker({ chunkSeconds: 0 })).toThrow(/positive/);
  });
});

describe('Chunker across a reload', () => {
  it('restores a draft, pads the gap with silence and keeps chunk boundaries on the session clock', () => {
    const before = new Chunker({ sampleRate: 10, chunkSeconds: 6 });
    before.push(new Float32Array(25).fill(0.5)); // chunk 0 ends at 60 samples
    const d = before.draft();
    expect(d.index).toBe(0);
    expect(d.pcm.length).toBe(25);

    const after = new Chunker({ sampleRate: 10, chunkSeconds: 6, firstIndex: d.index });
    expect(after.pushPcm(d.pcm)).toEqual([]);
    const padded = after.pushSilence(50); // 5 s of reload: 25 + 50 = 75 → chunk 0 full, 15 into chunk 1
    expect(padded.map((c) => c.index)).toEqual([0]);
    const v = new DataView(padded[0].wav);
    expect(v.getInt16(44 + 2 * 24, true)).toBe(16384); // the restored draft
    expect(v.getInt16(44 + 2 * 25, true)).toBe(0); // the silence
    expect(after.bufferedSeconds).toBeCloseTo(1.5, 5);
    expect(after.pushSilence(0)).toEqual([]);
    expect(after.pushSilence(200).map((c) => c.index)).toEqual([1, 2, 3]);
  });
});
