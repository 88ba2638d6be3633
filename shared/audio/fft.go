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

// realPart computes Re X[k] for k = 0..len(out)-1 (at most N/2) of the DFT of a real sequence x of
// length N = 2·p.c.n, with one half-size complex FFT.
func (p *realPower) realPart(x []float64, out []float64) {
	h := p.c.n
	re, im := p.c.re, p.c.im
	for i, r := range p.c.rev {
		re[r], im[r] = x[2*i], x[2*i+1]
	}
	p.c.transform()
	for k := range out {
		a, b := k, h-k
		if a == h {
			a = 0
		}
		if b == h {
			b = 0
		}
		zr, zi := re[a], im[a]
		cr, ci := re[b], -im[b]
		er := (zr + cr) / 2
		or, oi := (zi-ci)/2, -(zr-cr)/2
		wr, wi := p.tc[min(k, h-k)], p.ts[min(k, h-k)]
		if k > h/2 {
			wr = -wr // W^k = −conj(W^(h−k))
		}
		out[k] = er + wr*or - wi*oi
	}
}
