package audio

import "math"

// fft is a complex FFT of a fixed power-of-two size with precomputed tables, so the hot path
// allocates nothing. The passes are radix-4 (three complex multiplications per four points
// instead of four for two radix-2 passes, and half as many sweeps over memory), after a radix-2
// pass when the size is an odd power of two. The first pass reads the input in bit-reversed
// order, which saves a separate permutation pass.
type fft struct {
	n      int
	rev    []int // rev[j]: the bit reversal of j
	radix2 bool  // the first pass is radix-2 (an odd power of two)
	stages []radix4Stage
	out    []complex128
}

// radix4Stage combines four DFTs of q points into one of 4q points; w holds W^k, W^2k, W^3k
// (W = exp(−2πi/4q)) for each k < q in turn.
type radix4Stage struct {
	q int
	w []complex128
}

func newFFT(n int) *fft {
	f := &fft{n: n, rev: make([]int, n), out: make([]complex128, n)}
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
	f.radix2 = bits%2 == 1
	q := 16 // after the first radix-4 pass, DFTs of 4 points
	if f.radix2 {
		q = 8 // after the radix-2 pass, DFTs of 2 points
	}
	for ; q <= n; q *= 4 {
		s := radix4Stage{q: q / 4, w: make([]complex128, 0, 3*q/4)}
		for k := range q / 4 {
			for m := 1; m <= 3; m++ {
				a := -2 * math.Pi * float64(m*k) / float64(q)
				s.w = append(s.w, complex(math.Cos(a), math.Sin(a)))
			}
		}
		f.stages = append(f.stages, s)
	}
	return f
}

// transform computes the DFT of x (natural order, len n) into f.out.
func (f *fft) transform(x []complex128) {
	n := f.n
	x, out := x[:n], f.out[:n]
	stages := f.stages
	if !f.radix2 {
		// The first radix-4 pass has twiddles 1 and reads four inputs r, r+n/2, r+n/4, r+3n/4
		// (the bit-reversed places of j..j+3): no multiplications, no permutation pass.
		for j := 0; j+3 < n; j += 4 {
			r := f.rev[j]
			a, b, c, d := x[r], x[r+n/2], x[r+n/4], x[r+3*n/4]
			t0, t1, t2, t3 := a+b, a-b, c+d, c-d
			o := out[j : j+4 : j+4]
			o[0], o[2] = t0+t2, t0-t2
			o[1] = complex(real(t1)+imag(t3), imag(t1)-real(t3)) // t1 − i·t3
			o[3] = complex(real(t1)-imag(t3), imag(t1)+real(t3)) // t1 + i·t3
		}
	} else {
		for j := 0; j+1 < n; j += 2 {
			r := f.rev[j]
			a, b := x[r], x[r+n/2]
			out[j], out[j+1] = a+b, a-b
		}
	}
	for _, st := range stages {
		q := st.q
		for s := 0; s+4*q <= n; s += 4 * q {
			// In bit-reversed order the four quarters of the block hold the DFTs of the
			// subsequences with residues 0, 2, 1, 3 (mod 4).
			blk := out[s : s+4*q]
			a, b, c, d := blk[:q], blk[q:2*q], blk[2*q:3*q], blk[3*q:4*q]
			w := st.w[:3*len(a)]
			b, c, d = b[:len(a)], c[:len(a)], d[:len(a)]
			for k := range a {
				tw := w[3*k : 3*k+3 : 3*k+3]
				xb, xc, xd := b[k]*tw[1], c[k]*tw[0], d[k]*tw[2]
				t0, t1, t2, t3 := a[k]+xb, a[k]-xb, xc+xd, xc-xd
				a[k], c[k] = t0+t2, t0-t2
				b[k] = complex(real(t1)+imag(t3), imag(t1)-real(t3))
				d[k] = complex(real(t1)-imag(t3), imag(t1)+real(t3))
			}
		}
	}
}

// realPower computes |X[k]|² for k = 0..N/2 of a real frame of length N = 2·f.n, using one
// complex FFT of half the size.
type realPower struct {
	c    *fft
	z    []complex128 // input of c
	spec []complex128 // X[k], k ≤ N/2
	tw   []complex128 // W^k = exp(−2πik/N) for k ≤ N/4
}

func newRealPower(n int) *realPower {
	p := &realPower{c: newFFT(n / 2), z: make([]complex128, n/2), spec: make([]complex128, n/2+1),
		tw: make([]complex128, n/4+1)}
	for k := range p.tw {
		a := -2 * math.Pi * float64(k) / float64(n)
		p.tw[k] = complex(math.Cos(a), math.Sin(a))
	}
	return p
}

