package audio

import "math"

// fft is an in-place complex FFT of a fixed power-of-two size with precomputed tables, so the hot
// path allocates nothing. Callers store the input in bit-reversed order (at rev[i]), which saves
// a separate permutation pass over the data; the passes are radix-4 (three complex
// multiplications per four points instead of four for two radix-2 passes, and half as many
// sweeps over memory), after one radix-2 pass when the size is an odd power of two.
type fft struct {
	n      int
	rev    []int
	stages []radix4Stage
	re, im []float64
}

// radix4Stage combines four DFTs of q points into one of 4q points; w1, w2, w3 hold W^k, W^2k,
// W^3k (W = exp(−2πi/4q)) for k < q, cos in r and sin in i.
type radix4Stage struct {
	q                            int
	w1r, w1i, w2r, w2i, w3r, w3i []float64
}

func newFFT(n int) *fft {
	f := &fft{n: n, rev: make([]int, n), re: make([]float64, n), im: make([]float64, n)}
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
	q := 1
	if bits%2 == 1 {
		q = 2 // the radix-2 pass makes DFTs of 2 points
	}
	for ; 4*q <= n; q *= 4 {
		s := radix4Stage{q: q}
		tw := func(m int) (c, s []float64) {
			c, s = make([]float64, q), make([]float64, q)
			for k := range q {
				a := -2 * math.Pi * float64(m*k) / float64(4*q)
				c[k], s[k] = math.Cos(a), math.Sin(a)
			}
			return c, s
		}
		s.w1r, s.w1i = tw(1)
		s.w2r, s.w2i = tw(2)
		s.w3r, s.w3i = tw(3)
		f.stages = append(f.stages, s)
	}
	return f
}

// transform runs the forward FFT over f.re/f.im, which hold the input in bit-reversed order.
func (f *fft) transform() {
	n := f.n
	re, im := f.re[:n], f.im[:n]
	if len(f.stages) == 0 || f.stages[0].q == 2 {
		for j := 0; j+1 < n; j += 2 {
			re[j], re[j+1] = re[j]+re[j+1], re[j]-re[j+1]
			im[j], im[j+1] = im[j]+im[j+1], im[j]-im[j+1]
		}
	}
	for _, st := range f.stages {
		if st.q == 1 {
			// Twiddles are all 1: no multiplications.
			for j := 0; j+3 < n; j += 4 {
				r, i := re[j:j+4:j+4], im[j:j+4:j+4]
				t0r, t0i := r[0]+r[1], i[0]+i[1]
				t1r, t1i := r[0]-r[1], i[0]-i[1]
				t2r, t2i := r[2]+r[3], i[2]+i[3]
				t3r, t3i := r[2]-r[3], i[2]-i[3]
				r[0], i[0] = t0r+t2r, t0i+t2i
				r[2], i[2] = t0r-t2r, t0i-t2i
				r[1], i[1] = t1r+t3i, t1i-t3r // t1 − i·t3
				r[3], i[3] = t1r-t3i, t1i+t3r // t1 + i·t3
			}
			continue
		}
		q := st.q
		for s := 0; s+4*q <= n; s += 4 * q {
			// In bit-reversed order the four quarters of the block hold the DFTs of the
			// subsequences with residues 0, 2, 1, 3 (mod 4).
			ar, ai := re[s:s+q], im[s:s+q]
			br, bi := re[s+q:s+2*q], im[s+q:s+2*q]
			cr, ci := re[s+2*q:s+3*q], im[s+2*q:s+3*q]
			dr, di := re[s+3*q:s+4*q], im[s+3*q:s+4*q]
			m := len(ar)
			ai, br, bi, cr, ci, dr, di = ai[:m], br[:m], bi[:m], cr[:m], ci[:m], dr[:m], di[:m]
			w1r, w1i, w2r, w2i := st.w1r[:m], st.w1i[:m], st.w2r[:m], st.w2i[:m]
			w3r, w3i := st.w3r[:m], st.w3i[:m]
			for k := range ar {
				// b·W^2k, c·W^k, d·W^3k
				xbr := w2r[k]*br[k] - w2i[k]*bi[k]
				xbi := w2r[k]*bi[k] + w2i[k]*br[k]
				xcr := w1r[k]*cr[k] - w1i[k]*ci[k]
				xci := w1r[k]*ci[k] + w1i[k]*cr[k]
				xdr := w3r[k]*dr[k] - w3i[k]*di[k]
				xdi := w3r[k]*di[k] + w3i[k]*dr[k]
				t0r, t0i := ar[k]+xbr, ai[k]+xbi
				t1r, t1i := ar[k]-xbr, ai[k]-xbi
				t2r, t2i := xcr+xdr, xci+xdi
				t3r, t3i := xcr-xdr, xci-xdi
				ar[k], ai[k] = t0r+t2r, t0i+t2i
				cr[k], ci[k] = t0r-t2r, t0i-t2i
				br[k], bi[k] = t1r+t3i, t1i-t3r
				dr[k], di[k] = t1r-t3i, t1i+t3r
			}
		}
	}
}

// realPower computes |X[k]|² for k = 0..N/2 of a real frame of length N = 2·f.n, using one
// complex FFT of half the size.
type realPower struct {
	c      *fft
	tc, ts []float64 // W^k = exp(−2πik/N) for k ≤ N/4
}

