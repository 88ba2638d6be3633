package audio

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// benchSignal is a minute of tone bursts over noise at 16 kHz.
func benchSignal() []float32 {
	rng := rand.New(rand.NewPCG(3, 4))
	x := sine(60*16000, 16000, 330, 0.2)
	for i := range x {
		if (i/16000)%4 == 3 {
			x[i] = 0
		}
		x[i] += float32(rng.NormFloat64() * 0.003)
	}
	return x
}

func BenchmarkAnalyze(b *testing.B) {
	wav := encode(b, WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, benchSignal())
	if _, err := DefaultModel(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(wav)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(bytes.NewReader(wav)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(60/(b.Elapsed().Seconds()/float64(b.N)), "x_realtime")
}

// BenchmarkExtractorFrame is the hot path: one 32 ms frame through features and the model.
// It must not allocate.
func BenchmarkExtractorFrame(b *testing.B) {
	m, err := DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	x := benchSignal()
	ex := NewExtractor()
	scratch := make([]float32, NumFeatures)
	var sum float64
	emit := func(_ int, f []float32) { sum += m.BlockProb(f, scratch) }
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i+frameLen > len(x) {
			i = 0
		}
		ex.Push(x[i:i+frameLen], emit)
		i += frameLen
	}
	_ = sum
}

func TestHotPathDoesNotAllocate(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	x := benchSignal()
	ex := NewExtractor()
	scratch := make([]float32, NumFeatures)
	emit := func(_ int, f []float32) { m.BlockProb(f, scratch) }
	ex.Push(x[:16000*5], emit) // warm up
	i := 16000 * 5
	allocs := testing.AllocsPerRun(500, func() {
		ex.Push(x[i:i+frameLen], emit)
		i += frameLen
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per frame", allocs)
	}
}

// BenchmarkTreesMargin is the committed trees on one block's inputs (the context window's
// layout, random values): the part of the per-block cost they add.
func BenchmarkTreesMargin(b *testing.B) {
	m, err := DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	if m.Context == nil || m.Context.Trees == nil {
		b.Skip("the committed model has no trees")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([][]float32, 64)
	for i := range xs {
		xs[i] = make([]float32, WindowInputs(m.Context.Radius))
		for j := range xs[i] {
			xs[i][j] = float32(rng.NormFloat64())
		}
	}
	b.ReportAllocs()
	var s float64
	for i := 0; b.Loop(); i++ {
		s += m.Context.Trees.Margin(xs[i%len(xs)])
	}
	_ = s
}
