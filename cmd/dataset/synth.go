package main

import (
	"math"
	"math/rand/v2"
)

const sr = 16000

func db(x float64) float64 { return math.Pow(10, x/20) }

func addAt(dst []float32, t float64, src []float32, gain float64) {
	o := int(t * sr)
	for i, v := range src {
		if j := o + i; j >= 0 && j < len(dst) {
			dst[j] += float32(gain) * v
		}
	}
}

// rms of the samples louder than -60 dB below the peak: the level while something sounds.
func activeRMS(x []float32) float64 {
	var peak float64
	for _, v := range x {
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	if peak == 0 {
		return 0
	}
	const w = 320
	var s float64
	var n int
	for i := 0; i+w <= len(x); i += w {
		var e float64
		for _, v := range x[i : i+w] {
			e += float64(v) * float64(v)
		}
		e /= w
		if e > peak*peak*1e-5 {
			s += e
			n++
		}
	}
	if n == 0 {
		return peak
	}
	return math.Sqrt(s / float64(n))
}

func normalize(x []float32, dbfs float64) {
	r := activeRMS(x)
	if r == 0 {
		return
	}
	g := float32(db(dbfs) / r)
	for i := range x {
		x[i] *= g
	}
}

// singer synthesises a sung line: a harmonic source shaped by vowel formants, with vibrato,
// breathy noise and soft attacks. It adds a voice that the soundfont lacks.
func singer(rng *rand.Rand, notes []note, n int) []float32 {
	out := make([]float32, n)
	formants := [][3]float64{{800, 1150, 2900}, {400, 1600, 2700}, {350, 2300, 3000}, {450, 800, 2830}, {325, 700, 2530}}
	vibRate, vibDepth := 4.5+rng.Float64()*2, 0.2+rng.Float64()*0.6
	breath := 0.01 + rng.Float64()*0.05
	for _, nt := range notes {
		f := formants[rng.IntN(len(formants))]
		f0 := 440 * math.Pow(2, float64(nt.key-69)/12)
		s0 := int(nt.start * sr)
		len_ := int((nt.dur + 0.08) * sr)
		amp := float64(nt.vel) / 127
		phase := 0.0
		for i := 0; i < len_ && s0+i < n; i++ {
			t := float64(i) / sr
			env := math.Min(1, t/0.06) * math.Min(1, math.Max(0, (nt.dur+0.08-t)/0.1))
			vib := 1.0
			if t > 0.2 {
				vib = math.Pow(2, vibDepth/12*math.Sin(2*math.Pi*vibRate*t))
			}
			fi := f0 * vib
			phase += 2 * math.Pi * fi / sr
			var s float64
			for h := 1; float64(h)*fi < 7500; h++ {
				hf := float64(h) * fi
				g := 1.0 / float64(h)
				for k, fk := range f {
					bw := 80.0 + 40*float64(k)
					g += 3 / float64(k+1) / (1 + math.Pow((hf-fk)/bw, 2))
				}
				s += g / float64(h) * math.Sin(float64(h)*phase)
			}
			s += breath * (rng.Float64()*2 - 1)
			out[s0+i] += float32(0.1 * amp * env * s)
		}
	}
	return out
}

// clicks: a metronome, either a synthetic click or a short tone, with an accent each bar.
func metronome(rng *rand.Rand, dur float64) []float32 {
	out := make([]float32, int(dur*sr))
	bpm := 40 + rng.Float64()*170
	per := 2 + rng.IntN(4)
	hz := 800 + rng.Float64()*2500
	kind := rng.IntN(3)
	clickLen := 0.005 + rng.Float64()*0.03
	for b, t := 0, rng.Float64()*0.3; t < dur; b, t = b+1, t+60/bpm {
		f := hz
		if b%per == 0 {
			f *= 1.5
		}
		n := int(clickLen * sr)
		for i := range n {
			tt := float64(i) / sr
			env := math.Exp(-tt / (clickLen / 4))
			var v float64
			switch kind {
			case 0:
				v = math.Sin(2 * math.Pi * f * tt)
			case 1:
				v = rng.Float64()*2 - 1
			default:
				v = math.Sin(2*math.Pi*f*tt) + 0.5*(rng.Float64()*2-1)
			}
			if j := int(t*sr) + i; j < len(out) {
				out[j] += float32(0.5 * env * v)
			}
		}
	}
	return out
}

// beeps: tuner and app beeps — pure or square-ish tones, short and repeated, or a reference drone.
func beeps(rng *rand.Rand, dur float64) []float32 {
	out := make([]float32, int(dur*sr))
	hz := 440 * math.Pow(2, float64(rng.IntN(25)-12)/12)
	if rng.IntN(2) == 0 {
		hz = 440
	}
	on := 0.05 + rng.Float64()*0.5
	off := 0.1 + rng.Float64()*0.8
	if rng.IntN(5) == 0 { // reference tone held for a while
		on, off = 1+rng.Float64()*1.5, 0.5+rng.Float64()
	}
	square := rng.IntN(3) == 0
	for t := rng.Float64() * 0.2; t < dur; t += on + off {
		n := int(on * sr)
		for i := range n {
			tt := float64(i) / sr
			env := math.Min(1, math.Min(tt, on-tt)/0.004)
			v := math.Sin(2 * math.Pi * hz * tt)
			if square {
				v = math.Tanh(4 * v)
			}
			if j := int(t*sr) + i; j < len(out) {
				out[j] += float32(0.4 * env * v)
			}
		}
	}
	return out
}

// ring: a telephone bell pattern (two tones, amplitude-modulated) or an electronic trill.
func ring(rng *rand.Rand, dur float64) []float32 {
	out := make([]float32, int(dur*sr))
	f1, f2 := 400+rng.Float64()*600, 0.0
	f2 = f1 * (1.05 + rng.Float64()*0.3)
	trill := 15 + rng.Float64()*10
	onT, offT := 0.4+rng.Float64()*1.6, 0.2+rng.Float64()*2
	for i := range out {
		t := float64(i) / sr
		ph := math.Mod(t, onT+offT)
		if ph > onT {
			continue
		}
		v := math.Sin(2*math.Pi*f1*t) + math.Sin(2*math.Pi*f2*t)
		if math.Sin(2*math.Pi*trill*t) < 0 {
			v = math.Sin(2 * math.Pi * f2 * 1.2 * t)
		}
		out[i] = float32(0.25 * v * math.Min(1, math.Min(ph, onT-ph)/0.01))
	}
	return out
}

// knocks: damped low thumps with a click, two to four in a row.
func knocks(rng *rand.Rand) []float32 {
	n := 2 + rng.IntN(3)
	gap := 0.12 + rng.Float64()*0.25
	out := make([]float32, int((float64(n)*gap+0.4)*sr))
	hz := 70 + rng.Float64()*200
	tau := 0.01 + rng.Float64()*0.05
	for k := range n {
		o := int(float64(k) * gap * sr)
		for i := 0; i < int(0.3*sr); i++ {
			t := float64(i) / sr
			v := math.Sin(2*math.Pi*hz*t)*math.Exp(-t/tau) + 0.5*(rng.Float64()*2-1)*math.Exp(-t/0.004)
			if o+i < len(out) {
				out[o+i] += float32(0.6 * v)
			}
		}
	}
	return out
}

// rustle: page turns, clothing and chair noise — band-limited noise with a lumpy envelope.
func rustle(rng *rand.Rand, dur float64) []float32 {
	out := make([]float32, int(dur*sr))
	bp := newBiquad("bandpass", 800+rng.Float64()*4000, 0.5+rng.Float64()*1.5, 0)
	lumps := 3 + rng.IntN(8)
	centers := make([]float64, lumps)
	for i := range centers {
		centers[i] = rng.Float64() * dur
	}
	for i := range out {
		t := float64(i) / sr
		env := 0.0
		for _, c := range centers {
			env += math.Exp(-math.Pow((t-c)/0.04, 2))
		}
		out[i] = float32(bp.step(rng.Float64()*2-1) * env * 0.5)
	}
	return out
}

// noise fills x with coloured noise of the given RMS level.
func noise(rng *rand.Rand, x []float32, colour int, dbfs float64) {
	var b0, b1, b2, brown float64
	tmp := make([]float32, len(x))
	for i := range tmp {
		w := rng.NormFloat64()
		var v float64
		switch colour {
		case 0:
			v = w
		case 1: // pink (Paul Kellet's economy filter)
			b0 = 0.99765*b0 + w*0.0990460
			b1 = 0.96300*b1 + w*0.2965164
			b2 = 0.57000*b2 + w*1.0526913
			v = b0 + b1 + b2 + w*0.1848
		default: // brown, leaky
			brown = 0.995*brown + w*0.1
			v = brown
		}
		tmp[i] = float32(v)
	}
	var s float64
	for _, v := range tmp {
		s += float64(v) * float64(v)
	}
	g := db(dbfs) / math.Sqrt(s/float64(len(tmp))+1e-20)
	for i := range x {
		x[i] += float32(g) * tmp[i]
	}
}

func hum(rng *rand.Rand, x []float32, dbfs float64) {
	f := []float64{50, 60}[rng.IntN(2)]
	var amps [6]float64
	for i := range amps {
		amps[i] = rng.Float64() / float64(i+1)
	}
	g := db(dbfs) * math.Sqrt2
	for i := range x {
		t := float64(i) / sr
		var v float64
		for h, a := range amps {
			v += a * math.Sin(2*math.Pi*f*float64(h+1)*t+float64(h))
		}
		x[i] += float32(g * v)
	}
}

// whineShare is the share of scenes with an electrical whine.
const whineShare = 0.15

// whine adds one to three steady sine tones between 300 Hz and 7 kHz at the given level.
func whine(rng *rand.Rand, x []float32, dbfs float64) {
	n := 1 + rng.IntN(3)
	for range n {
		f := 300 * math.Pow(7000.0/300, rng.Float64())
		g := db(dbfs) * math.Sqrt2 / float64(n)
		ph := rng.Float64() * 2 * math.Pi
		for i := range x {
			x[i] += float32(g * math.Sin(2*math.Pi*f*float64(i)/sr+ph))
		}
	}
}

// biquad is an RBJ-cookbook filter.
type biquad struct{ b0, b1, b2, a1, a2, z1, z2 float64 }

func newBiquad(kind string, f, q, gainDB float64) *biquad {
	w := 2 * math.Pi * f / sr
	cw, sw := math.Cos(w), math.Sin(w)
	alpha := sw / (2 * q)
	A := math.Pow(10, gainDB/40)
	var b0, b1, b2, a0, a1, a2 float64
	switch kind {
	case "lowpass":
		b0, b1, b2 = (1-cw)/2, 1-cw, (1-cw)/2
		a0, a1, a2 = 1+alpha, -2*cw, 1-alpha
	case "highpass":
		b0, b1, b2 = (1+cw)/2, -(1 + cw), (1+cw)/2
		a0, a1, a2 = 1+alpha, -2*cw, 1-alpha
	case "bandpass":
		b0, b1, b2 = alpha, 0, -alpha
		a0, a1, a2 = 1+alpha, -2*cw, 1-alpha
	default: // peaking
		b0, b1, b2 = 1+alpha*A, -2*cw, 1-alpha*A
		a0, a1, a2 = 1+alpha/A, -2*cw, 1-alpha/A
	}
	return &biquad{b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0}
}

func (q *biquad) step(x float64) float64 {
	y := q.b0*x + q.z1
	q.z1 = q.b1*x - q.a1*y + q.z2
	q.z2 = q.b2*x - q.a2*y
	return y
}

func (q *biquad) run(x []float32) {
	for i, v := range x {
		x[i] = float32(q.step(float64(v)))
	}
}

// micColour applies a random microphone/room response: a high-pass, a low-pass and two bells.
func micColour(rng *rand.Rand, x []float32) {
	newBiquad("highpass", 40+rng.Float64()*160, 0.7, 0).run(x)
	if rng.IntN(3) > 0 {
		newBiquad("lowpass", 3500+rng.Float64()*4300, 0.7, 0).run(x)
	}
	for range 2 {
		newBiquad("peaking", 200*math.Pow(20, rng.Float64()), 0.7+rng.Float64()*2, rng.Float64()*16-8).run(x)
	}
}

// reverb is a small Schroeder reverberator (four damped combs, two all-passes) with a given RT60.
func reverb(rng *rand.Rand, x []float32, rt60, wet float64) {
	delays := []int{557, 593, 641, 677}
	sc := 0.7 + rng.Float64()*0.8
	out := make([]float64, len(x))
	for _, d := range delays {
		d = int(float64(d) * sc)
		g := math.Pow(10, -3*float64(d)/sr/rt60)
		buf := make([]float64, d)
		var lp float64
		damp := 0.2 + rng.Float64()*0.4
		for i, v := range x {
			y := buf[i%d]
			lp = y*(1-damp) + lp*damp
			buf[i%d] = float64(v) + lp*g
			out[i] += y / 4
		}
	}
	for _, d := range []int{225, 77} {
		buf := make([]float64, d)
		for i := range out {
			b := buf[i%d]
			y := -0.5*out[i] + b
			buf[i%d] = out[i] + 0.5*y
			out[i] = y
		}
	}
	for i := range x {
		x[i] = float32((1-wet)*float64(x[i]) + wet*2*out[i])
	}
}
