// AudioWorklet processor: downmixes the microphone to mono and hands blocks of ~43 ms to the page,
// with the block's RMS level for the meter. Resampling and encoding happen on the page (tested code).
const BLOCK = 2048;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(BLOCK);
    this.n = 0;
    this.port.onmessage = (e) => {
      if (e.data === 'flush') {
        this.post();
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }

  post() {
    if (this.n === 0) return;
    const samples = this.buf.slice(0, this.n);
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
    this.port.postMessage({ type: 'samples', samples, rms: Math.sqrt(sum / samples.length) }, [samples.buffer]);
    this.n = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const frames = input[0].length;
      const g = 1 / input.length;
      for (let i = 0; i < frames; i++) {
        let s = 0;
        for (let c = 0; c < input.length; c++) s += input[c][i];
        this.buf[this.n++] = s * g;
        if (this.n === BLOCK) this.post();
      }
    }
    return true; // keep running while the source is silent or briefly disconnected
  }
}

registerProcessor('woodshed-capture', CaptureProcessor);
