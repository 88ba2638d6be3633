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