func newRealPower(n int) *realPower {
	p := &realPower{c: newFFT(n / 2), tc: make([]float64, n/4+1), ts: make([]float64, n/4+1)}
	for k := range n/4 + 1 {
		a := -2 * math.Pi * float64(k) / float64(n)
		p.tc[k], p.ts[k] = math.Cos(a), math.Sin(a)
	}
	return p
}

// power computes the power spectrum of x·win (len(x) = len(win) = N, len(out) = N/2+1).
func (p *realPower) power(x []float32, win []float64, out []float64) {
	h := p.c.n
	re, im := p.c.re[:h], p.c.im[:h]
	x, win = x[:2*h], win[:2*h]
	// The frame's even samples are the real parts, the odd ones the imaginary parts, stored
	// straight into their bit-reversed places.
	for i, r := range p.c.rev {
		re[r] = float64(x[2*i]) * win[2*i]
		im[r] = float64(x[2*i+1]) * win[2*i+1]
	}
	p.c.transform()
	out = out[:h+1]
	// X[k] = (E + W^k·O)/2 with E = Z[k] + conj Z[h−k], O = −i(Z[k] − conj Z[h−k]), and
	// X[h−k] = conj(E − W^k·O)/2, so each pair of bins shares one twiddle product.
	out[0] = (re[0] + im[0]) * (re[0] + im[0])
	out[h] = (re[0] - im[0]) * (re[0] - im[0])
	tc, ts := p.tc[:h/2+1], p.ts[:h/2+1]
	for k := 1; k <= h/2; k++ {
		zr, zi, yr, yi := re[k], im[k], re[h-k], im[h-k]
		er, ei := zr+yr, zi-yi
		or, oi := zi+yi, yr-zr
		tr := tc[k]*or - ts[k]*oi
		ti := tc[k]*oi + ts[k]*or
		out[k] = 0.25 * ((er+tr)*(er+tr) + (ei+ti)*(ei+ti))
		if k < h-k {
			out[h-k] = 0.25 * ((er-tr)*(er-tr) + (ei-ti)*(ei-ti))
		}
	}
}

// cosTransform computes R[m] = f[0] + (−1)^m·f[N] + 2·Σ_{j=1}^{N−1} f[j]·cos(πjm/N) for m = 0..N:
// the DFT of the real, even sequence of length 2N whose first half is f (which is real and even
// too). It folds f into a real sequence of N points and transforms that with a complex FFT of
// N/4 points, a quarter of the work of a complex FFT of the whole sequence.
type cosTransform struct {
	n      int
	rp     *realPower // only its fft and twiddles: the real FFT of N points
	sn, cs []float64  // sin, cos(πj/N) for j < N/2
	imY    []float64  // imaginary parts of the real FFT
}

func newCosTransform(n int) *cosTransform {
	t := &cosTransform{n: n, rp: newRealPower(n), sn: make([]float64, n/2), cs: make([]float64, n/2),
		imY: make([]float64, n/2+1)}
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
	c := t.rp.c
	h := c.n // n/2 complex points hold the n folded real points
	re, im := c.re[:h], c.im[:h]
	rev := c.rev[:h]
	sn, cs := t.sn[:n/2], t.cs[:n/2]
	// y[j] = (f[j] + f[N−j]) − 2·sin(πj/N)·(f[j] − f[N−j]): its real FFT Y has Re Y[k] = R[2k]
	// and Im Y[k] = R[2k−1] − R[2k+1]. y[2i] and y[2i+1] go to the complex point i, bit-reversed.
	put := func(j int, v float64) {
		if j%2 == 0 {
			re[rev[j/2]] = v
		} else {
			im[rev[j/2]] = v
		}
	}
	put(0, f[0]+f[n])
	put(n/2, 2*f[n/2])
	r1 := f[0] - f[n] // R[1] = f[0] − f[N] + 2·Σ_{j<N/2} (f[j] − f[N−j])·cos(πj/N)
	var odd float64
	for j := 1; j < n/2; j++ {
		s, d := f[j]+f[n-j], f[j]-f[n-j]
		put(j, s-2*sn[j]*d)
		put(n-j, s+2*sn[j]*d)
		odd += cs[j] * d
	}
	r1 += 2 * odd
	c.transform()
	// The real FFT's post-processing as in realPower.power, keeping Re and Im.
	imY := t.imY[:h+1]
	out[0] = re[0] + im[0]
	out[n] = re[0] - im[0]
	tc, ts := t.rp.tc[:h/2+1], t.rp.ts[:h/2+1]
	for k := 1; k <= h/2; k++ {
		zr, zi, yr, yi := re[k], im[k], re[h-k], im[h-k]
		er, ei := zr+yr, zi-yi
		or, oi := zi+yi, yr-zr
		tr := tc[k]*or - ts[k]*oi
		ti := tc[k]*oi + ts[k]*or
		out[2*k], imY[k] = 0.5*(er+tr), 0.5*(ei+ti)
		if k < h-k {
			out[2*(h-k)], imY[h-k] = 0.5*(er-tr), 0.5*(ti-ei)
		}
	}
	out[1] = r1
	for k := 1; k < h; k++ {
		out[2*k+1] = out[2*k-1] - imY[k]
	}
}
