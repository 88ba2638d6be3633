package audio

import (
	"math"
	"strings"
	"testing"
)

// Two stumps: input 0 ≤ 1 adds −1, else +2; input 1 ≤ 0 adds 0.5, else −0.5.
func twoStumps() *Trees {
	return &Trees{
		Roots:     []int32{0, 3},
		Feature:   []int32{0, 0, 0, 1, 0, 0},
		Threshold: []float32{1, 0, 0, 0, 0, 0},
		Left:      []int32{1, -1, -1, 4, -1, -1},
		Right:     []int32{2, -1, -1, 5, -1, -1},
		Value:     []float32{0, -1, 2, 0, 0.5, -0.5},
	}
}

func TestTreesMargin(t *testing.T) {
	tr := twoStumps()
	for _, c := range []struct {
		x    []float32
		want float64
	}{{[]float32{1, 0}, -0.5}, {[]float32{1.01, 0}, 2.5}, {[]float32{-3, 4}, -1.5}, {[]float32{5, 0.1}, 1.5}} {
		if got := tr.Margin(c.x); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("Margin(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if err := tr.Validate(2); err != nil {
		t.Errorf("valid trees refused: %v", err)
	}
}

func TestTreesCheckRefusesBrokenTrees(t *testing.T) {
	for name, edit := range map[string]func(*Trees){
		"loop":          func(tr *Trees) { tr.Left[3] = 0 },
		"child outside": func(tr *Trees) { tr.Right[0] = 9 },
		"input outside": func(tr *Trees) { tr.Feature[3] = 2 },
		"root outside":  func(tr *Trees) { tr.Roots[1] = 6 },
		"short arrays":  func(tr *Trees) { tr.Value = tr.Value[:5] },
	} {
		tr := twoStumps()
		edit(tr)
		if err := tr.Validate(2); err == nil || !strings.Contains(err.Error(), "trees") {
			t.Errorf("%s: check gave %v", name, err)
		}
	}
}

func TestContextProbAddsTheTrees(t *testing.T) {
	n := ContextInputs(1)
	c := Context{Radius: 1, MLP: MLP{Mean: make([]float32, n), Std: ones(n), W1: [][]float32{make([]float32, n)},
		B1: []float32{0}, W2: []float32{0}, B2: 0.25}}
	in := make([]float32, WindowInputs(1))
	scratch := make([]float32, n)
	if got, want := c.Prob(in, scratch), 1/(1+math.Exp(-0.25)); math.Abs(got-want) > 1e-6 {
		t.Fatalf("without trees Prob = %v, want %v", got, want)
	}
	// One stump on the last input, the perceptron's log-odds: above 0.2 it adds 1.
	last := int32(len(in) - 1)
	c.Trees = &Trees{Roots: []int32{0}, Feature: []int32{last, 0, 0}, Threshold: []float32{0.2, 0, 0},
		Left: []int32{1, -1, -1}, Right: []int32{2, -1, -1}, Value: []float32{0, 0, 1}}
	if got, want := c.Prob(in, scratch), 1/(1+math.Exp(-1.25)); math.Abs(got-want) > 1e-6 {
		t.Errorf("with trees Prob = %v, want %v", got, want)
	}
	if in[last] != 0.25 {
		t.Errorf("the trees saw log-odds %v, want 0.25", in[last])
	}
}

func ones(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 1
	}
	return s
}
