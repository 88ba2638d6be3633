package audio

import (
	"math"
	"math/bits"
)

// Analysis constants. Frames are 32 ms at 16 kHz; decisions are made per block of 8 frames
// (256 ms) from statistics over a context window around the block.
const (
	AnalysisRate = 16000
	frameLen     = 512
	hop          = 512
	blockFrames  = 8
	nMel         = 20
	shortCtx     = 12 // frames each side of a block in the short window (≈1 s in all)
	longCtx      = 28 // frames each side of a block in the long window (≈2 s in all)
	ringFrames   = 256
	floorPast    = 40 // blocks of history for the noise floor (≈10 s)
	floorFuture  = 4
	blockRing    = 64
	acLen        = 256 // autocorrelation at 8 kHz: the 0–4 kHz half of the spectrum
	// Lags of the circular 256-point autocorrelation stay below 0.4·256 where the wrapped-around
	// part is negligible under the Hann window: f0 from 80 Hz to 2 kHz (lower notes are caught
	// through their harmonics' regularity and the other features).
	minLag, maxLag = 4, 100
)

// BlockSeconds is the time one decision covers.
const BlockSeconds = float64(blockFrames*hop) / AnalysisRate

// NumFeatures is the length of a block's feature vector.
const NumFeatures = nWin + 3 + nMel + 9 + 3 + 3 + 4 + 2*nRing

const nWin = 23 // statistics of a window of frames (windowStats)

// FeatureNames label the block features (in order) for training reports.
var FeatureNames = func() []string {
	n := []string{"rel_e", "rel_e_max", "e_std", "abs_e", "active", "pitch_str", "pitch_str_max",
		"voiced", "stable", "stable_run", "crest_lo", "crest_mid", "crest_hi", "crest_std", "flux",
		"flux_std", "onsets", "centroid", "centroid_std", "hf", "stationarity", "f0_std",
		"peak_share", "block_rel_e", "block_pitch", "block_flux"}
	for i := range nMel {
		n = append(n, "mel"+string(rune('a'+i)))
	}
	return append(n, "mod4hz", "l_pitch", "l_stable", "l_rel_e", "l_active", "l_onsets", "l_flux", "l_e_std", "l_peak_share",
		"band_snr", "band_snr_max", "bands_on", "steady", "l_steady", "beat",
		"lines", "lines_share", "l_lines", "l_lines_share",
		"ring_sustain", "ring_pitch", "onset_sim", "decay_slow", "notes",
		"l_ring_sustain", "l_ring_pitch", "l_onset_sim", "l_decay_slow", "l_notes")
}()

// frame holds the low-level features of one 32 ms frame.
type frame struct {
	logE  float64 // dBFS over 60 Hz–7.8 kHz
	mel   [nMel]float64
	crest [4]float64 // log peak-to-mean ratio in four bands: harmonic peaks stand out
	cent  float64    // spectral centroid, log2(Hz)
	hf    float64    // fraction of energy above 4 kHz
	pstr  float64    // pitch strength: normalised autocorrelation peak
	f0    float64    // semitones above 55 Hz at that peak
	flux  float64    // positive log-mel change from the previous frame
	stat  float64    // correlation of the mel shape with the previous frame's
	peak  float64    // share of the power in the strongest partial: near 1 for a pure beep
	pkf   float64    // frequency of the strongest partial, in FFT bins (interpolated)
	lines float64    // spectral peaks held (±1 bin) over three frames: a played note's partials
	lineS float64    // the share of this frame's peaks that are held
}

type melBand struct {
	lo, hi int
	w      []float64
}

// Extractor turns a 16 kHz stream into block feature vectors in constant memory.
type Extractor struct {
	win     [frameLen]float64
	acNorm  [maxLag + 1]float64
	acInv   [maxLag + 1]float64 // 1/acNorm
	pow     [frameLen/2 + 1]float64
	pending [frameLen]float32
	npend   int
	rp      *realPower
	ac      *cosTransform
	acIn    [acLen/2 + 1]float64 // the 0–4 kHz power spectrum; bins 0–2 stay 0
	acOut   [acLen/2 + 1]float64
	bands   [nMel]melBand

	ring        [ringFrames]frame
	nFrames     int // frames computed so far
	prevMel     [nMel]float64
	prevMelMean float64
	peaks       [2]peakMask // spectral peaks of the previous two frames

	blockMin   [blockRing]float64
	blockFloor [blockRing]float64
	bandMin    [blockRing][nMel]float64
	minDone    int // blocks whose minima are complete
	nBlocks    int // blocks emitted
	feat       [NumFeatures]float32
}

