package main

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"woodshed/shared/audio"
)

// boostConfig sets the gradient boosting of the context stage's trees.
type boostConfig struct {
	trees     int     // at most this many trees; the count with the best dev loss is kept
	leaves    int     // leaves per tree, grown best gain first
	depth     int     // deepest a leaf may lie (the analyzer walks every tree this far)
	rate      float64 // shrinkage of each tree's values
	minLeaf   float64 // fewest rows a leaf may hold
	lambda    float64 // L2 penalty on leaf values
	subsample float64 // share of the rows each tree sees
}

const maxBins = 64

// binned holds the inputs quantised per column: bin b of column f stands for x ≤ edges[f][b]
// (the last bin for anything above the last edge).
type binned struct {
	edges [][]float32
	cols  [][]uint8
	rows  int
}

func binInputs(X [][]float32, rng *rand.Rand) *binned {
	D := len(X[0])
	b := &binned{edges: make([][]float32, D), cols: make([][]uint8, D), rows: len(X)}
	sample := make([]int, min(len(X), 100000))
	for i := range sample {
		sample[i] = rng.IntN(len(X))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for f := range D {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v := make([]float32, len(sample))
			for i, r := range sample {
				v[i] = X[r][f]
			}
			slices.Sort(v)
			var e []float32
			for q := 1; q < maxBins; q++ {
				x := v[q*len(v)/maxBins]
				if len(e) == 0 || x > e[len(e)-1] {
					e = append(e, x)
				}
			}
			if len(e) > 0 && e[len(e)-1] == v[len(v)-1] {
				e = e[:len(e)-1] // an edge at the maximum would leave the last bin empty
			}
			b.edges[f] = e
			col := make([]uint8, len(X))
			for i, x := range X {
				col[i] = uint8(binOf(e, x[f]))
			}
			b.cols[f] = col
		}()
	}
	wg.Wait()
	return b
}

