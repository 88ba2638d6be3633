// 16-bit PCM WAV encoding: the format the analyzer reads best and the smallest lossless one it accepts.

export const WAV_HEADER_BYTES = 44;

/** Converts float samples in [-1, 1] to 16-bit integers, clipping anything outside. */
export function floatTo16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    let s = samples[i];
    if (!(s === s)) s = 0; // NaN from a broken input becomes silence, not noise
    if (s > 1) s = 1;
    else if (s < -1) s = -1;
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** Writes the canonical 44-byte RIFF/WAVE header for 16-bit PCM. */
export function writeWavHeader(view: DataView, dataBytes: number, sampleRate: number, channels: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`invalid sample rate ${sampleRate}`);
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`invalid channel count ${channels}`);
  const blockAlign = channels * 2;
  ascii(view, 0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(view, 8, 'WAVE');
  ascii(view, 12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true); // bits per sample
  ascii(view, 36, 'data');
  view.setUint32(40, dataBytes, true);
}

/** Encodes interleaved samples (float in [-1, 1] or already 16-bit) as a complete WAV file. */
export function encodeWav(samples: Float32Array | Int16Array, sampleRate: number, channels = 1): ArrayBuffer {
  if (samples.length % channels !== 0) throw new RangeError('sample count is not a multiple of the channel count');
  const pcm = samples instanceof Int16Array ? samples : floatTo16(samples);
  const buf = new ArrayBuffer(WAV_HEADER_BYTES + pcm.length * 2);
  const view = new DataView(buf);
  writeWavHeader(view, pcm.length * 2, sampleRate, channels);
  for (let i = 0; i < pcm.length; i++) view.setInt16(WAV_HEADER_BYTES + i * 2, pcm[i], true);
  return buf;
}

function ascii(view: DataView, offset: number, s: string): void {
  for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
}
