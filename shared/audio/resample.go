package audio

import "math"

// Resampler converts a stream between two sample rates with a polyphase windowed-sinc filter.
// It keeps only the filter's history between calls, so memory does not grow with the stream.
type Resampler struct {
	up, down int         // output/input rate ratio reduced to lowest terms
	taps     int         // taps per phase
	h        [][]float32 // h[phase][tap]
	buf      []float32   // history + pending input
	idx      int         // index in buf of the first tap of the next output
	phase    int
	pass     bool
}

// NewResampler prepares a converter from rate in to rate out (Hz).
func NewResampler(in, out int) *Resampler {
	g := gcd(in, out)
	r := &Resampler{up: out / g, down: in / g}
	if in == out {
		r.pass = true
		return r
	}
	// Cutoff just under the lower Nyquist; 8 zero crossings a side is plenty for classification.
	fc := 0.92 * math.Min(1, float64(out)/float64(in)) // relative to the input Nyquist
	const zeros = 8
	r.taps = int(math.Ceil(2*zeros/fc)) | 1
	r.h = make([][]float32, r.up)
	half := float64(r.taps-1) / 2
	for p := range r.up {
		h := make([]float32, r.taps)
		var sum float64
		for k := range r.taps {
			d := float64(k) - half - float64(p)/float64(r.up)
			v := fc * sinc(fc*d) * kaiser(d/(half+1), 8)
			h[k] = float32(v)
			sum += v
		}
		for k := range h {
			h[k] = float32(float64(h[k]) / sum) // unit gain at DC in every phase
		}
		r.h[p] = h
	}
	// Half a filter of leading zeros so output 0 is centred on input 0.
	r.buf = make([]float32, r.taps/2, 4096+r.taps)
	return r
}

// MaxOut is how many samples Process can write for n input samples.
func (r *Resampler) MaxOut(n int) int {
	if r.pass {
		return n
	}
	return (len(r.buf)+n)*r.up/r.down + 2
}

// Process resamples in and writes the output to dst, which must hold MaxOut(len(in)) samples.
func (r *Resampler) Process(in, dst []float32) int {
	if r.pass {
		return copy(dst, in)
	}
	r.buf = append(r.buf, in...)
	n := 0
	buf := r.buf
	for r.idx+r.taps <= len(buf) {
		h := r.h[r.phase]
		x := buf[r.idx : r.idx+len(h)]
		var acc float32
		for k, c := range h {
			acc += c * x[k]
		}
		dst[n] = acc
		n++
		r.phase += r.down
		r.idx += r.phase / r.up
		r.phase %= r.up
	}
	keep := copy(r.buf, buf[min(r.idx, len(buf)):])
	r.idx -= len(buf) - keep
	r.buf = r.buf[:keep]
	return n
}

// Flush pushes half a filter of zeros through so the last input samples reach the output.
func (r *Resampler) Flush(dst []float32) int {
	if r.pass {
		return 0
	}
	var z [64]float32
	n := 0
	for left := r.taps/2 + 1; left > 0; left -= len(z) {
		n += r.Process(z[:min(left, len(z))], dst[n:])
	}
	return n
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window at x in [-1, 1].
func kaiser(x, beta float64) float64 {
	if x <= -1 || x >= 1 {
		return 0
	}
	return bessel0(beta*math.Sqrt(1-x*x)) / bessel0(beta)
}

func bessel0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 30; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
