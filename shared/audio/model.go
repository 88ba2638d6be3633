package audio

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sync"
)

// MLP is a one-hidden-layer tanh perceptron over standardised inputs with a logistic output.
type MLP struct {
	Mean []float32   `json:"mean"`
	Std  []float32   `json:"std"`
	W1   [][]float32 `json:"w1"` // hidden × inputs
	B1   []float32   `json:"b1"`
	W2   []float32   `json:"w2"`
	B2   float32     `json:"b2"`
}

// Model classifies blocks in two stages: an MLP over each block's features, then (if Context is
// set) an MLP over the first stage's probabilities and levels of the blocks around it, which
// sees a passage's shape: speech over playing, a slow chord ringing out, a stray blip. Both are
// trained by cmd/train and committed, with the decision and smoothing settings tuned with them,
// as model.json.
type Model struct {
	Features []string `json:"features"`
	MLP
	// Members, if any, are further first-stage perceptrons trained from other seeds: the block's
	// probability is the mean over all of them, which is steadier than any one.
	Members   []MLP    `json:"members,omitempty"`
	Context   *Context `json:"context,omitempty"`
	Threshold float64  `json:"threshold"`
	MinGapS   float64  `json:"min_gap_s"`
	MinPassS  float64  `json:"min_passage_s"`
	Smooth    int      `json:"smooth"` // odd number of blocks whose probabilities are averaged (≤ 9)
	Info      string   `json:"info,omitempty"`
}

// Context is the second stage: it rescores block b from blocks b−Radius … b+Radius. Trees, if
// set, then correct its log-odds from the same inputs, block b's own features and a few sums
// over the window.
type Context struct {
	Radius int `json:"radius"`
	MLP
	Trees *Trees `json:"trees,omitempty"`
}

// Prob is the context stage's probability for the inputs a ContextWindow emitted. It writes the
// perceptron's log-odds into the last input, which the trees see too.
func (c *Context) Prob(in, scratch []float32) float64 {
	lo := c.Logit(in[:ContextInputs(c.Radius)], scratch)
	if c.Trees != nil {
		in[len(in)-1] = float32(lo)
		lo += c.Trees.Margin(in)
	}
	return 1 / (1 + math.Exp(-lo))
}

//go:embed model.json
var modelJSON []byte

var (
	defaultModel     *Model
	defaultModelErr  error
	defaultModelOnce sync.Once
)

// DefaultModel is the committed model.
func DefaultModel() (*Model, error) {
	defaultModelOnce.Do(func() { defaultModel, defaultModelErr = ParseModel(modelJSON) })
	return defaultModel, defaultModelErr
}

// ParseModel decodes and checks a model file.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	return &m, nil
}

func (m *Model) check() error {
	if len(m.Features) != NumFeatures {
		return fmt.Errorf("model has %d features, analyzer computes %d", len(m.Features), NumFeatures)
	}
	for i, n := range FeatureNames {
		if m.Features[i] != n {
			return fmt.Errorf("feature %d is %q in the model, %q in the analyzer", i, m.Features[i], n)
		}
	}
	if m.Smooth < 0 || m.Smooth > maxSmooth || (m.Smooth > 0 && m.Smooth%2 == 0) {
		return fmt.Errorf("smooth must be odd and at most %d, not %d", maxSmooth, m.Smooth)
	}
	if err := m.MLP.check(NumFeatures); err != nil {
		return err
	}
	for i := range m.Members {
		if err := m.Members[i].check(NumFeatures); err != nil {
			return fmt.Errorf("member %d: %w", i+1, err)
		}
	}
	if c := m.Context; c != nil {
		if c.Radius < 1 || c.Radius > maxRadius {
			return fmt.Errorf("context radius must be 1 to %d, not %d", maxRadius, c.Radius)
		}
		if err := c.MLP.check(ContextInputs(c.Radius)); err != nil {
			return fmt.Errorf("context: %w", err)
		}
		if c.Trees != nil {
			if err := c.Trees.Validate(WindowInputs(c.Radius)); err != nil {
				return fmt.Errorf("context: %w", err)
			}
		}
	}
	return nil
}

func (m *MLP) check(inputs int) error {
	if len(m.Mean) != inputs || len(m.Std) != inputs {
		return fmt.Errorf("%d means and %d deviations for %d inputs", len(m.Mean), len(m.Std), inputs)
	}
	if len(m.W1) == 0 || len(m.W1) != len(m.B1) || len(m.W2) != len(m.B1) {
		return fmt.Errorf("inconsistent layer sizes")
	}
	for _, row := range m.W1 {
		if len(row) != inputs {
			return fmt.Errorf("hidden row of %d weights for %d inputs", len(row), inputs)
		}
	}
	return nil
}

