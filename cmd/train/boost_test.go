package main

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
)

// The trees must learn a rule no single input shows (both inputs positive) and keep no more
// trees than help on the held-out rows.
func TestBoostLearnsAnInteraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func(n int) ([][]float32, []float32, []float64) {
		X, Y, B := [][]float32{}, []float32{}, []float64{}
		for range n {
			x := []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
			var y float32
			if x[0] > 0 && x[1] > 0 {
				y = 1
			}
			X, Y, B = append(X, x), append(Y, y), append(B, 0)
		}
		return X, Y, B
	}
	X, Y, B := gen(4000)
	dX, dY, dB := gen(1000)
	cfg := boostConfig{trees: 60, leaves: 4, depth: 3, rate: 0.3, minLeaf: 20, lambda: 1, subsample: 0.7}
	tr := boost(X, Y, B, dX, dY, dB, cfg, rng, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if len(tr.Roots) == 0 || len(tr.Roots) > cfg.trees {
		t.Fatalf("kept %d trees", len(tr.Roots))
	}
	if err := tr.Validate(3); err != nil {
		t.Fatal(err)
	}
	var ok int
	for i, x := range dX {
		if (tr.Margin(x) > 0) == (dY[i] == 1) {
			ok++
		}
	}
	if acc := float64(ok) / float64(len(dX)); acc < 0.97 {
		t.Errorf("held-out accuracy %.3f, want ≥ 0.97", acc)
	}
}

func TestBinOf(t *testing.T) {
	e := []float32{-1, 0, 2}
	for x, want := range map[float32]int{-5: 0, -1: 0, -0.5: 1, 0: 1, 1: 2, 2: 2, 3: 3} {
		if got := binOf(e, x); got != want {
			t.Errorf("binOf(%v) = %d, want %d", x, got, want)
		}
	}
}
