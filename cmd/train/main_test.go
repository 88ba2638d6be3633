package main

import (
	"math"
	"testing"
)

func TestRateShare(t *testing.T) {
	for _, c := range []struct {
		step, steps int
		floor, want float64
	}{
		{1, 100, 0.05, 1},
		{100, 100, 0.05, 0.05},
		{50, 99, 0.05, 0.525}, // half way down the cosine: the mean of start and floor
		{1, 100, 1, 1},
		{73, 100, 1, 1}, // floor 1 keeps the rate constant
		{1, 1, 0.05, 1},
	} {
		if got := rateShare(c.step, c.steps, c.floor); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("rateShare(%d, %d, %v) = %v, want %v", c.step, c.steps, c.floor, got, c.want)
		}
	}
	prev := 2.0
	for s := 1; s <= 1000; s++ {
		r := rateShare(s, 1000, 0.05)
		if r > prev {
			t.Fatalf("rate rises at step %d: %v after %v", s, r, prev)
		}
		prev = r
	}
}