// binOf is the first bin whose edge is at least x.
func binOf(edges []float32, x float32) int {
	lo, hi := 0, len(edges)
	for lo < hi {
		m := (lo + hi) / 2
		if x <= edges[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

type hist [][maxBins][3]float64 // per column, per bin: gradient, hessian, rows

type leaf struct {
	rows      []int
	h         hist
	g, hs     float64
	gain      float64
	feat, bin int
	node      int
	depth     int
}

// boost fits trees that correct the log-odds base (per row) towards labels Y, weighting the
// classes equally as the perceptrons do, and keeps the number of trees with the lowest dev loss.
func boost(X [][]float32, Y []float32, base []float64, devX [][]float32, devY []float32, devBase []float64,
	c boostConfig, rng *rand.Rand, log *slog.Logger) *audio.Trees {
	bx := binInputs(X, rng)
	D := len(bx.cols)
	var pos float64
	for _, y := range Y {
		pos += float64(y)
	}
	wPos, wNeg := 0.5*float64(len(Y))/pos, 0.5*float64(len(Y))/(float64(len(Y))-pos)
	weight := func(y float32) float64 {
		if y == 1 {
			return wPos
		}
		return wNeg
	}
	margin := slices.Clone(base)
	devMargin := slices.Clone(devBase)
	g, h := make([]float64, len(Y)), make([]float64, len(Y))
	t := &audio.Trees{Inputs: D}
	bestLoss, bestTrees, bestNodes := devLoss(devMargin, devY, weight), 0, 0
	log.Info("boost start", "dev_loss", bestLoss)
	for k := range c.trees {
		for i, y := range Y {
			p := 1 / (1 + math.Exp(-margin[i]))
			w := weight(y)
			g[i], h[i] = w*(p-float64(y)), w*math.Max(p*(1-p), 1e-6)
		}
		var rows []int
		for i := range Y {
			if rng.Float64() < c.subsample {
				rows = append(rows, i)
			}
		}
		root := int32(len(t.Feature))
		grow(t, bx, rows, g, h, c, D)
		t.Roots = append(t.Roots, root)
		// The tree's values apply to every row, seen or not.
		for i, x := range X {
			margin[i] += walk(t, root, x)
		}
		for i, x := range devX {
			devMargin[i] += walk(t, root, x)
		}
		if l := devLoss(devMargin, devY, weight); l < bestLoss {
			bestLoss, bestTrees, bestNodes = l, k+1, len(t.Feature)
		}
		if k%20 == 19 {
			log.Info("boost", "trees", k+1, "dev_loss", devLoss(devMargin, devY, weight), "best_trees", bestTrees, "best_dev_loss", bestLoss)
		}
	}
	t.Roots = t.Roots[:bestTrees]
	t.Feature, t.Threshold, t.Left = t.Feature[:bestNodes], t.Threshold[:bestNodes], t.Left[:bestNodes]
	log.Info("boost done", "trees", bestTrees, "nodes", bestNodes, "dev_loss", bestLoss)
	if err := t.Validate(D); err != nil {
		panic(err) // grow made a broken tree
	}
	return t
}

// walk is one tree's value for x, from the node arrays as grow fills them.
func walk(t *audio.Trees, n int32, x []float32) float64 {
	for t.Left[n] >= 0 {
		if x[t.Feature[n]] <= t.Threshold[n] {
			n = t.Left[n]
		} else {
			n = t.Left[n] + 1
		}
	}
	return float64(t.Threshold[n])
}

func devLoss(margin []float64, Y []float32, weight func(float32) float64) float64 {
	var l, w float64
	for i, y := range Y {
		p := 1 / (1 + math.Exp(-margin[i]))
		wi := weight(y)
		if y == 1 {
			l -= wi * math.Log(p+1e-12)
		} else {
			l -= wi * math.Log(1-p+1e-12)
		}
		w += wi
	}
	return l / w
}

// grow appends one tree, splitting the leaf with the best gain until c.leaves leaves.
func grow(t *audio.Trees, bx *binned, rows []int, g, h []float64, c boostConfig, D int) {
	newNode := func() int {
		t.Feature = append(t.Feature, 0)
		t.Threshold = append(t.Threshold, 0)
		t.Left = append(t.Left, -1)
		return len(t.Feature) - 1
	}
	root := &leaf{rows: rows, node: newNode()}
	root.h = histogram(bx, rows, g, h, D)
	for _, r := range rows {
		root.g += g[r]
		root.hs += h[r]
	}
	bestSplit(root, bx, c)
	leaves := []*leaf{root}
	for len(leaves) < c.leaves {
		bi := -1
		for i, l := range leaves {
			if l.gain > 0 && (bi < 0 || l.gain > leaves[bi].gain) {
				bi = i
			}
		}
		if bi < 0 {
			break
		}
		l := leaves[bi]
		col := bx.cols[l.feat]
		var left, right []int
		for _, r := range l.rows {
			if int(col[r]) <= l.bin {
				left = append(left, r)
			} else {
				right = append(right, r)
			}
		}
		L, R := &leaf{rows: left, depth: l.depth + 1}, &leaf{rows: right, depth: l.depth + 1}
		small, large := L, R
		if len(right) < len(left) {
			small, large = R, L
		}
		small.h = histogram(bx, small.rows, g, h, D)
		large.h = make(hist, D)
		for f := range D {
			for b := range maxBins {
				for k := range 3 {
					large.h[f][b][k] = l.h[f][b][k] - small.h[f][b][k]
				}
			}
		}
		for _, x := range []*leaf{L, R} {
			for b := range maxBins {
				x.g += x.h[0][b][0]
				x.hs += x.h[0][b][1]
			}
		}
		n := l.node
		t.Feature[n] = int32(l.feat)
		t.Threshold[n] = bx.edges[l.feat][l.bin]
		L.node, R.node = newNode(), newNode()
		t.Left[n] = int32(L.node)
		bestSplit(L, bx, c)
		bestSplit(R, bx, c)
		l.h = nil
		leaves[bi] = L
		leaves = append(leaves, R)
	}
	for _, l := range leaves {
		t.Threshold[l.node] = float32(-c.rate * l.g / (l.hs + c.lambda))
	}
}

func histogram(bx *binned, rows []int, g, h []float64, D int) hist {
	hs := make(hist, D)
	var wg sync.WaitGroup
	for part := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := part; f < D; f += 2 {
				col, hf := bx.cols[f], &hs[f]
				for _, r := range rows {
					b := &hf[col[r]]
					b[0] += g[r]
					b[1] += h[r]
					b[2]++
				}
			}
		}()
	}
	wg.Wait()
	return hs
}

func bestSplit(l *leaf, bx *binned, c boostConfig) {
	l.gain = 0
	if l.depth >= c.depth {
		return
	}
	score := func(g, h float64) float64 { return g * g / (h + c.lambda) }
	parent := score(l.g, l.hs)
	for f := range l.h {
		var gl, hl, nl float64
		n := float64(len(l.rows))
		for b := range len(bx.edges[f]) {
			gl += l.h[f][b][0]
			hl += l.h[f][b][1]
			nl += l.h[f][b][2]
			gr, hr := l.g-gl, l.hs-hl
			if nl < c.minLeaf || n-nl < c.minLeaf {
				continue
			}
			if gain := score(gl, hl) + score(gr, hr) - parent; gain > l.gain {
				l.gain, l.feat, l.bin = gain, f, b
			}
		}
	}
}