// NewExtractor builds the tables once.
func NewExtractor() *Extractor {
	e := &Extractor{rp: newRealPower(frameLen), ac: newCosTransform(acLen / 2)}
	for i := range frameLen {
		e.win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*(float64(i)+0.5)/frameLen)
	}
	// Window autocorrelation at 8 kHz lags (2 samples at 16 kHz) for Boersma's normalisation.
	var r0 float64
	for i := range frameLen {
		r0 += e.win[i] * e.win[i]
	}
	for l := 0; l <= maxLag; l++ {
		var s float64
		for i := 0; i+2*l < frameLen; i++ {
			s += e.win[i] * e.win[i+2*l]
		}
		e.acNorm[l] = max(s/r0, 1e-3)
		e.acInv[l] = 1 / e.acNorm[l]
	}
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	imel := func(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }
	lo, hi := mel(60), mel(7800)
	binHz := float64(AnalysisRate) / frameLen
	for b := range nMel {
		f0 := imel(lo + (hi-lo)*float64(b)/(nMel+1))
		f1 := imel(lo + (hi-lo)*float64(b+1)/(nMel+1))
		f2 := imel(lo + (hi-lo)*float64(b+2)/(nMel+1))
		k0, k2 := int(math.Floor(f0/binHz)), int(math.Ceil(f2/binHz))
		mb := melBand{lo: k0, hi: k2}
		var sum float64
		for k := k0; k <= k2; k++ {
			f := float64(k) * binHz
			w := 0.0
			switch {
			case f >= f0 && f <= f1:
				w = (f - f0) / (f1 - f0)
			case f > f1 && f <= f2:
				w = (f2 - f) / (f2 - f1)
			}
			if w <= 0 && k2-k0 <= 2 {
				w = 0.5 // narrow low bands still get their nearest bin
			}
			mb.w = append(mb.w, w)
			sum += w
		}
		for i := range mb.w {
			mb.w[i] /= sum
		}
		e.bands[b] = mb
	}
	return e
}

// Push feeds 16 kHz samples; emit receives each finished block's index and features. The slice is
// reused: copy it if it must outlive the call.
func (e *Extractor) Push(s []float32, emit func(block int, f []float32)) {
	for len(s) > 0 {
		n := copy(e.pending[e.npend:], s)
		e.npend += n
		s = s[n:]
		if e.npend == frameLen {
			e.computeFrame()
			e.npend = 0
			e.emitReady(false, emit)
		}
	}
}

// Flush ends the stream: a final partial frame is zero-padded and every remaining block emitted.
func (e *Extractor) Flush(emit func(block int, f []float32)) {
	if e.npend > frameLen/4 {
		for i := e.npend; i < frameLen; i++ {
			e.pending[i] = 0
		}
		e.computeFrame()
	}
	e.npend = 0
	e.emitReady(true, emit)
}