// Prob returns the output probability for inputs x; scratch must hold len(x) values (it keeps
// the hot path free of allocations).
func (m *MLP) Prob(x, scratch []float32) float64 {
	return 1 / (1 + math.Exp(-m.Logit(x, scratch)))
}

// Logit is Prob's log-odds.
func (m *MLP) Logit(x, scratch []float32) float64 {
	z := scratch[:len(x)]
	for i, v := range x {
		z[i] = (v - m.Mean[i]) / m.Std[i]
	}
	out := float64(m.B2)
	for j, row := range m.W1 {
		out += float64(m.W2[j]) * tanh32(float64(m.B1[j]+dot(row, z)))
	}
	return out
}

// tanh32 is tanh to float32 precision (the weights' own), a rational approximation four times
// as cheap as math.Tanh; past ±7.9 tanh is ±1 in float32.
func tanh32(x float64) float64 {
	x = max(-7.90531110763549805, min(7.90531110763549805, x))
	x2 := x * x
	p := x2*-2.76076847742355e-16 + 2.00018790482477e-13
	p = x2*p + -8.60467152213735e-11
	p = x2*p + 5.12229709037114e-08
	p = x2*p + 1.48572235717979e-05
	p = x2*p + 6.37261928875436e-04
	p = x2*p + 4.89352455891786e-03
	q := x2*1.19825839466702e-06 + 1.18534705686654e-04
	q = x2*q + 2.26843463243900e-03
	q = x2*q + 4.89352518554385e-03
	return x * p / q
}

// BlockProb is the first stage's probability for block features x: the mean over its members.
// scratch must hold len(x) values.
func (m *Model) BlockProb(x, scratch []float32) float64 {
	p := m.Prob(x, scratch)
	for i := range m.Members {
		p += m.Members[i].Prob(x, scratch)
	}
	return p / float64(1+len(m.Members))
}

// ContextInputs is the number of inputs of a context stage of the given radius: per neighbouring
// block its first-stage log-odds, its level above the noise floor, and whether it is inside the
// recording at all.
func ContextInputs(radius int) int { return 3 * (2*radius + 1) }

// meanFeatures are the block features whose means within 4 and within radius blocks the trees
// see: what a stretch sounds like (pitched, steady, speech-like, one pure tone) besides its
// first-stage log-odds.
var meanFeatures = func() []int {
	var idx []int
	for _, n := range []string{"pitch_str", "voiced", "stable", "flux", "onsets", "peak_share", "f0_std",
		"stationarity", "lines", "steady", "beat", "band_snr", "centroid", "mod4hz",
		"ring_sustain", "decay_slow", "notes"} {
		idx = append(idx, featureIndex(n))
	}
	return idx
}()

// nSums is the number of sums over the window the trees see (see ContextWindow.sums).
var nSums = 8 + 2*len(meanFeatures)

// WindowInputs is the length of what a ContextWindow emits: the perceptron's inputs, the centre
// block's features, the sums over the window, and a last slot for the perceptron's log-odds.
func WindowInputs(radius int) int { return ContextInputs(radius) + NumFeatures + nSums + 1 }

const maxRadius = 16

// ContextWindow delays first-stage results by radius blocks and lays out each block's context
// inputs; the analyzer and the trainer both use it, so they see the same inputs.
type ContextWindow struct {
	radius int
	lp     [2*maxRadius + 1]float32
	lv     [2*maxRadius + 1]float32
	feat   [2*maxRadius + 1][NumFeatures]float32
	n      int // blocks received
	next   int // next block to emit
	in     []float32
}

// NewContextWindow makes a window of the given radius.
func NewContextWindow(radius int) *ContextWindow {
	return &ContextWindow{radius: radius, in: make([]float32, WindowInputs(radius))}
}

// LevelFeature is the block feature the context stage sees as each block's level.
var LevelFeature = featureIndex("block_rel_e")

// Add takes the next block's first-stage probability and features; emit receives each block
// whose context is complete. The slice is reused.
func (c *ContextWindow) Add(p float64, f []float32, emit func(block int, in []float32)) {
	k := c.n % len(c.lp)
	c.lp[k] = float32(math.Max(-8, math.Min(8, math.Log(p/(1-p))))) / 4
	c.lv[k] = f[LevelFeature]
	copy(c.feat[k][:], f)
	c.n++
	for c.next+c.radius < c.n {
		c.emit(emit)
	}
}

