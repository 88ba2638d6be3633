// Command train fits the play-time classifier on the generated dataset and writes model.json:
// block features from the analyzer itself, a one-hidden-layer perceptron per block and a context
// perceptron over its neighbours' probabilities, both trained with Adam on the train split, and the
// decision threshold, smoothing and minimum passage chosen on the dev split.
//
//	go run ./cmd/train -data .cache/dataset -out shared/audio/model.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
)

// config is what the command line sets.
type config struct {
	data, out     string
	hidden        int
	epochs        int
	seed          uint64
	weights       map[string]int // family → times its recordings are repeated
	radius        int            // context stage: blocks each side
	contextHidden int
	members       int    // first-stage perceptrons averaged
	stage1        string // file keeping the first-stage models between runs
	boost         boostConfig
	quietShare    float64 // share of the training recordings turned down, by up to quietDB
	quietDB       float64
	lrFloor       float64 // perceptrons' last learning rate as a share of the first
}

type recording struct {
	wav   string
	label score.Label
	x     [][]float32
	y     []float32
	dur   float64
}

func main() {
	var c config
	flag.StringVar(&c.data, "data", ".cache/dataset", "dataset directory (train/ and dev/ inside)")
	flag.StringVar(&c.out, "out", "shared/audio/model.json", "model file to write")
	flag.IntVar(&c.hidden, "hidden", 64, "hidden units of the first stage")
	flag.IntVar(&c.epochs, "epochs", 60, "training epochs")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed")
	flag.IntVar(&c.radius, "context", 16, "blocks each side the context stage sees (0: no context stage)")
	flag.IntVar(&c.contextHidden, "context-hidden", 16, "hidden units of the context stage")
	flag.IntVar(&c.members, "members", 5, "first-stage perceptrons, each from its own seed, whose probabilities are averaged")
	flag.StringVar(&c.stage1, "stage1", "", "keep the first-stage models in this file and reuse them if it exists "+
		"(for tuning the context stage; delete it when features or data change)")
	flag.IntVar(&c.boost.trees, "trees", 1000, "most boosted trees correcting the context stage (0: none)")
	flag.IntVar(&c.boost.leaves, "leaves", 32, "most leaves per boosted tree")
	flag.IntVar(&c.boost.depth, "depth", 6, "deepest leaf of a boosted tree")
	flag.Float64Var(&c.boost.rate, "rate", 0.1, "shrinkage of each boosted tree")
	flag.Float64Var(&c.boost.minLeaf, "min-leaf", 200, "fewest training blocks in a boosted tree's leaf")
	flag.Float64Var(&c.boost.subsample, "subsample", 0.5, "share of the training blocks each boosted tree sees")
	c.boost.lambda = 1
	flag.IntVar(&maxRecipe, "recipes", 1<<30, "use only recipes below this number")
	flag.Float64Var(&c.quietShare, "quiet-share", 0, "share of the training recordings played quieter (see -quiet-db)")
	flag.Float64Var(&c.quietDB, "quiet-db", 24, "most dB a quieter training recording is turned down (uniform from 0)")
	flag.Float64Var(&c.lrFloor, "lr-floor", 0.05, "perceptrons' learning rate at the last step as a share of the first, reached on a cosine (1: constant)")
	up := flag.String("upweight", "drums=3,mallets=2", "repeat the training recordings of these families (family=times,...)")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	weights := map[string]int{}
	for _, kv := range strings.Split(*up, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 1 {
			log.Error("bad -upweight", "value", kv)
			os.Exit(2)
		}
		weights[k] = n
	}
	c.weights = weights
	if c.members < 1 {
		log.Error("-members must be at least 1")
		os.Exit(2)
	}
	if err := run(log, c); err != nil {
		log.Error("train failed", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, c config) error {
	weights, radius, seed := c.weights, c.radius, c.seed
	train, err := load(c.data+"/train", quietGain(c.seed, c.quietShare, c.quietDB))
	if err != nil {
		return err
	}
	dev, err := load(c.data+"/dev", nil)
	if err != nil {
		return err
	}
	X, Y := blocks(train, weights)
	devX, devY := blocks(dev, nil)
	log.Info("data", "train_recordings", len(train), "train_blocks", len(X), "dev_recordings", len(dev))

	m := &audio.Model{Features: audio.FeatureNames, MinGapS: 1}
	// The context stage learns from first-stage probabilities on recordings that stage never saw
	// (two folds of the train split), or it would learn to trust overconfident ones. The folds'
	// models and the final first stage train side by side, each from its own seed.
	s1, err := firstStage(log, c, train, X, Y, devX, devY)
	if err != nil {
		return err
	}
	m.MLP = *s1[0].Blocks
	for _, mb := range s1[1:] {
		m.Members = append(m.Members, *mb.Blocks)
	}
	if radius > 0 {
		ctx := &audio.Context{Radius: radius}
		var cx [][]float32
		var cy []float32
		for fold := range 2 {
			for _, r := range foldOf(train, fold, true) {
				rx, ry := contextSet(nil, nil, r, s1.foldProb(fold), ctx)
				for range max(1, weights[r.label.Family]) {
					cx, cy = append(cx, rx...), append(cy, ry...)
				}
			}
		}
		var dx [][]float32
		var dy []float32
		for _, r := range dev {
			dx, dy = contextSet(dx, dy, r, m.BlockProb, ctx)
		}
		n := audio.ContextInputs(radius)
		head := func(X [][]float32) [][]float32 {
			out := make([][]float32, len(X))
			for i, x := range X {
				out[i] = x[:n]
			}
			return out
		}
		ctx.MLP = *stage(head(cx), cy, head(dx), dy, c.contextHidden, 24, c.lrFloor, rand.New(rand.NewPCG(seed, 7)), log.With("stage", "context"))
		if c.boost.trees > 0 {
			// The trees start from the perceptron's log-odds and see them as their last input.
			base := func(X [][]float32) []float64 {
				out := make([]float64, len(X))
				scratch := make([]float32, n)
				for i, x := range X {
					out[i] = ctx.Logit(x[:n], scratch)
					x[len(x)-1] = float32(out[i])
				}
				return out
			}
			cb, db := base(cx), base(dx)
			ctx.Trees = boost(cx, cy, cb, dx, dy, db, c.boost, rand.New(rand.NewPCG(seed, 8)), log.With("stage", "trees"))
		}
		m.Context = ctx
	}

	// Choose the threshold, smoothing and minimum passage on dev, running the analyzer itself
	// (boundary refinement included) and scoring it by the measures it is held to.
	wavs := make([][]byte, len(dev))
	for i, r := range dev {
		if wavs[i], err = os.ReadFile(r.wav); err != nil {
			return err
		}
	}
	best := math.Inf(1)
	for _, smooth := range []int{1, 3} {
		for _, minPass := range []float64{0.5, 0.75} {
			for _, thr := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
				try := *m
				try.Threshold, try.MinPassS, try.Smooth = thr, minPass, smooth
				mape, f1, speech, err := devScore(dev, wavs, &try)
				if err != nil {
					return err
				}
				obj := mape + (1 - f1) + 0.5*speech
				if obj < best {
					best = obj
					m.Threshold, m.MinPassS, m.Smooth = thr, minPass, smooth
					m.Info = fmt.Sprintf("dev: mean abs play error %.2f%%, frame F1 %.4f, speech counted %.2f%%; "+
						"%d train recordings, %d blocks, %d×%d hidden units, context radius %d (%d hidden), seed %d, upweight %v",
						100*mape, f1, 100*speech, len(train), len(X), c.members, c.hidden, radius, c.contextHidden, seed, weights)
				}
			}
		}
	}
	log.Info("chosen", "threshold", m.Threshold, "min_passage_s", m.MinPassS, "smooth", m.Smooth, "info", m.Info)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(c.out, append(b, '\n'), 0o644)
}

// stage trains one perceptron, keeping the weights of the epoch with the best dev block accuracy.
func stage(X [][]float32, Y []float32, devX [][]float32, devY []float32, hidden, epochs int, lrFloor float64, rng *rand.Rand, log *slog.Logger) *audio.MLP {
	m := &audio.MLP{}
	m.Mean, m.Std = standardise(X)
	var best *audio.MLP
	bestAcc := -1.0
	fit(m, X, Y, hidden, epochs, lrFloor, rng, log, func(ep int) {
		tr, dv := accuracy(m, X, Y), accuracy(m, devX, devY)
		log.Info("block accuracy", "epoch", ep, "train", tr, "dev", dv)
		if dv > bestAcc {
			c := *m
			best, bestAcc = &c, dv
		}
	})
	return best
}

// blocks lays out the recordings' blocks and labels, repeating those of the families weights
// names: the ones the model finds hardest (unpitched drums, mallets) are shown more often.
func blocks(recs []recording, weights map[string]int) (X [][]float32, Y []float32) {
	for _, r := range recs {
		for range max(1, weights[r.label.Family]) {
			X = append(X, r.x...)
			Y = append(Y, r.y...)
		}
	}
	return X, Y
}

// member is one first-stage perceptron trained on the whole train split, and the two trained on
// one fold each that score the other fold for the context stage.
type member struct {
	Blocks *audio.MLP    `json:"blocks"`
	Folds  [2]*audio.MLP `json:"folds"`
}

type stage1 []member

// foldProb is the members' mean probability from the models that did not see fold's recordings.
func (s stage1) foldProb(fold int) func(x, scratch []float32) float64 {
	return func(x, scratch []float32) float64 {
		var p float64
		for _, mb := range s {
			p += mb.Folds[fold].Prob(x, scratch)
		}
		return p / float64(len(s))
	}
}

// firstStage trains the first-stage members, or reuses those kept in c.stage1 and trains only
// the missing ones. Each model has its own seed, so member k is the same whichever way it is made.
func firstStage(log *slog.Logger, c config, train []recording, X [][]float32, Y []float32, devX [][]float32, devY []float32) (stage1, error) {
	var s1 stage1
	if c.stage1 != "" {
		if b, err := os.ReadFile(c.stage1); err == nil {
			if err := json.Unmarshal(b, &s1); err != nil {
				return nil, fmt.Errorf("%s: %w", c.stage1, err)
			}
			for _, mb := range s1 {
				if len(mb.Blocks.W1) != c.hidden || len(mb.Blocks.Mean) != audio.NumFeatures {
					return nil, fmt.Errorf("%s holds %d×%d models, want %d×%d: delete it to retrain",
						c.stage1, len(mb.Blocks.W1), len(mb.Blocks.Mean), c.hidden, audio.NumFeatures)
				}
			}
			log.Info("first stage reused", "file", c.stage1, "members", len(s1))
		}
	}
	s1 = s1[:min(len(s1), c.members)]
	for k := len(s1); k < c.members; k++ {
		// Member 0 keeps the seeds of the single-model trainer, so its models are unchanged.
		base := uint64(100 * k)
		var mb member
		var wg sync.WaitGroup
		if c.radius > 0 {
			for fold := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					fx, fy := blocks(foldOf(train, fold, false), c.weights)
					mb.Folds[fold] = stage(fx, fy, devX, devY, c.hidden, c.epochs, c.lrFloor, rand.New(rand.NewPCG(c.seed, base+uint64(fold+1))),
						log.With("stage", "fold", "member", k, "fold", fold))
				}()
			}
		}
		mb.Blocks = stage(X, Y, devX, devY, c.hidden, c.epochs, c.lrFloor, rand.New(rand.NewPCG(c.seed, base+99)), log.With("stage", "blocks", "member", k))
		wg.Wait()
		s1 = append(s1, mb)
		if c.stage1 != "" {
			b, err := json.Marshal(s1)
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(c.stage1, b, 0o644); err != nil {
				return nil, err
			}
		}
	}
	return s1, nil
}

