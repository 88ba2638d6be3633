package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFFTMatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{2, 4, 8, 16, 32, 64, 128, 256} {
		xr, xi := make([]float64, n), make([]float64, n)
		x := make([]complex128, n)
		f := newFFT(n)
		for i := range n {
			xr[i], xi[i] = rng.Float64()*2-1, rng.Float64()*2-1
			x[i] = complex(xr[i], xi[i])
		}
		f.transform(x)
		for k := range n {
			var re, im float64
			for i := range n {
				s, c := math.Sincos(-2 * math.Pi * float64(k*i%n) / float64(n))
				re += xr[i]*c - xi[i]*s
				im += xr[i]*s + xi[i]*c
			}
			if math.Hypot(real(f.out[k])-re, imag(f.out[k])-im) > 1e-12*float64(n) {
				t.Fatalf("n=%d bin %d: %v want %v%+vi", n, k, f.out[k], re, im)
			}
		}
	}
}

func TestRealPowerMatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{64, 512} {
		x, win := make([]float32, n), make([]float64, n)
		for i := range x {
			x[i], win[i] = float32(rng.Float64()*2-1), rng.Float64()
		}
		got := make([]float64, n/2+1)
		newRealPower(n).power(x, win, got)
		for k := 0; k <= n/2; k++ {
			var re, im float64
			for i, v := range x {
				a := -2 * math.Pi * float64(k*i) / float64(n)
				re += float64(v) * win[i] * math.Cos(a)
				im += float64(v) * win[i] * math.Sin(a)
			}
			if want := re*re + im*im; math.Abs(got[k]-want) > 1e-9*(1+want) {
				t.Fatalf("n=%d bin %d: %v want %v", n, k, got[k], want)
			}
		}
	}
}

func TestCosTransformMatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{16, 64, 128} {
		// The even sequence of length 2n whose first half is f.
		f := make([]float64, n+1)
		x := make([]float64, 2*n)
		for i := range f {
			f[i] = rng.Float64()
			x[i] = f[i]
			if i > 0 {
				x[2*n-i] = f[i]
			}
		}
		got := make([]float64, n+1)
		newCosTransform(n).transform(f, got)
		for k := range got {
			var re float64
			for i, v := range x {
				re += v * math.Cos(-2*math.Pi*float64(k*i)/float64(2*n))
			}
			if math.Abs(got[k]-re) > 1e-9 {
				t.Fatalf("n=%d bin %d: %v want %v", n, k, got[k], re)
			}
		}
	}
}

func BenchmarkRealPower(b *testing.B) {
	x, win, out := make([]float32, frameLen), make([]float64, frameLen), make([]float64, frameLen/2+1)
	for i := range x {
		x[i], win[i] = float32(math.Sin(float64(i))), 0.5
	}
	p := newRealPower(frameLen)
	for b.Loop() {
		p.power(x, win, out)
	}
}

func BenchmarkCosTransform(b *testing.B) {
	f, out := make([]float64, acLen/2+1), make([]float64, acLen/2+1)
	for i := range f {
		f[i] = math.Abs(math.Sin(float64(i)))
	}
	t := newCosTransform(acLen / 2)
	for b.Loop() {
		t.transform(f, out)
	}
}