// Flush emits the remaining blocks at the end of the recording.
func (c *ContextWindow) Flush(emit func(block int, in []float32)) {
	for c.next < c.n {
		c.emit(emit)
	}
}

func (c *ContextWindow) emit(emit func(int, []float32)) {
	b := c.next
	for o := -c.radius; o <= c.radius; o++ {
		i, j := b+o, 3*(o+c.radius)
		if i < 0 || i >= c.n {
			c.in[j], c.in[j+1], c.in[j+2] = -2, 0, 0
			continue
		}
		k := i % len(c.lp)
		c.in[j], c.in[j+1], c.in[j+2] = c.lp[k], c.lv[k], 1
	}
	n := ContextInputs(c.radius)
	copy(c.in[n:], c.feat[b%len(c.lp)][:])
	c.sums(c.in[n+NumFeatures:])
	c.in[len(c.in)-1] = 0
	emit(b, c.in)
	c.next++
}

// sums writes what a tree cannot add up from single inputs: the mean log-odds within 1, 4, 8
// and radius blocks, the highest before and after the block, the lowest within 2, the mean
// level within 4, then each of meanFeatures' means within 4 and within radius blocks.
func (c *ContextWindow) sums(out []float32) {
	r := c.radius
	lp := func(o int) float32 { return c.in[3*(o+r)] }
	mean := func(w int) float32 {
		w = min(w, r)
		var s float32
		for o := -w; o <= w; o++ {
			s += lp(o)
		}
		return s / float32(2*w+1)
	}
	before, after, low := float32(-2), float32(-2), float32(2)
	for o := 1; o <= r; o++ {
		before, after = max(before, lp(-o)), max(after, lp(o))
	}
	for o := -min(2, r); o <= min(2, r); o++ {
		low = min(low, lp(o))
	}
	var lv float32
	w := min(4, r)
	for o := -w; o <= w; o++ {
		lv += c.in[3*(o+r)+1]
	}
	out[0], out[1], out[2], out[3] = mean(1), mean(4), mean(8), mean(r)
	out[4], out[5], out[6], out[7] = before, after, low, lv/float32(2*w+1)
	// Feature means over the blocks inside the recording.
	out = out[8:]
	clear(out)
	b := c.next
	var near, all float32
	for o := -r; o <= r; o++ {
		i := b + o
		if i < 0 || i >= c.n {
			continue
		}
		f := &c.feat[i%len(c.lp)]
		in4 := o >= -4 && o <= 4
		for j, k := range meanFeatures {
			out[2*j+1] += f[k]
			if in4 {
				out[2*j] += f[k]
			}
		}
		all++
		if in4 {
			near++
		}
	}
	for j := range meanFeatures {
		out[2*j] /= near
		out[2*j+1] /= all
	}
}

func featureIndex(name string) int {
	for i, n := range FeatureNames {
		if n == name {
			return i
		}
	}
	panic("audio: no feature " + name)
}

const maxSmooth = 9

// Decider averages block probabilities over a centred window and feeds the decisions to a
// Smoother. It lags by half the window; Finish drains it.
type Decider struct {
	Thr    float64
	Width  int
	Sm     Smoother
	ring   [maxSmooth]float64
	n      int // probabilities received
	decide int // next block to decide
}

// Add takes block n's probability (blocks arrive in order).
func (d *Decider) Add(p float64) {
	w := max(1, d.Width)
	d.ring[d.n%maxSmooth] = p
	d.n++
	for d.decide < d.n-w/2 {
		d.emit()
	}
}

func (d *Decider) emit() {
	w := max(1, d.Width)
	b := d.decide
	lo, hi := max(0, b-w/2), min(d.n-1, b+w/2)
	var s float64
	for i := lo; i <= hi; i++ {
		s += d.ring[i%maxSmooth]
	}
	t := float64(b) * BlockSeconds
	d.Sm.Add(b, t, t+BlockSeconds, s/float64(hi-lo+1) >= d.Thr)
	d.decide++
}

// Finish decides the remaining blocks and returns the passages.
func (d *Decider) Finish(duration float64) []Segment {
	for d.decide < d.n {
		d.emit()
	}
	return d.Sm.Finish(duration)
}