func (e *Extractor) computeFrame() {
	e.rp.power(e.pending[:], e.win[:], e.pow[:])
	p := e.pow[:]
	fr := &e.ring[e.nFrames%ringFrames]
	const eps = 1e-11 // ≈ -110 dB re full scale after the window's gain
	// Level, share above 4 kHz and centroid from bin 2 up; two partial sums each halve the chains
	// of dependent additions.
	var t0, t1, h0, h1, c0, c1 float64
	lo, hi := p[2:frameLen/4], p[frameLen/4:frameLen/2]
	for i := 0; i+1 < len(lo); i += 2 {
		t0 += lo[i]
		t1 += lo[i+1]
		c0 += lo[i] * float64(i+2)
		c1 += lo[i+1] * float64(i+3)
	}
	for i := 0; i+1 < len(hi); i += 2 {
		h0 += hi[i]
		h1 += hi[i+1]
		c0 += hi[i] * float64(i+frameLen/4)
		c1 += hi[i+1] * float64(i+1+frameLen/4)
	}
	hf := h0 + h1
	tot, cw := (t0+t1)+hf, c0+c1
	// Crest: peak over mean power in four bands (harmonic instruments show sharp partials). The
	// bands' peaks give the strongest partial above mains hum too, the first one if several are
	// equal.
	edges := [5]int{3, 16, 48, 128, 250}
	mx, mk := 0.0, 3
	for i := range 4 {
		s, bmx, at := sumMax(p[edges[i]:edges[i+1]])
		fr.crest[i] = math.Log((bmx + eps) / (s/float64(edges[i+1]-edges[i]) + eps))
		if bmx > mx {
			mx, mk = bmx, edges[i]+at
		}
	}
	for k := edges[4]; k < frameLen/2; k++ {
		if p[k] > mx {
			mx, mk = p[k], k
		}
	}
	fr.logE = 10 * math.Log10(tot/(frameLen*frameLen/8)+eps)
	fr.hf = hf / (tot + eps)
	fr.peak = (p[mk-1] + p[mk] + p[mk+1]) / (tot + eps)
	fr.pkf = float64(mk)
	if a, b, c := math.Log(p[mk-1]+eps), math.Log(p[mk]+eps), math.Log(p[mk+1]+eps); a-2*b+c < 0 {
		fr.pkf += max(-0.5, min(0.5, 0.5*(a-c)/(a-2*b+c)))
	}
	fr.cent = math.Log2((cw/(tot+eps))*AnalysisRate/frameLen + 50)
	var mean float64
	for b := range e.bands {
		mb := &e.bands[b]
		s := dot(mb.w, p[mb.lo:])
		fr.mel[b] = 10 * math.Log10(s/(frameLen*frameLen/8)+eps)
		mean += fr.mel[b]
	}
	mean /= nMel
	var flux, cross, na, nb float64
	for b := range fr.mel {
		d := fr.mel[b] - e.prevMel[b]
		if d > 0 {
			flux += d
		}
		a, c := fr.mel[b]-mean, e.prevMelShape(b)
		cross += a * c
		na += a * a
		nb += c * c
	}
	fr.flux = flux / nMel
	e.spectralLines(fr, mx)
	fr.stat = cross / math.Sqrt(na*nb+1e-9)
	copy(e.prevMel[:], fr.mel[:])
	e.prevMelMean = mean

	// Autocorrelation of the 0–4 kHz band as an 8 kHz signal: inverse FFT of the power spectrum
	// (a cosine transform, the spectrum being real and even). Bins below 90 Hz are dropped so
	// mains hum does not read as pitch.
	copy(e.acIn[3:], p[3:])
	e.ac.transform(e.acIn[:], e.acOut[:])
	re := e.acOut[:]
	r0 := re[0]
	fr.pstr, fr.f0 = 0, 0
	if r0 > 1e-12 && fr.logE > -100 {
		l := minLag
		for l < maxLag && re[l+1] < re[l] {
			l++ // skip the zero-lag lobe
		}
		// The strongest normalised peak above −1; r0 > 0 is left out of the search and the norm
		// multiplied in as a reciprocal, so there is no division per lag.
		best, bl := -r0, 0
		for ; l <= maxLag; l++ {
			if v := re[l] * e.acInv[l]; v > best {
				best, bl = v, l
			}
		}
		if bl > 0 {
			best = re[bl] / (r0 * e.acNorm[bl])
			lag := float64(bl)
			if bl > minLag && bl < maxLag {
				a, b, c := re[bl-1]/e.acNorm[bl-1], re[bl]/e.acNorm[bl], re[bl+1]/e.acNorm[bl+1]
				if den := a - 2*b + c; den < 0 {
					lag += 0.5 * (a - c) / den
				}
			}
			fr.pstr = max(0, min(1, best))
			fr.f0 = 12 * math.Log2(8000/lag/55)
		}
	}
	e.nFrames++
}

