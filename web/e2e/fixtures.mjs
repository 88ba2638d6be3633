// Fake-microphone recordings for the browser test, generated so the repository holds no audio:
//   playing.wav — a bowed-string-like melody (harmonics, vibrato, legato notes), 60 s
//   speech.wav  — spoken sentences with pauses (espeak-ng), 60 s
// Chromium's fake capture device plays the file at 44.1 kHz stereo and loops it, so both are written
// that way and longer than any recording the test makes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RATE = 44100;
const SECONDS = 60;

export function wav16(samples, rate, channels) {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    buf.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), 44 + i * 2);
  }
  return buf;
}

function stereo(mono) {
  const out = new Float32Array(mono.length * 2);
  for (let i = 0; i < mono.length; i++) out[2 * i] = out[2 * i + 1] = mono[i];
  return out;
}

/** A violin-like line: notes of 0.5–1.2 s, 10 harmonics, delayed vibrato, soft attacks, a little bow noise. */
export function playing(seconds = SECONDS, rate = RATE) {
  const n = seconds * rate;
  const out = new Float32Array(n);
  const scale = [196, 220, 246.9, 261.6, 293.7, 329.6, 349.2, 392, 440, 493.9, 523.3, 587.3, 659.3];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let t0 = 0;
  let step = 6;
  while (t0 < n) {
    const len = Math.round(rate * (0.5 + rand() * 0.7));
    step = Math.max(0, Math.min(scale.length - 1, step + Math.round((rand() - 0.5) * 4)));
    const f0 = scale[step];
    let phase = new Float64Array(11);
    for (let i = 0; i < len && t0 + i < n; i++) {
      const t = i / rate;
      const vib = t > 0.15 ? 1 + 0.004 * Math.sin(2 * Math.PI * 5.5 * t) : 1;
      const env = Math.min(1, t / 0.04) * Math.min(1, (len - i) / (0.03 * rate));
      let s = 0;
      for (let k = 1; k <= 10; k++) {
        phase[k] += (2 * Math.PI * f0 * k * vib) / rate;
        s += Math.sin(phase[k]) / Math.pow(k, 1.1);
      }
      out[t0 + i] = 0.22 * env * s + 0.004 * (rand() - 0.5);
    }
    t0 += len;
  }
  return out;
}

function readWav(path) {
  const b = readFileSync(path);
  const rate = b.readUInt32LE(24);
  const channels = b.readUInt16LE(22);
  let off = 12;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    let size = b.readUInt32LE(off + 4);
    if (id === 'data') {
      // espeak-ng writes a streaming header with a placeholder size: take what is there.
      if (size === 0 || off + 8 + size > b.length) size = b.length - off - 8;
      const count = Math.floor(size / 2 / channels);
      const mono = new Float32Array(count);
      for (let i = 0; i < count; i++) mono[i] = b.readInt16LE(off + 8 + i * 2 * channels) / 32768;
      return { rate, mono };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Resamples by linear interpolation (test audio only; speech has little energy where this aliases). */
function toRate(x, from, to) {
  const n = Math.floor((x.length * to) / from);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = (i * from) / to;
    const j = Math.floor(p);
    const f = p - j;
    out[i] = (x[j] ?? 0) * (1 - f) + (x[j + 1] ?? 0) * f;
  }
  return out;
}

const SENTENCES = [
  'Okay, let us start with the second movement again, from the upbeat before letter B.',
  'I think the tempo was a little too fast last time, so I will slow it down.',
  'Can you hear the difference between the first and the second phrase?',
  'Now I am going to check the fingering in bar twelve, it still feels awkward.',
  'Let me write that down in the notes before I forget it.',
  'Tomorrow I want to spend more time on scales and on the long slow bows.',
];

export function speech(dir, seconds = SECONDS, rate = RATE) {
  const parts = [];
  let total = 0;
  let i = 0;
  while (total < seconds * rate) {
    const f = join(dir, `sentence-${i % SENTENCES.length}.wav`);
    if (!existsSync(f)) execFileSync('espeak-ng', ['-v', 'en-us', '-s', '155', '-w', f, SENTENCES[i % SENTENCES.length]]);
    const { rate: r, mono } = readWav(f);
    const x = toRate(mono, r, rate).map((v) => v * 0.8);
    parts.push(x, new Float32Array(Math.round(rate * (0.3 + (i % 3) * 0.25))));
    total += x.length + parts[parts.length - 1].length;
    i++;
  }
  const out = new Float32Array(seconds * rate);
  let o = 0;
  for (const p of parts) {
    out.set(p.subarray(0, Math.max(0, out.length - o)), o);
    o += p.length;
    if (o >= out.length) break;
  }
  return out;
}

export function makeFixtures(dir) {
  mkdirSync(dir, { recursive: true });
  const play = join(dir, 'playing.wav');
  const talk = join(dir, 'speech.wav');
  if (!existsSync(play)) writeFileSync(play, wav16(stereo(playing()), RATE, 2));
  if (!existsSync(talk)) writeFileSync(talk, wav16(stereo(speech(dir)), RATE, 2));
  return { playing: play, speech: talk };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(makeFixtures(process.argv[2] ?? join(import.meta.dirname, '.fixtures')));
}