// foldOf is one half of the recordings (by position), or the other half if rest is set.
func foldOf(recs []recording, fold int, rest bool) []recording {
	var out []recording
	for i, r := range recs {
		if (i%2 == fold) == rest {
			out = append(out, r)
		}
	}
	return out
}

// contextSet appends a recording's context-stage inputs, made from the first stage m, and labels.
func contextSet(X [][]float32, Y []float32, r recording, prob func(x, scratch []float32) float64, c *audio.Context) ([][]float32, []float32) {
	w := audio.NewContextWindow(c.Radius)
	scratch := make([]float32, audio.NumFeatures)
	emit := func(b int, in []float32) {
		X = append(X, append([]float32(nil), in...))
		Y = append(Y, r.y[b])
	}
	for _, x := range r.x {
		w.Add(prob(x, scratch), x, emit)
	}
	w.Flush(emit)
	return X, Y
}

func devScore(dev []recording, wavs [][]byte, m *audio.Model) (mape, f1, speech float64, err error) {
	results := make([]audio.Result, len(dev))
	errs := make([]error, len(dev))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range dev {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = audio.AnalyzeWith(bytes.NewReader(wavs[i]), audio.Options{Model: m})
		}()
	}
	wg.Wait()
	var fr score.Frames
	dist := score.Distractors{}
	var n int
	for i, r := range dev {
		if errs[i] != nil {
			return 0, 0, 0, fmt.Errorf("%s: %w", r.wav, errs[i])
		}
		res := results[i]
		if e, ok := score.RelError(r.label.PlayS, res.PlayS); ok {
			mape += e
			n++
		}
		fr.Add(r.label.Segments, res.Segments, r.dur)
		dist.Add(r.label, res.Segments)
	}
	return mape / float64(n), fr.F1(), dist.Share("speech"), nil
}