func (e *Extractor) prevMelShape(b int) float64 { return e.prevMel[b] - e.prevMelMean }

// emitReady emits every block whose context window is complete (or all of them at the end).
func (e *Extractor) emitReady(final bool, emit func(int, []float32)) {
	for {
		b := e.nBlocks
		start := b * blockFrames
		if start >= e.nFrames {
			return
		}
		need := start + blockFrames + longCtx + floorFuture*blockFrames
		if !final && e.nFrames < need {
			return
		}
		e.blockFeatures(b)
		emit(b, e.feat[:])
		e.nBlocks++
	}
}

func (e *Extractor) at(i int) *frame { return &e.ring[i%ringFrames] }

func (e *Extractor) blockFeatures(b int) {
	start := b * blockFrames
	end := min(start+blockFrames, e.nFrames)
	// Block minima feed the noise floor; compute this block's and any future ones available. A
	// complete block's minima are final, so they are computed once, not once per block that
	// looks ahead at them.
	for fb := max(b, e.minDone); fb <= b+floorFuture; fb++ {
		s, t := fb*blockFrames, min((fb+1)*blockFrames, e.nFrames)
		if s >= t {
			break
		}
		m := math.Inf(1)
		bm := &e.bandMin[fb%blockRing]
		for k := range bm {
			bm[k] = math.Inf(1)
		}
		for i := s; i < t; i++ {
			fr := e.at(i)
			m = min(m, fr.logE)
			for k, v := range fr.mel {
				if v < bm[k] {
					bm[k] = v
				}
			}
		}
		e.blockMin[fb%blockRing] = m
		if t-s == blockFrames && fb == e.minDone {
			e.minDone++
		}
	}
	// Per-band floors make the level features immune to coloured noise and hum, which raise
	// only some bands.
	var bandFloor [nMel]float64
	for k := range bandFloor {
		bandFloor[k] = math.Inf(1)
	}
	for fb := max(0, b-floorPast); fb <= b+floorFuture && fb*blockFrames < e.nFrames; fb++ {
		for k, v := range e.bandMin[fb%blockRing] {
			bandFloor[k] = min(bandFloor[k], v)
		}
	}
	floor := math.Inf(1)
	for fb := max(0, b-floorPast); fb <= b+floorFuture && fb*blockFrames < e.nFrames; fb++ {
		floor = min(floor, e.blockMin[fb%blockRing])
	}
	floor = max(floor, -100)
	e.blockFloor[b%blockRing] = floor

	f := e.feat[:0]
	s0, s1 := max(0, start-shortCtx), min(e.nFrames, end+shortCtx)
	l0, l1 := max(0, start-longCtx), min(e.nFrames, end+longCtx)
	w := e.windowStats(s0, s1, floor)
	f = append(f, w[:]...)
	bs := e.windowStats(start, end, floor)
	f = append(f, bs[0], bs[5], bs[14])
	// Mel shape of the block relative to its own mean level: timbre, independent of loudness.
	var shape [nMel]float64
	for i := start; i < end; i++ {
		fr := e.at(i)
		var m float64
		for _, v := range fr.mel {
			m += v
		}
		m /= nMel
		for k, v := range fr.mel {
			shape[k] += v - m
		}
	}
	for k := range shape {
		f = append(f, float32(shape[k]/float64(end-start)/20))
	}
	ls := e.windowStats(l0, l1, floor)
	f = append(f, e.modulation(l0, l1), ls[5], ls[8], ls[0], ls[4], ls[16], ls[14], ls[2], ls[22])
	var snr, snrMax, on float64
	for i := s0; i < s1; i++ {
		fr := e.at(i)
		mx := 0.0
		for k, v := range fr.mel {
			d := v - bandFloor[k]
			snr += d
			if d > mx {
				mx = d
			}
			if d > 10 {
				on++
			}
		}
		snrMax += mx
	}
	nf := float64(s1 - s0)
	f = append(f, float32(snr/nf/nMel/10), float32(snrMax/nf/10), float32(on/nf/nMel))
	f = append(f, e.steadiness(s0, s1, floor), e.steadiness(l0, l1, floor), e.beat(start, end))
	sl, ss := e.lineStats(s0, s1, floor)
	ll, ls2 := e.lineStats(l0, l1, floor)
	f = append(f, sl, ss, ll, ls2)
	r := e.ringStats(s0, s1, floor)
	f = append(f, r[:]...)
	r = e.ringStats(l0, l1, floor)
	f = append(f, r[:]...)
	if len(f) != NumFeatures {
		panic("audio: feature vector length mismatch") // a programming error caught by every test
	}
}

