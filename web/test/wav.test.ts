import { describe, expect, it } from 'vitest';
import { encodeWav, floatTo16, WAV_HEADER_BYTES } from '../src/audio/wav';

describe('encodeWav', () => {
  it('writes the canonical 16-bit mono header and little-endian samples byte for byte', () => {
    const wav = new Uint8Array(encodeWav(new Int16Array([0, 1, -1, 32767, -32768]), 16000, 1));
    // prettier-ignore
    const expected = [
      0x52, 0x49, 0x46, 0x46, // "RIFF"
      0x2e, 0x00, 0x00, 0x00, // 36 + 10 data bytes = 46
      0x57, 0x41, 0x56, 0x45, // "WAVE"
      0x66, 0x6d, 0x74, 0x20, // "fmt "
      0x10, 0x00, 0x00, 0x00, // fmt size 16
      0x01, 0x00,             // PCM
      0x01, 0x00,             // 1 channel
      0x80, 0x3e, 0x00, 0x00, // 16000 Hz
      0x00, 0x7d, 0x00, 0x00, // byte rate 32000
      0x02, 0x00,             // block align 2
      0x10, 0x00,             // 16 bits
      0x64, 0x61, 0x74, 0x61, // "data"
      0x0a, 0x00, 0x00, 0x00, // 10 bytes
      0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x80,
    ];
    expect(Array.from(wav)).toEqual(expected);
  });

  it('writes stereo rates and sizes into the header', () => {
    const wav = encodeWav(new Float32Array(8), 44100, 2);
    const v = new DataView(wav);
    expect(wav.byteLength).toBe(WAV_HEADER_BYTES + 16);
    expect(v.getUint16(22, true)).toBe(2);
    expect(v.getUint32(24, true)).toBe(44100);
    expect(v.getUint32(28, true)).toBe(44100 * 4);
    expect(v.getUint16(32, true)).toBe(4);
    expect(v.getUint32(40, true)).toBe(16);
  });

  it('writes a valid empty file', () => {
    const wav = encodeWav(new Float32Array(0), 16000);
    expect(wav.byteLength).toBe(44);
    expect(new DataView(wav).getUint32(4, true)).toBe(36);
  });

  it('refuses bad parameters', () => {
    expect(() => encodeWav(new Float32Array(3), 16000, 2)).toThrow(/multiple/);
    expect(() => encodeWav(new Float32Array(2), 0)).toThrow(/sample rate/);
    expect(() => encodeWav(new Float32Array(2), 16000, 0)).toThrow(/channel/);
  });
});

describe('floatTo16', () => {
  it('scales, rounds and clips', () => {
    expect(Array.from(floatTo16(new Float32Array([0, 1, -1, 0.5, -0.5, 2, -2, NaN])))).toEqual([
      0, 32767, -32768, 16384, -16384, 32767, -32768, 0,
    ]);
  });
});
