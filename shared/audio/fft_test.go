package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRealPowerMatchesDFT(t *testing.T) {
	const n = 64
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	got := make([]float64, n/2+1)
	newRealPower(n).power(x, got)
	for k := 0; k <= n/2; k++ {
		var re, im float64
		for i, v := range x {
			a := -2 * math.Pi * float64(k*i) / n
			re += v * math.Cos(a)
			im += v * math.Sin(a)
		}
		if want := re*re + im*im; math.Abs(got[k]-want) > 1e-9*(1+want) {
			t.Fatalf("bin %d: %v want %v", k, got[k], want)
		}
	}
}

func TestRealPartMatchesDFT(t *testing.T) {
	const n = 64
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	got := make([]float64, n/2+1)
	newRealPower(n).realPart(x, got)
	for k := range got {
		var re float64
		for i, v := range x {
			re += v * math.Cos(-2*math.Pi*float64(k*i)/n)
		}
		if math.Abs(got[k]-re) > 1e-9 {
			t.Fatalf("bin %d: %v want %v", k, got[k], re)
		}
	}
}
