package audio

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sync"
)

// Model is a one-hidden-layer perceptron over standardised block features, with the decision and
// smoothing settings tuned with it. Its weights are trained by cmd/train and committed as model.json.
type Model struct {
	Features  []string    `json:"features"`
	Mean      []float32   `json:"mean"`
	Std       []float32   `json:"std"`
	W1        [][]float32 `json:"w1"` // hidden × features
	B1        []float32   `json:"b1"`
	W2        []float32   `json:"w2"`
	B2        float32     `json:"b2"`
	Threshold float64     `json:"threshold"`
	MinGapS   float64     `json:"min_gap_s"`
	MinPassS  float64     `json:"min_passage_s"`
	Smooth    int         `json:"smooth"` // odd number of blocks whose probabilities are averaged (≤ 9)
	Info      string      `json:"info,omitempty"`
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
	if len(m.Features) != NumFeatures || len(m.Mean) != NumFeatures || len(m.Std) != NumFeatures {
		return fmt.Errorf("model has %d features, analyzer computes %d", len(m.Mean), NumFeatures)
	}
	for i, n := range FeatureNames {
		if m.Features[i] != n {
			return fmt.Errorf("feature %d is %q in the model, %q in the analyzer", i, m.Features[i], n)
		}
	}
	if m.Smooth < 0 || m.Smooth > maxSmooth || (m.Smooth > 0 && m.Smooth%2 == 0) {
		return fmt.Errorf("smooth must be odd and at most %d, not %d", maxSmooth, m.Smooth)
	}
	if len(m.W1) == 0 || len(m.W1) != len(m.B1) || len(m.W2) != len(m.B1) {
		return fmt.Errorf("inconsistent layer sizes")
	}
	for _, row := range m.W1 {
		if len(row) != NumFeatures {
			return fmt.Errorf("hidden row of %d weights", len(row))
		}
	}
	return nil
}

// Prob returns the probability that a block is playing. scratch must hold len(B1) values.
func (m *Model) Prob(f []float32, scratch []float32) float64 {
	var x [NumFeatures]float32
	for i := range x {
		x[i] = (f[i] - m.Mean[i]) / m.Std[i]
	}
	z := float64(m.B2)
	for j, row := range m.W1 {
		a := m.B1[j]
		for i, w := range row {
			a += w * x[i]
		}
		h := float32(math.Tanh(float64(a)))
		if scratch != nil {
			scratch[j] = h
		}
		z += float64(m.W2[j] * h)
	}
	return 1 / (1 + math.Exp(-z))
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
