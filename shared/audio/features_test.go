package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

// synth renders dur seconds at the analysis rate: a faint noise floor plus what add writes.
func synth(dur float64, add func(t float64) float64) []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]float32, int(dur*AnalysisRate))
	for i := range out {
		t := float64(i) / AnalysisRate
		out[i] = float32(add(t) + 1e-4*rng.NormFloat64())
	}
	return out
}

// meanOf returns the mean of the named block features over the blocks of s, skipping
// the first and last two seconds, where the windows are cut short.
func meanOf(t *testing.T, s []float32, names ...string) map[string]float64 {
	t.Helper()
	ex := NewExtractor()
	sums := map[string]float64{}
	var n float64
	emit := func(b int, f []float32) {
		at := float64(b) * BlockSeconds
		if at < 2 || at > float64(len(s))/AnalysisRate-2 {
			return
		}
		n++
		for _, name := range names {
			sums[name] += float64(f[featureIndex(name)])
		}
	}
	ex.Push(s, emit)
	ex.Flush(emit)
	for k := range sums {
		sums[k] /= n
	}
	return sums
}

// Struck notes of a melody ring and decay and move among pitches; a tuner's beeps hold one level
// and one pitch; a metronome's clicks are gone at once and all alike. The onset and decay
// statistics must tell these apart, or they add nothing the model can use.
func TestRingStatsSeparateNotesBeepsAndClicks(t *testing.T) {
	const dur = 12
	scale := []float64{0, 4, 7, 12, 16, 19, 24, 19, 16, 12, 7, 4} // an arpeggio over two octaves
	melody := synth(dur, func(t float64) float64 {
		k := int(t / 0.5)
		tt := t - float64(k)*0.5
		hz := 262 * math.Pow(2, scale[k%len(scale)]/12)
		env := math.Exp(-tt/0.25) * math.Min(1, tt/0.002)
		return 0.3 * env * (math.Sin(2*math.Pi*hz*tt) + 0.3*math.Sin(4*math.Pi*hz*tt))
	})
	beeps := synth(dur, func(t float64) float64 {
		tt := math.Mod(t, 0.5)
		if tt > 0.15 {
			return 0
		}
		return 0.3 * math.Min(1, math.Min(tt, 0.15-tt)/0.004) * math.Sin(2*math.Pi*440*tt)
	})
	clicks := synth(dur, func(t float64) float64 {
		tt := math.Mod(t, 0.5)
		return 0.5 * math.Exp(-tt/0.003) * math.Sin(2*math.Pi*1500*tt)
	})
	names := []string{"l_ring_sustain", "l_ring_pitch", "l_onset_sim", "l_decay_slow", "l_notes"}
	m, b, c := meanOf(t, melody, names...), meanOf(t, beeps, names...), meanOf(t, clicks, names...)
	t.Logf("melody %v\nbeeps %v\nclicks %v", m, b, c)
	if m["l_notes"] < 3.0/8 || b["l_notes"] > 1.5/8 {
		t.Errorf("held semitones: melody %.2f, beeps %.2f; want ≥ 3/8 and ≤ 1.5/8", m["l_notes"], b["l_notes"])
	}
	if m["l_decay_slow"] < 3*b["l_decay_slow"] || m["l_decay_slow"] < 0.3 {
		t.Errorf("slowly decaying share: melody %.2f, beeps %.2f", m["l_decay_slow"], b["l_decay_slow"])
	}
	if m["l_ring_sustain"] < c["l_ring_sustain"]+0.2 {
		t.Errorf("level kept after onsets: melody %.2f, clicks %.2f", m["l_ring_sustain"], c["l_ring_sustain"])
	}
	if m["l_ring_pitch"] < c["l_ring_pitch"]+0.3 {
		t.Errorf("pitch after onsets: melody %.2f, clicks %.2f", m["l_ring_pitch"], c["l_ring_pitch"])
	}
	if c["l_onset_sim"] < 0.9 || m["l_onset_sim"] > c["l_onset_sim"]-0.05 {
		t.Errorf("likeness of consecutive onsets: clicks %.2f, melody %.2f", c["l_onset_sim"], m["l_onset_sim"])
	}
}