// windowStats summarises frames [a, b) (relative to the noise floor where level matters).
func (e *Extractor) windowStats(a, b int, floor float64) [nWin]float32 {
	var out [nWin]float32
	n := float64(b - a)
	if n <= 0 {
		return out
	}
	var sE, sE2, mxE, sAbs, act, sP, mxP, voiced, stable, run, bestRun float64
	var c [4]float64
	var sC2, sF, sF2, onsets, sCent, sCent2, sHF, sStat, sF0, sF02, nF0, sPeak float64
	for i := a; i < b; i++ {
		fr := e.at(i)
		rel := fr.logE - floor
		sE += rel
		sE2 += rel * rel
		mxE = max(mxE, rel)
		sAbs += fr.logE
		if rel > 10 {
			act++
		}
		sP += fr.pstr
		mxP = max(mxP, fr.pstr)
		if fr.pstr > 0.7 {
			voiced++
		}
		if fr.pstr > 0.5 && rel > 6 {
			sF0 += fr.f0
			sF02 += fr.f0 * fr.f0
			nF0++
		}
		if i > a {
			pr := e.at(i - 1)
			d := math.Abs(fr.f0 - pr.f0)
			// d mod 12 without math.Mod, which is slow: subtracting 12 is exact while 12 is a
			// multiple of d's ulp, and f0 spans only a few octaves.
			for d >= 12 && d < 120 {
				d -= 12
			}
			if d >= 12 {
				d = math.Mod(d, 12)
			}
			d = min(d, 12-d) // octave errors of the pitch tracker are not pitch changes
			if fr.pstr > 0.5 && pr.pstr > 0.5 && d < 0.35 && rel > 6 {
				stable++
				run++
				bestRun = max(bestRun, run)
			} else {
				run = 0
			}
			if e.onset(i) {
				onsets++
			}
		}
		for k := range c {
			c[k] += fr.crest[k]
		}
		cm := (fr.crest[0] + fr.crest[1] + fr.crest[2]) / 3
		sC2 += cm * cm
		sF += fr.flux
		sF2 += fr.flux * fr.flux
		sCent += fr.cent
		sCent2 += fr.cent * fr.cent
		sHF += fr.hf
		sStat += fr.stat
		sPeak += fr.peak
	}
	std := func(s, s2 float64, n float64) float64 { return math.Sqrt(max(0, s2/n-(s/n)*(s/n))) }
	cm := (c[0] + c[1] + c[2]) / 3 / n
	out[0] = float32(sE / n / 10)
	out[1] = float32(mxE / 10)
	out[2] = float32(std(sE, sE2, n) / 10)
	out[3] = float32(sAbs / n / 10)
	out[4] = float32(act / n)
	out[5] = float32(sP / n)
	out[6] = float32(mxP)
	out[7] = float32(voiced / n)
	out[8] = float32(stable / n)
	out[9] = float32(bestRun / n)
	out[10] = float32(c[0] / n / 3)
	out[11] = float32(c[1] / n / 3)
	out[12] = float32(c[2] / n / 3)
	out[13] = float32(math.Sqrt(max(0, sC2/n-cm*cm)))
	out[14] = float32(sF / n / 3)
	out[15] = float32(std(sF, sF2, n) / 3)
	out[16] = float32(onsets / n * 4)
	out[17] = float32(sCent/n - 10)
	out[18] = float32(std(sCent, sCent2, n))
	out[19] = float32(sHF / n)
	out[20] = float32(sStat / n)
	if nF0 > 1 {
		out[21] = float32(std(sF0, sF02, nF0) / 12)
	}
	out[22] = float32(sPeak / n)
	return out
}

