package audio

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestContextWindowDelaysAndPads(t *testing.T) {
	const radius = 2
	w := NewContextWindow(radius)
	f := make([]float32, NumFeatures)
	var got []int
	var inputs [][]float32
	emit := func(b int, in []float32) {
		got = append(got, b)
		inputs = append(inputs, append([]float32(nil), in...))
	}
	probs := []float64{0.5, 0.9, 0.1, 0.5}
	for i, p := range probs {
		f[LevelFeature] = float32(i)
		f[meanFeatures[0]] = float32(10 * i)
		w.Add(p, f, emit)
		// Block b is emitted once block b+radius has arrived.
		if want := max(0, i+1-radius); len(got) != want {
			t.Fatalf("after %d blocks %d emitted, want %d", i+1, len(got), want)
		}
	}
	w.Flush(emit)
	if len(got) != len(probs) {
		t.Fatalf("emitted %v, want every block once", got)
	}
	for i, b := range got {
		if b != i {
			t.Fatalf("emitted %v, want blocks in order", got)
		}
	}
	if n := len(inputs[0]); n != WindowInputs(radius) {
		t.Fatalf("%d inputs, want %d", n, WindowInputs(radius))
	}
	// Block 1 carries its own features after the perceptron's inputs, then the sums.
	if v := inputs[1][ContextInputs(radius)+LevelFeature]; v != 1 {
		t.Errorf("block 1's own level reads %v, want 1", v)
	}
	// Block 2 sees blocks 0–3 and one padded offset: log-odds/4 0, l, −l, 0, −2 with l = ln 9 / 4.
	sums := inputs[2][ContextInputs(radius)+NumFeatures:]
	l := float32(math.Log(9) / 4)
	want := []float32{0, -0.4, -0.4, -0.4, l, 0, -2, 1.2}
	for i, w := range want {
		if math.Abs(float64(sums[i]-w)) > 1e-5 {
			t.Errorf("block 2's sums %v, want %v", sums[:nSums], want)
			break
		}
	}
	// The feature means count only blocks inside the recording: 0, 10, 20, 30 average to 15.
	if near, all := sums[8], sums[9]; near != 15 || all != 15 {
		t.Errorf("block 2's means of %s: %v within 4, %v within the radius; want 15", FeatureNames[meanFeatures[0]], near, all)
	}
	// Block 0: offsets −2, −1 lie before the recording; offset +1 is block 1 (p 0.9, level 1).
	in := inputs[0]
	for o := 0; o < 2; o++ {
		if in[3*o] != -2 || in[3*o+1] != 0 || in[3*o+2] != 0 {
			t.Errorf("offset %d before the start reads %v, want padding", o-radius, in[3*o:3*o+3])
		}
	}
	if lo := float64(in[3*3]); math.Abs(lo-math.Log(9)/4) > 1e-5 || in[3*3+1] != 1 || in[3*3+2] != 1 {
		t.Errorf("offset +1 reads %v, want log-odds of 0.9 / 4, level 1, inside", in[9:12])
	}
	// The last block: offsets past the end are padding.
	last := inputs[3]
	if last[3*4+2] != 0 || last[3*2+1] != 3 {
		t.Errorf("last block's inputs %v: want its own level 3 and padding after it", last)
	}
}

func TestContextWindowClampsCertainty(t *testing.T) {
	w := NewContextWindow(1)
	f := make([]float32, NumFeatures)
	var in []float32
	w.Add(1, f, nil)
	w.Flush(func(_ int, x []float32) { in = append([]float32(nil), x...) })
	if v := in[3]; v != 2 || math.IsInf(float64(v), 0) {
		t.Errorf("p = 1 gives log-odds input %v, want the clamp 8/4", v)
	}
}

func TestParseModelChecksTheContextStage(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseModel(b); err != nil {
		t.Fatalf("committed model does not round-trip: %v", err)
	}
	bad := *m
	bad.Context = &Context{Radius: 3, MLP: MLP{Mean: []float32{0}, Std: []float32{1}, W1: [][]float32{{1}}, B1: []float32{0}, W2: []float32{1}}}
	b, _ = json.Marshal(&bad)
	if _, err := ParseModel(b); err == nil || !strings.Contains(err.Error(), "context") {
		t.Errorf("a context stage with the wrong input count parsed: %v", err)
	}
	bad.Context = &Context{Radius: maxRadius + 1}
	b, _ = json.Marshal(&bad)
	if _, err := ParseModel(b); err == nil {
		t.Error("a context radius past the limit parsed")
	}
}

func TestMLPProb(t *testing.T) {
	m := MLP{Mean: []float32{1, 0}, Std: []float32{2, 1}, W1: [][]float32{{1, 0}, {0, 1}}, B1: []float32{0, 0.5},
		W2: []float32{2, -1}, B2: 0.25}
	x := []float32{3, -0.5}
	// z = ((3-1)/2, -0.5) = (1, -0.5); hidden = tanh(1), tanh(0); out = 0.25 + 2·tanh(1).
	want := 1 / (1 + math.Exp(-(0.25 + 2*math.Tanh(1))))
	if got := m.Prob(x, make([]float32, 2)); math.Abs(got-want) > 1e-6 {
		t.Errorf("Prob = %v, want %v", got, want)
	}
}

func TestBlockProbAveragesMembers(t *testing.T) {
	one := func(b float32) MLP {
		return MLP{Mean: []float32{0}, Std: []float32{1}, W1: [][]float32{{0}}, B1: []float32{0}, W2: []float32{0}, B2: b}
	}
	m := Model{MLP: one(0), Members: []MLP{one(float32(math.Log(3)))}}
	// Probabilities 0.5 and 0.75 average to 0.625.
	if got := m.BlockProb([]float32{1}, make([]float32, 1)); math.Abs(got-0.625) > 1e-6 {
		t.Errorf("BlockProb = %v, want 0.625", got)
	}
	d, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	bad := *d
	bad.Members = []MLP{one(0)}
	b, _ := json.Marshal(&bad)
	if _, err := ParseModel(b); err == nil || !strings.Contains(err.Error(), "member 1") {
		t.Errorf("a member with the wrong input count parsed: %v", err)
	}
}

func TestTanh32(t *testing.T) {
	for x := -12.0; x <= 12; x += 0.001 {
		if d := math.Abs(tanh32(x) - math.Tanh(x)); d > 3e-7 { // a few float32 ulps
			t.Fatalf("tanh32(%v) = %v, math.Tanh %v: off by %v", x, tanh32(x), math.Tanh(x), d)
		}
	}
}