// power computes the power spectrum of x·win (len(x) = len(win) = N, len(out) = N/2+1).
func (p *realPower) power(x []float32, win []float64, out []float64) {
	h := p.c.n
	z := p.z[:h]
	x, win = x[:2*h], win[:2*h]
	// The frame's even samples are the real parts, the odd ones the imaginary parts.
	for i := range z {
		z[i] = complex(float64(x[2*i])*win[2*i], float64(x[2*i+1])*win[2*i+1])
	}
	p.c.transform(z)
	spec := p.unpack()
	out = out[:len(spec)]
	for k, v := range spec {
		out[k] = 0.25 * (real(v)*real(v) + imag(v)*imag(v)) // spec holds 2·X
	}
}

// unpack returns 2·X[k], k = 0..N/2, the bins of the real FFT doubled, from the half-size
// complex FFT in p.c.out: 2·X[k] = E + W^k·O with E = Z[k] + conj Z[h−k],
// O = −i(Z[k] − conj Z[h−k]), and 2·X[h−k] = conj(E − W^k·O), so each pair of bins shares one
// twiddle product. (Callers fold the halving into a scale they apply anyway.)
func (p *realPower) unpack() []complex128 {
	h := p.c.n
	z, x := p.c.out[:h], p.spec[:h+1]
	x[0] = complex(2*(real(z[0])+imag(z[0])), 0)
	x[h] = complex(2*(real(z[0])-imag(z[0])), 0)
	tw := p.tw[:h/2+1]
	for k := 1; k <= h/2; k++ {
		a, b := z[k], z[h-k]
		er, ei := real(a)+real(b), imag(a)-imag(b)
		or, oi := imag(a)+imag(b), real(b)-real(a)
		wr, wi := real(tw[k]), imag(tw[k])
		tr, ti := wr*or-wi*oi, wr*oi+wi*or
		x[k] = complex(er+tr, ei+ti)
		if k < h-k {
			x[h-k] = complex(er-tr, ti-ei)
		}
	}
	return x
}

// cosTransform computes R[m] = f[0] + (−1)^m·f[N] + 2·Σ_{j=1}^{N−1} f[j]·cos(πjm/N) for m = 0..N:
// the DFT of the real, even sequence of length 2N whose first half is f (which is real and even
// too). It folds f into a real sequence of N points and transforms that with a complex FFT of
// N/2 points, a quarter of the size of a complex FFT over the whole sequence.
type cosTransform struct {
	n      int
	rp     *realPower // the real FFT of N points
	sn, cs []float64  // sin, cos(πj/N) for j < N/2
	y      []float64  // the folded sequence
}

func newCosTransform(n int) *cosTransform {
	t := &cosTransform{n: n, rp: newRealPower(n), sn: make([]float64, n/2), cs: make([]float64, n/2),
		y: make([]float64, n)}
	for j := range n / 2 {
		a := math.Pi * float64(j) / float64(n)
		t.sn[j], t.cs[j] = math.Sin(a), math.Cos(a)
	}
	return t
}

// transform computes out[m] = R[m] for m = 0..N from f[0..N].
func (t *cosTransform) transform(f []float64, out []float64) {
	n := t.n
	f, out = f[:n+1], out[:n+1]
	y := t.y[:n]
	sn, cs := t.sn[:n/2], t.cs[:n/2]
	// y[j] = (f[j] + f[N−j])/2 − sin(πj/N)·(f[j] − f[N−j]): its real FFT Y has 2·Re Y[k] = R[2k]
	// and 2·Im Y[k] = R[2k−1] − R[2k+1] (unpack returns 2·Y).
	y[0], y[n/2] = 0.5*(f[0]+f[n]), f[n/2]
	r1 := f[0] - f[n] // R[1] = f[0] − f[N] + 2·Σ_{j<N/2} (f[j] − f[N−j])·cos(πj/N)
	var odd float64
	for j := 1; j < n/2; j++ {
		s, d := f[j]+f[n-j], f[j]-f[n-j]
		y[j], y[n-j] = 0.5*s-sn[j]*d, 0.5*s+sn[j]*d
		odd += cs[j] * d
	}
	r1 += 2 * odd
	z := t.rp.z[:n/2]
	for i := range z {
		z[i] = complex(y[2*i], y[2*i+1])
	}
	t.rp.c.transform(z)
	spec := t.rp.unpack()[:n/2+1]
	for k, v := range spec {
		out[2*k] = real(v)
	}
	out[1] = r1
	for k := 1; k < n/2; k++ {
		r1 -= imag(spec[k])
		out[2*k+1] = r1
	}
}