// onset reports whether frame i (i ≥ 1) is an onset: a peak of the positive spectral flux.
func (e *Extractor) onset(i int) bool {
	fr, pr := e.at(i), e.at(i-1)
	return fr.flux > 1.5 && fr.flux > pr.flux && (i+1 >= e.nFrames || fr.flux >= e.at(i+1).flux)
}

// nRing is the number of onset and decay statistics (ringStats).
const nRing = 5

// ringAfter is how many frames (96 ms) after an onset its ringing is judged.
const ringAfter = 3

// ringStats describes what follows the onsets in frames [a, b): how much of the onset's level is
// still there ringAfter frames later and how pitched that tail is (a struck or plucked note
// rings, a click or knock is gone), how alike consecutive onsets' spectra are (a metronome's
// clicks are identical, played notes and drum hits differ), and the share of sounding frames
// that decay slowly with their spectral shape kept (a note's free decay; speech and noise
// fluctuate, a reverberant click's tail falls faster), and how many different semitones are held
// (a tuner's beeps and drones repeat one pitch, a melody moves among several).
func (e *Extractor) ringStats(a, b int, floor float64) [nRing]float32 {
	var out [nRing]float32
	if b-a < 2 {
		return out
	}
	var nOn, sus, pit, nSim, sim, sounding, slow float64
	var prev [nMel]float64
	havePrev := false
	var notes uint64
	for i := max(a, 1); i < b; i++ {
		fr, pr := e.at(i), e.at(i-1)
		rel := fr.logE - floor
		if rel > 6 && fr.pstr > 0.5 && pr.pstr > 0.5 && math.Abs(fr.f0-pr.f0) < 0.35 {
			notes |= 1 << (uint(max(0, min(63, math.Round(fr.f0)))))
		}
		if rel > 6 {
			sounding++
			if d := pr.logE - fr.logE; d > 0.05 && d < 1.5 && fr.stat > 0.9 {
				slow++
			}
		}
		if rel < 6 || !e.onset(i) {
			continue
		}
		nOn++
		if t := i + ringAfter; t < e.nFrames {
			tf := e.at(t)
			sus += max(-30, min(0, tf.logE-fr.logE)) + 30
			pit += tf.pstr
		}
		var cur [nMel]float64
		var m float64
		for _, v := range fr.mel {
			m += v
		}
		m /= nMel
		var cross, na, nb float64
		for k, v := range fr.mel {
			cur[k] = v - m
			cross += cur[k] * prev[k]
			na += cur[k] * cur[k]
			nb += prev[k] * prev[k]
		}
		if havePrev {
			sim += cross / math.Sqrt(na*nb+1e-9)
			nSim++
		}
		prev, havePrev = cur, true
	}
	if nOn > 0 {
		out[0] = float32(sus / nOn / 30)
		out[1] = float32(pit / nOn)
	}
	if nSim > 0 {
		out[2] = float32(sim / nSim)
	}
	if sounding > 0 {
		out[3] = float32(slow / sounding)
	}
	out[4] = float32(bits.OnesCount64(notes)) / 8
	return out
}

// peakMask marks FFT bins 0–255 that are spectral peaks.
type peakMask [4]uint64

func (m *peakMask) dilate() peakMask {
	var d peakMask
	for i := range m {
		d[i] = m[i] | m[i]<<1 | m[i]>>1
		if i > 0 {
			d[i] |= m[i-1] >> 63
		}
		if i < len(m)-1 {
			d[i] |= m[i+1] << 63
		}
	}
	return d
}