var maxRecipe int

// quietGain picks, for a share of the training recordings, a level drop of up to maxDB (uniform,
// fixed per file by the seed): the generated scenes play at −42 to −12 dBFS, and a soft player far
// from a laptop's mic is quieter still.
func quietGain(seed uint64, share, maxDB float64) func(path string) float64 {
	if share <= 0 || maxDB <= 0 {
		return nil
	}
	return func(path string) float64 {
		h := fnv.New64a()
		h.Write([]byte(filepath.Base(path)))
		r := rand.New(rand.NewPCG(seed, h.Sum64()))
		if r.Float64() >= share {
			return 0
		}
		return -maxDB * r.Float64()
	}
}

func load(dir string, gainDB func(path string) float64) ([]recording, error) {
	all, err := score.Load(dir)
	if err != nil {
		return nil, err
	}
	var items []score.Item
	for _, it := range all {
		if it.Label.Recipe < maxRecipe {
			items = append(items, it)
		}
	}
	recs := make([]recording, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var g float64
			if gainDB != nil {
				g = gainDB(it.WAV)
			}
			recs[i], errs[i] = features(it, g)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return recs, nil
}

// features reads a recording's block features and labels, first scaled by gainDB if it is not 0.
func features(it score.Item, gainDB float64) (recording, error) {
	in, err := score.OpenScaled(it.WAV, gainDB)
	if err != nil {
		return recording{}, err
	}
	defer in.Close()
	r := recording{wav: it.WAV, label: it.Label}
	r.dur, err = audio.Features(in, func(t float64, x []float32) {
		r.x = append(r.x, append([]float32(nil), x...))
		var y float32
		if score.Covered(it.Label.Segments, t, t+audio.BlockSeconds) > audio.BlockSeconds/2 {
			y = 1
		}
		r.y = append(r.y, y)
	})
	if err != nil {
		return recording{}, fmt.Errorf("%s: %w", it.WAV, err)
	}
	return r, nil
}

func standardise(X [][]float32) (mean, std []float32) {
	n := len(X[0])
	mean, std = make([]float32, n), make([]float32, n)
	for j := range n {
		var s, s2 float64
		for _, x := range X {
			s += float64(x[j])
			s2 += float64(x[j]) * float64(x[j])
		}
		mu := s / float64(len(X))
		sd := math.Sqrt(math.Max(s2/float64(len(X))-mu*mu, 0))
		mean[j], std[j] = float32(mu), float32(math.Max(sd, 1e-3))
	}
	return mean, std
}

// fit trains the perceptron with Adam on class-balanced cross-entropy.
// accuracy is the share of blocks classified right at p ≥ 0.5.
func accuracy(m *audio.MLP, X [][]float32, Y []float32) float64 {
	var ok int
	scratch := make([]float32, len(X[0]))
	for i, x := range X {
		if (m.Prob(x, scratch) >= 0.5) == (Y[i] == 1) {
			ok++
		}
	}
	return float64(ok) / float64(len(X))
}

func fit(m *audio.MLP, X [][]float32, Y []float32, H, epochs int, lrFloor float64, rng *rand.Rand, log *slog.Logger, report func(epoch int)) {
	D := len(X[0])
	Z := make([][]float64, len(X))
	for i, x := range X {
		Z[i] = make([]float64, D)
		for j := range D {
			Z[i][j] = (float64(x[j]) - float64(m.Mean[j])) / float64(m.Std[j])
		}
	}
	var pos float64
	for _, y := range Y {
		pos += float64(y)
	}
	wPos, wNeg := 0.5*float64(len(Y))/pos, 0.5*float64(len(Y))/(float64(len(Y))-pos)
	// Parameters as one vector: W1 (H×D), b1 (H), w2 (H), b2.
	nP := H*D + H + H + 1
	p := make([]float64, nP)
	for i := range H * D {
		p[i] = rng.NormFloat64() / math.Sqrt(float64(D))
	}
	for i := range H {
		p[H*D+H+i] = rng.NormFloat64() / math.Sqrt(float64(H))
	}
	mom, vel, g := make([]float64, nP), make([]float64, nP), make([]float64, nP)
	const lr0, b1, b2, eps, l2, batch, jitter = 2e-3, 0.9, 0.999, 1e-8, 3e-4, 128, 0.15
	steps := epochs * ((len(X) + batch - 1) / batch)
	zj := make([]float64, D)
	idx := make([]int, len(Z))
	for i := range idx {
		idx[i] = i
	}
	h := make([]float64, H)
	step := 0
	for ep := range epochs {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		var loss float64
		for s := 0; s < len(idx); s += batch {
			clear(g)
			e := min(s+batch, len(idx))
			for _, k := range idx[s:e] {
				// Jitter the standardised inputs a little: recordings differ from the generator's.
				for i, v := range Z[k] {
					zj[i] = v + jitter*rng.NormFloat64()
				}
				z := zj
				out := p[nP-1]
				for j := range H {
					a := p[H*D+j]
					row := p[j*D : (j+1)*D]
					for i, v := range z {
						a += row[i] * v
					}
					h[j] = math.Tanh(a)
					out += p[H*D+H+j] * h[j]
				}
				pr := 1 / (1 + math.Exp(-out))
				w := wNeg
				if Y[k] == 1 {
					w = wPos
				}
				y := float64(Y[k])
				loss -= w * (y*math.Log(pr+1e-12) + (1-y)*math.Log(1-pr+1e-12))
				d := w * (pr - y)
				g[nP-1] += d
				for j := range H {
					g[H*D+H+j] += d * h[j]
					dh := d * p[H*D+H+j] * (1 - h[j]*h[j])
					g[H*D+j] += dh
					row := g[j*D : (j+1)*D]
					for i, v := range z {
						row[i] += dh * v
					}
				}
			}
			step++
			inv := 1 / float64(e-s)
			c1, c2 := 1-math.Pow(b1, float64(step)), 1-math.Pow(b2, float64(step))
			lr := lr0 * rateShare(step, steps, lrFloor)
			for i := range p {
				gi := g[i]*inv + l2*p[i]
				mom[i] = b1*mom[i] + (1-b1)*gi
				vel[i] = b2*vel[i] + (1-b2)*gi*gi
				p[i] -= lr * (mom[i] / c1) / (math.Sqrt(vel[i]/c2) + eps)
			}
		}
		if ep%4 == 3 || ep == epochs-1 {
			log.Info("epoch", "n", ep, "loss", loss/float64(len(idx)))
			setWeights(m, p, H, D)
			report(ep)
		}
	}
}

// rateShare is the share of the first learning rate used at step (1…steps): it falls on a
// half cosine to floor, so the weights settle at the end instead of wandering around the minimum
// at the step size of the first epochs.
func rateShare(step, steps int, floor float64) float64 {
	if steps <= 1 {
		return 1
	}
	t := float64(step-1) / float64(steps-1)
	return floor + (1-floor)*0.5*(1+math.Cos(math.Pi*t))
}

func setWeights(m *audio.MLP, p []float64, H, D int) {
	nP := len(p)
	m.W1 = make([][]float32, H)
	m.B1 = make([]float32, H)
	m.W2 = make([]float32, H)
	for j := range H {
		m.W1[j] = make([]float32, D)
		for i := range D {
			m.W1[j][i] = float32(p[j*D+i])
		}
		m.B1[j] = float32(p[H*D+j])
		m.W2[j] = float32(p[H*D+H+j])
	}
	m.B2 = float32(p[nP-1])
}
