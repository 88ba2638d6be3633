package audio

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Two stumps: input 0 ≤ 1 adds −1, else +2; input 1 ≤ 0 adds 0.5, else −0.5.
func twoStumps() *Trees {
	return &Trees{
		Inputs:    2,
		Roots:     []int32{0, 3},
		Feature:   []int32{0, 0, 0, 1, 0, 0},
		Threshold: []float32{1, -1, 2, 0, 0.5, -0.5},
		Left:      []int32{1, -1, -1, 4, -1, -1},
	}
}

func TestTreesMargin(t *testing.T) {
	tr := twoStumps()
	if err := tr.Validate(2); err != nil {
		t.Fatalf("valid trees refused: %v", err)
	}
	for _, c := range []struct {
		x    []float32
		want float64
	}{{[]float32{1, 0}, -0.5}, {[]float32{1.01, 0}, 2.5}, {[]float32{-3, 4}, -1.5}, {[]float32{5, 0.1}, 1.5}} {
		if got := tr.Margin(c.x); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("Margin(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestTreesCheckRefusesBrokenTrees(t *testing.T) {
	for name, edit := range map[string]func(*Trees){
		"loop":          func(tr *Trees) { tr.Left[3] = 0 },
		"child outside": func(tr *Trees) { tr.Left[3] = 5 },
		"input outside": func(tr *Trees) { tr.Feature[3] = 2 },
		"root outside":  func(tr *Trees) { tr.Roots[1] = 6 },
		"short arrays":  func(tr *Trees) { tr.Threshold = tr.Threshold[:5] },
		"other layout":  func(tr *Trees) { tr.Inputs = 3 },
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
	c.Trees = &Trees{Inputs: len(in), Roots: []int32{0}, Feature: []int32{last, 0, 0}, Threshold: []float32{0.2, 0, 1},
		Left: []int32{1, -1, -1}}
	if err := c.Trees.Validate(len(in)); err != nil {
		t.Fatal(err)
	}
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

// Margin walks eight trees at once for a fixed number of steps; it must agree with a plain walk
// whatever the shapes, including a last group that is not full.
func TestTreesMarginMatchesAPlainWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const inputs = 5
	tr := &Trees{Inputs: inputs}
	for range 11 { // two groups of eight, the last one short
		r := int32(len(tr.Left))
		tr.Feature = append(tr.Feature, 0)
		tr.Threshold = append(tr.Threshold, float32(rng.NormFloat64()))
		tr.Left = append(tr.Left, -1)
		fill(tr, r, 7, rng, inputs)
		tr.Roots = append(tr.Roots, r)
	}
	if err := tr.Validate(inputs); err != nil {
		t.Fatal(err)
	}
	for range 200 {
		x := make([]float32, inputs)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		var want float64
		for _, r := range tr.Roots {
			n := r
			for tr.Left[n] >= 0 {
				if x[tr.Feature[n]] <= tr.Threshold[n] {
					n = tr.Left[n]
				} else {
					n = tr.Left[n] + 1
				}
			}
			want += float64(tr.Threshold[n])
		}
		if got := tr.Margin(x); math.Abs(got-want) > 1e-4 {
			t.Fatalf("Margin(%v) = %v, a plain walk gives %v", x, got, want)
		}
	}
}

// fill turns leaf i into a split with two fresh children, at random, down to depth levels.
func fill(tr *Trees, i int32, depth int, rng *rand.Rand, inputs int) {
	if depth == 0 || rng.IntN(3) == 0 {
		return
	}
	l := int32(len(tr.Left))
	tr.Feature[i] = int32(rng.IntN(inputs))
	tr.Left[i] = l
	tr.Feature = append(tr.Feature, 0, 0)
	tr.Threshold = append(tr.Threshold, float32(rng.NormFloat64()), float32(rng.NormFloat64()))
	tr.Left = append(tr.Left, -1, -1)
	fill(tr, l, depth-1, rng, inputs)
	fill(tr, l+1, depth-1, rng, inputs)
}