// spectralLines finds the prominent peaks of this frame's spectrum from 94 Hz to 4 kHz (within
// 30 dB of the strongest) and counts those held since two frames ago. A note's partials are
// horizontal lines in a spectrogram, and they stay lines under speech, whose harmonics glide,
// and under noise, whose peaks are random.
func (e *Extractor) spectralLines(fr *frame, strongest float64) {
	p := e.pow[:]
	var cur peakMask
	var n int
	floor := strongest * 1e-3
	for k := 3; k < frameLen/4; k++ {
		w := p[k-2 : k+3 : k+3]
		v := w[2]
		// The four tests are combined without branches: which of them fail is unpredictable.
		bit := b2u(v > floor) & b2u(v > w[1]) & b2u(v >= w[3]) & b2u(v > 2*(w[0]+w[4]))
		cur[k/64] |= bit << (k % 64)
		n += int(bit)
	}
	d1, d2 := e.peaks[0].dilate(), e.peaks[1].dilate()
	var held int
	for i := range cur {
		held += bits.OnesCount64(cur[i] & d1[i] & d2[i])
	}
	e.peaks[1], e.peaks[0] = e.peaks[0], cur
	fr.lines = float64(held)
	fr.lineS = float64(held) / float64(n+1)
}

// b2u is 1 for true and 0 for false (compiled to a flag move, not a branch).
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// lineStats averages held lines over frames [a, b), counting only frames above the noise floor:
// a steady whine or hum at the floor is a held line too, but nobody playing.
func (e *Extractor) lineStats(a, b int, floor float64) (count, share float32) {
	if b <= a {
		return 0, 0
	}
	var c, s float64
	for i := a; i < b; i++ {
		if fr := e.at(i); fr.logE-floor > 6 {
			c += fr.lines
			s += fr.lineS
		}
	}
	n := float64(b - a)
	return float32(c / n / 8), float32(s / n)
}

// steadiness is the share of sounding frames whose strongest partial and level are unchanged from
// the previous frame's: electronic tones (tuner beeps, rings) are exactly steady, played notes
// waver by a few cents and tenths of a decibel even when held.
func (e *Extractor) steadiness(a, b int, floor float64) float32 {
	var n, steady float64
	for i := max(a, 1); i < b; i++ {
		fr, pr := e.at(i), e.at(i-1)
		if fr.logE-floor < 10 || pr.logE-floor < 10 {
			continue
		}
		n++
		if math.Abs(fr.pkf-pr.pkf) < 0.02 && math.Abs(fr.logE-pr.logE) < 0.15 {
			steady++
		}
	}
	if n == 0 {
		return 0
	}
	return float32(steady / n)
}

// beat is the strongest normalised autocorrelation of the onset (flux) envelope over ~4 s at lags
// of 0.2–1.5 s: near 1 for a metronome's identical clicks, lower for played rhythm.
func (e *Extractor) beat(start, end int) float32 {
	a, b := max(0, start-beatCtx), min(e.nFrames, end+beatCtx)
	if b-a < 2*beatMaxLag {
		return 0
	}
	var mean float64
	for i := a; i < b; i++ {
		mean += e.at(i).flux
	}
	mean /= float64(b - a)
	var x [2*beatCtx + blockFrames]float64
	var r0 float64
	for i := a; i < b; i++ {
		x[i-a] = e.at(i).flux - mean
		r0 += x[i-a] * x[i-a]
	}
	if r0 < 1e-6 {
		return 0
	}
	n := b - a
	best := 0.0
	for l := beatMinLag; l <= beatMaxLag; l++ {
		r := dot(x[l:n], x[:n-l])
		best = max(best, r/r0*float64(n)/float64(n-l))
	}
	return float32(best)
}

// sumMax returns the sum of x and its largest element if that is positive (else 0), with the
// element's first index. Two partial sums halve the chain of dependent additions.
func sumMax(x []float64) (sum, mx float64, at int) {
	var s0, s1 float64
	i := 0
	for ; i+1 < len(x); i += 2 {
		a, b := x[i], x[i+1]
		s0 += a
		s1 += b
		if a > mx {
			mx, at = a, i
		}
		if b > mx {
			mx, at = b, i+1
		}
	}
	if i < len(x) {
		s0 += x[i]
		if x[i] > mx {
			mx, at = x[i], i
		}
	}
	return s0 + s1, mx, at
}

