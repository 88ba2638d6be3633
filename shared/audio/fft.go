package audio

import "math"

// fft is an in-place radix-2 complex FFT of a fixed size with precomputed tables, so the hot path
// allocates nothing.
type fft struct {
	n      int
	rev    []int
	cos    []float64
	sin    []float64
	re, im []float64
}

func newFFT(n int) *fft {
	f := &fft{n: n, rev: make([]int, n), cos: make([]float64, n/2), sin: make([]float64, n/2),
		re: make([]float64, n), im: make([]float64, n)}
	bits := 0
	for 1<<bits < n {
		bits++
	}
	for i := range n {
		r := 0
		for b := range bits {
			if i&(1<<b) != 0 {
				r |= 1 << (bits - 1 - b)
			}
		}
		f.rev[i] = r
	}
	for i := range n / 2 {
		a := -2 * math.Pi * float64(i) / float64(n)
		f.cos[i], f.sin[i] = math.Cos(a), math.Sin(a)
	}
	return f
}

// transform runs the forward FFT over f.re/f.im.
func (f *fft) transform() {
	n := f.n
	re, im := f.re[:n], f.im[:n]
	for i, r := range f.rev {
		if i < r {
			re[i], re[r] = re[r], re[i]
			im[i], im[r] = im[r], im[i]
		}
	}
	// The first two stages have trivial twiddles (1 and −i): no multiplications.
	for j := 0; j+1 < n; j += 2 {
		re[j], re[j+1] = re[j]+re[j+1], re[j]-re[j+1]
		im[j], im[j+1] = im[j]+im[j+1], im[j]-im[j+1]
	}
	for j := 0; j+3 < n; j += 4 {
		r0, i0, r1, i1 := re[j], im[j], re[j+1], im[j+1]
		r2, i2, r3, i3 := re[j+2], im[j+2], re[j+3], im[j+3]
		re[j], im[j] = r0+r2, i0+i2
		re[j+2], im[j+2] = r0-r2, i0-i2
		// w = −i: (r3 + i·i3)(−i) = i3 − i·r3
		re[j+1], im[j+1] = r1+i3, i1-r3
		re[j+3], im[j+3] = r1-i3, i1+r3
	}
	for size := 8; size <= n; size <<= 1 {
		half := size >> 1
		step := n / size
		for start := 0; start < n; start += size {
			k := 0
			for j := start; j < start+half; j++ {
				wr, wi := f.cos[k], f.sin[k]
				l := j + half
				tr := wr*re[l] - wi*im[l]
				ti := wr*im[l] + wi*re[l]
				re[l], im[l] = re[j]-tr, im[j]-ti
				re[j], im[j] = re[j]+tr, im[j]+ti
				k += step
			}
		}
	}
}

// realPower computes |X[k]|² for k = 0..N/2 of a real frame of length N = 2·f.n, using one
// complex FFT of half the size.
type realPower struct {
	c      *fft
	tc, ts []float64
}

func newRealPower(n int) *realPower {
	p := &realPower{c: newFFT(n / 2), tc: make([]float64, n/2+1), ts: make([]float64, n/2+1)}
	for k := range n/2 + 1 {
		a := -2 * math.Pi * float64(k) / float64(n)
		p.tc[k], p.ts[k] = math.Cos(a), math.Sin(a)
	}
	return p
}

func (p *realPower) power(x []float64, out []float64) {
	h := p.c.n
	re, im := p.c.re, p.c.im
	for i := range h {
		re[i], im[i] = x[2*i], x[2*i+1]
	}
	p.c.transform()
	_ = out[h]
	for k := 0; k <= h; k++ {
		a, b := k%h, (h-k)%h
		zr, zi := re[a], im[a]
		cr, ci := re[b], -im[b] // conj(Z[N/2-k])
		er, ei := (zr+cr)/2, (zi+ci)/2
		or, oi := (zi-ci)/2, -(zr-cr)/2 // (Z - conj)/(2i)
		wr, wi := p.tc[k], p.ts[k]
		xr := er + wr*or - wi*oi
		xi := ei + wr*oi + wi*or
		out[k] = xr*xr + xi*xi
	}
}

// realPart computes Re X[k] for k = 0..len(out)-1 (at most N/2) of the DFT of a real sequence x of
// length N = 2·p.c.n, with one half-size complex FFT.
func (p *realPower) realPart(x []float64, out []float64) {
	h := p.c.n
	re, im := p.c.re, p.c.im
	for i := range h {
		re[i], im[i] = x[2*i], x[2*i+1]
	}
	p.c.transform()
	for k := range out {
		a, b := k%h, (h-k)%h
		zr, zi := re[a], im[a]
		cr, ci := re[b], -im[b]
		er := (zr + cr) / 2
		or, oi := (zi-ci)/2, -(zr-cr)/2
		out[k] = er + p.tc[k]*or - p.ts[k]*oi
	}
}
