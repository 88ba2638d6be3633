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

  it('refuses a non-positive chunk length', () => {
    expect(() => new Chunker({ chunkSeconds: 0 })).toThrow(/positive/);
  });
});