// dot is the inner product of a and b[:len(a)]. Four partial sums break the chain of dependent
// additions, which otherwise costs a full add latency per term.
func dot[T float32 | float64](a, b []T) T {
	b = b[:len(a)]
	var s0, s1, s2, s3 T
	for len(a) >= 4 && len(b) >= 4 {
		s0 += a[0] * b[0]
		s1 += a[1] * b[1]
		s2 += a[2] * b[2]
		s3 += a[3] * b[3]
		a, b = a[4:], b[4:]
	}
	b = b[:len(a)]
	for i := range a {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

const beatCtx, beatMinLag, beatMaxLag = 60, 6, 48

// modulation is the share of the level envelope's variance at 3–6 Hz, the syllable rate of speech.
func (e *Extractor) modulation(a, b int) float32 {
	n := b - a
	if n < 16 {
		return 0
	}
	var mean float64
	for i := a; i < b; i++ {
		mean += e.at(i).logE
	}
	mean /= float64(n)
	var buf [2*longCtx + blockFrames]float64
	d := buf[:n]
	var total float64
	for i := range d {
		d[i] = e.at(a+i).logE - mean
		total += d[i] * d[i]
	}
	if total < 1e-6 {
		return 0
	}
	var band float64
	for h := range modBins {
		re, im := dot(d, modCos[h][:]), dot(d, modSin[h][:])
		band += (re*re + im*im) / float64(n)
	}
	return float32(band / total / 3)
}

// Tables for modulation: 3, 3.5, …, 6 Hz over a long window.
const modBins = 7

var modCos, modSin = func() (c, s [modBins][2*longCtx + blockFrames]float64) {
	fps := float64(AnalysisRate) / hop
	for h := range modBins {
		w := 2 * math.Pi * (3 + 0.5*float64(h)) / fps
		for t := range c[h] {
			c[h][t], s[h][t] = math.Cos(w*float64(t)), math.Sin(w*float64(t))
		}
	}
	return
}()

// relE is frame i's level above the noise floor of its block, in dB.
func (e *Extractor) relE(i int) float64 {
	return e.at(i).logE - e.blockFloor[(i/blockFrames)%blockRing]
}

// framesKept reports whether frame i is still in the ring.
func (e *Extractor) framesKept(i int) bool {
	return i >= 0 && i < e.nFrames && i > e.nFrames-ringFrames
}

// edgeReach is how far (in frames, 128 ms) a refined edge may move outside the passage's blocks.
// The blocks already take in a note's attack and audible decay, so reaching further mostly adds
// reverberation and a metronome's ticks (chosen on the dev split).
const edgeReach = 4

// RefineStart moves a passage's start from block b's edge to the first frame near it that rises
// clearly above the floor, giving 32 ms rather than 256 ms resolution.
func (e *Extractor) RefineStart(b int) float64 {
	s := b * blockFrames
	lo, hi := max(0, s-edgeReach), min(e.nFrames, s+2*blockFrames)
	if !e.framesKept(lo) {
		return float64(s) * hop / AnalysisRate
	}
	peak := 0.0
	for i := lo; i < hi; i++ {
		peak = max(peak, e.relE(i))
	}
	thr := max(6, peak-20)
	for i := lo; i < min(hi, s+blockFrames); i++ {
		if e.relE(i) >= thr {
			return float64(i) * hop / AnalysisRate
		}
	}
	return float64(s) * hop / AnalysisRate
}

// RefineEnd moves the end of a passage whose last block is b to where the sound decays into the
// floor, at most edgeReach frames past the block.
func (e *Extractor) RefineEnd(b int) float64 {
	s := b * blockFrames
	end := min(s+blockFrames, e.nFrames)
	lo, hi := max(0, s-blockFrames), min(e.nFrames, end+edgeReach)
	if !e.framesKept(lo) || lo >= end {
		return float64(end) * hop / AnalysisRate
	}
	peak, pi := -1e9, lo
	for i := lo; i < end; i++ {
		if v := e.relE(i); v > peak {
			peak, pi = v, i
		}
	}
	thr := max(6, peak-35)
	for i := pi + 1; i < hi; i++ {
		if e.relE(i) < thr && (i+1 >= hi || e.relE(i+1) < thr) {
			return float64(i) * hop / AnalysisRate
		}
	}
	return float64(hi) * hop / AnalysisRate
}
