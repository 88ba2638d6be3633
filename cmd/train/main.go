// Command train fits the play-time classifier on the generated dataset and writes model.json:
// block features from the analyzer itself, a one-hidden-layer perceptron trained with Adam on the
// train split, and the decision threshold and minimum passage chosen on the dev split.
//
//	go run ./cmd/train -data .cache/dataset -out shared/audio/model.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"sync"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
)

type recording struct {
	label score.Label
	x     [][]float32
	y     []float32
	dur   float64
}

func main() {
	data := flag.String("data", ".cache/dataset", "dataset directory (train/ and dev/ inside)")
	out := flag.String("out", "shared/audio/model.json", "model file to write")
	hidden := flag.Int("hidden", 24, "hidden units")
	epochs := flag.Int("epochs", 40, "training epochs")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(log, *data, *out, *hidden, *epochs, *seed); err != nil {
		log.Error("train failed", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, data, out string, hidden, epochs int, seed uint64) error {
	train, err := load(data + "/train")
	if err != nil {
		return err
	}
	dev, err := load(data + "/dev")
	if err != nil {
		return err
	}
	var X [][]float32
	var Y []float32
	for _, r := range train {
		X = append(X, r.x...)
		Y = append(Y, r.y...)
	}
	log.Info("data", "train_recordings", len(train), "train_blocks", len(X), "dev_recordings", len(dev))

	m := &audio.Model{Features: audio.FeatureNames, MinGapS: 1}
	m.Mean, m.Std = standardise(X)
	rng := rand.New(rand.NewPCG(seed, 99))
	fit(m, X, Y, hidden, epochs, rng, log)

	// Choose the threshold and minimum passage on dev, by the measures the analyzer is held to.
	devProbs := make([][]float64, len(dev))
	for i, r := range dev {
		for _, x := range r.x {
			devProbs[i] = append(devProbs[i], m.Prob(x, nil))
		}
	}
	best := math.Inf(1)
	for _, thr := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7} {
		for _, minPass := range []float64{0.25, 0.5, 0.75, 1.0} {
			mape, f1, speech := devScore(dev, devProbs, thr, minPass)
			obj := mape + (1 - f1) + 0.5*speech
			if obj < best {
				best = obj
				m.Threshold, m.MinPassS = thr, minPass
				m.Info = fmt.Sprintf("dev: mean abs play error %.2f%%, frame F1 %.4f, speech counted %.2f%%; "+
					"%d train recordings, %d blocks, %d hidden units, seed %d",
					100*mape, f1, 100*speech, len(train), len(X), hidden, seed)
			}
		}
	}
	log.Info("chosen", "threshold", m.Threshold, "min_passage_s", m.MinPassS, "info", m.Info)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func devScore(dev []recording, probs [][]float64, thr, minPass float64) (mape, f1, speech float64) {
	var fr score.Frames
	dist := score.Distractors{}
	var n int
	for i, r := range dev {
		sm := audio.Smoother{MinGap: 1, MinPassage: minPass}
		for b, p := range probs[i] {
			t := float64(b) * audio.BlockSeconds
			sm.Add(t, t+audio.BlockSeconds, p >= thr)
		}
		pred := sm.Finish(r.dur)
		if e, ok := score.RelError(r.label.PlayS, score.PlayS(pred)); ok {
			mape += e
			n++
		}
		fr.Add(r.label.Segments, pred, r.dur)
		dist.Add(r.label, pred)
	}
	return mape / float64(n), fr.F1(), dist.Share("speech")
}

func load(dir string) ([]recording, error) {
	items, err := score.Load(dir)
	if err != nil {
		return nil, err
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
			recs[i], errs[i] = features(it)
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

func features(it score.Item) (recording, error) {
	f, err := os.Open(it.WAV)
	if err != nil {
		return recording{}, err
	}
	defer f.Close()
	r := recording{label: it.Label}
	r.dur, err = audio.Features(f, func(t float64, x []float32) {
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
func fit(m *audio.Model, X [][]float32, Y []float32, H, epochs int, rng *rand.Rand, log *slog.Logger) {
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
	const lr, b1, b2, eps, l2, batch = 2e-3, 0.9, 0.999, 1e-8, 1e-4, 128
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
				z := Z[k]
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
			for i := range p {
				gi := g[i]*inv + l2*p[i]
				mom[i] = b1*mom[i] + (1-b1)*gi
				vel[i] = b2*vel[i] + (1-b2)*gi*gi
				p[i] -= lr * (mom[i] / c1) / (math.Sqrt(vel[i]/c2) + eps)
			}
		}
		if ep%5 == 0 || ep == epochs-1 {
			log.Info("epoch", "n", ep, "loss", loss/float64(len(idx)))
		}
	}
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
