package audio

import (
	"fmt"
	"math"
	"slices"
)

// Trees is a boosted ensemble of regression trees that corrects the context stage's log-odds.
// The perceptrons see each input on its own scale; the trees can act on a condition such as
// "soft, pitched, and the blocks before were speech", which is where the perceptrons still err.
// The nodes of all trees are stored flat: node i is a leaf worth Threshold[i] if Left[i] < 0, or
// else sends x to Left[i] if x[Feature[i]] ≤ Threshold[i] and to Left[i]+1 if not.
type Trees struct {
	Inputs    int       `json:"inputs"` // the input layout they were trained on
	Roots     []int32   `json:"roots"`
	Feature   []int32   `json:"feature"`
	Threshold []float32 `json:"threshold"`
	Left      []int32   `json:"left"`

	// What Validate readies for Margin: one record per node, a leaf pointing at itself; the
	// roots in groups of eight with the depth of the deepest tree of each group.
	nodes  []treeNode
	vals   []float32 // leaf values, by node
	groups []treeGroup
}

type treeNode struct {
	thr  float32 // +Inf at a leaf, so a walk stays there
	feat uint16
	off  uint16 // from the node to its left child (0 at a leaf); right is one further
}

type treeGroup struct {
	roots [8]int32
	depth int
}

// Margin is the sum of the trees' leaf values for inputs x: a change of log-odds. The trees
// must have passed Validate.
//
// A walk is a chain of dependent loads with an unpredictable branch at every node, so Margin
// walks eight trees of like depth at once, each step a branch-free choice of child, for as many
// steps as the deepest of the eight needs: the loads overlap and nothing is mispredicted.
func (t *Trees) Margin(x []float32) float64 {
	var s float32
	nodes := t.nodes
	for _, g := range t.groups {
		a, b, c, d := g.roots[0], g.roots[1], g.roots[2], g.roots[3]
		e, f, h, k := g.roots[4], g.roots[5], g.roots[6], g.roots[7]
		for range g.depth {
			a = step(nodes, a, x)
			b = step(nodes, b, x)
			c = step(nodes, c, x)
			d = step(nodes, d, x)
			e = step(nodes, e, x)
			f = step(nodes, f, x)
			h = step(nodes, h, x)
			k = step(nodes, k, x)
		}
		s += t.vals[a] + t.vals[b] + t.vals[c] + t.vals[d] + t.vals[e] + t.vals[f] + t.vals[h] + t.vals[k]
	}
	return float64(s)
}

func step(nodes []treeNode, i int32, x []float32) int32 {
	n := &nodes[i]
	var right int32
	if x[n.feat] > n.thr {
		right = 1
	}
	return i + int32(n.off) + right
}

// Validate checks that the trees read the given number of inputs and that every walk from a
// root ends at a leaf inside the arrays, and readies them for Margin.
func (t *Trees) Validate(inputs int) error {
	if t.Inputs != inputs {
		return fmt.Errorf("trees: trained on %d inputs, the window lays out %d", t.Inputs, inputs)
	}
	n := len(t.Feature)
	if len(t.Threshold) != n || len(t.Left) != n {
		return fmt.Errorf("trees: node arrays of different lengths")
	}
	for _, r := range t.Roots {
		if r < 0 || int(r) >= n {
			return fmt.Errorf("trees: root %d outside %d nodes", r, n)
		}
	}
	// One more node, a leaf worth nothing, pads the last group of roots. A node is 8 bytes, so
	// the trees take half the cache they would with full-width fields.
	nodes := make([]treeNode, n+1)
	vals := make([]float32, n+1)
	nodes[n] = treeNode{thr: float32(math.Inf(1))}
	depth := make([]int, n+1) // of the subtree under each node
	for i := range n {
		if t.Left[i] < 0 {
			nodes[i] = treeNode{thr: float32(math.Inf(1))}
			vals[i] = t.Threshold[i]
			continue
		}
		// Children come after their parent, so no walk can loop.
		if int(t.Left[i]) <= i || int(t.Left[i])+1 >= n {
			return fmt.Errorf("trees: node %d has children %d and %d of %d nodes", i, t.Left[i], t.Left[i]+1, n)
		}
		if t.Feature[i] < 0 || int(t.Feature[i]) >= inputs {
			return fmt.Errorf("trees: node %d splits on input %d of %d", i, t.Feature[i], inputs)
		}
		if int(t.Left[i])-i > math.MaxUint16 || inputs > math.MaxUint16 {
			return fmt.Errorf("trees: node %d is too far from its children or reads too many inputs", i)
		}
		nodes[i] = treeNode{thr: t.Threshold[i], feat: uint16(t.Feature[i]), off: uint16(int(t.Left[i]) - i)}
	}
	for i := n - 1; i >= 0; i-- {
		if l := t.Left[i]; l >= 0 {
			depth[i] = 1 + max(depth[l], depth[l+1])
		}
	}
	// Trees of like depth go together, so few steps are spent at a leaf.
	roots := slices.Clone(t.Roots)
	slices.SortStableFunc(roots, func(a, b int32) int { return depth[a] - depth[b] })
	t.groups = t.groups[:0]
	for k := 0; k < len(roots); k += 8 {
		g := treeGroup{roots: [8]int32{int32(n), int32(n), int32(n), int32(n), int32(n), int32(n), int32(n), int32(n)}}
		for j := 0; j < 8 && k+j < len(roots); j++ {
			g.roots[j] = roots[k+j]
			g.depth = max(g.depth, depth[roots[k+j]])
		}
		t.groups = append(t.groups, g)
	}
	t.nodes, t.vals = nodes, vals
	return nil
}
