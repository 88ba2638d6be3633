package audio

import "fmt"

// Trees is a boosted ensemble of regression trees that corrects the context stage's log-odds.
// The perceptrons see each input on its own scale; the trees can act on a condition such as
// "soft, pitched, and the blocks before were speech", which is where the perceptrons still err.
// The nodes of all trees are stored flat: node i splits on Feature[i] (x ≤ Threshold[i] goes to
// Left[i], else Right[i]), or is a leaf with Value[i] when Left[i] < 0.
type Trees struct {
	Roots     []int32   `json:"roots"`
	Feature   []int32   `json:"feature"`
	Threshold []float32 `json:"threshold"`
	Left      []int32   `json:"left"`
	Right     []int32   `json:"right"`
	Value     []float32 `json:"value"`
}

// Margin is the sum of the trees' leaf values for inputs x: a change of log-odds.
func (t *Trees) Margin(x []float32) float64 {
	var s float32
	for _, n := range t.Roots {
		for t.Left[n] >= 0 {
			if x[t.Feature[n]] <= t.Threshold[n] {
				n = t.Left[n]
			} else {
				n = t.Right[n]
			}
		}
		s += t.Value[n]
	}
	return float64(s)
}

// Validate makes sure every walk from a root ends at a leaf inside the arrays.
func (t *Trees) Validate(inputs int) error {
	n := len(t.Feature)
	if len(t.Threshold) != n || len(t.Left) != n || len(t.Right) != n || len(t.Value) != n {
		return fmt.Errorf("trees: node arrays of different lengths")
	}
	for _, r := range t.Roots {
		if r < 0 || int(r) >= n {
			return fmt.Errorf("trees: root %d outside %d nodes", r, n)
		}
	}
	for i := range n {
		if t.Left[i] < 0 {
			continue
		}
		// Children come after their parent, so no walk can loop.
		if int(t.Left[i]) <= i || int(t.Left[i]) >= n || int(t.Right[i]) <= i || int(t.Right[i]) >= n {
			return fmt.Errorf("trees: node %d has children %d and %d", i, t.Left[i], t.Right[i])
		}
		if t.Feature[i] < 0 || int(t.Feature[i]) >= inputs {
			return fmt.Errorf("trees: node %d splits on input %d of %d", i, t.Feature[i], inputs)
		}
	}
	return nil
}
