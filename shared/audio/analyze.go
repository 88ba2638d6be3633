// Package audio measures how long a musician played in a practice recording: it streams a WAV
// file, computes spectral features over 32 ms frames, classifies 256 ms blocks with a small
// trained model, and smooths the decisions into passages. Memory is constant in the file's length.
package audio

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// Result is the analysis of one recording.
type Result struct {
	DurationS float64   `json:"duration_s"`
	PlayS     float64   `json:"play_s"`
	Segments  []Segment `json:"segments"`
}

// Options tunes an analysis; the zero value uses the committed model and its settings.
type Options struct {
	Model *Model
	// Probs, if set, receives every block's playing probability (for evaluation tools).
	Probs func(block int, p float64)
}

// Analyze measures play time in a WAV stream with the committed model.
func Analyze(r io.Reader) (Result, error) { return AnalyzeWith(r, Options{}) }

// AnalyzeWith is Analyze with options. On a truncated file it returns the analysis of the samples
// that were there together with an error wrapping ErrTruncated.
func AnalyzeWith(r io.Reader, opt Options) (Result, error) {
	m := opt.Model
	if m == nil {
		var err error
		if m, err = DefaultModel(); err != nil {
			return Result{}, err
		}
	}
	wr, err := NewWAVReader(r)
	if err != nil {
		return Result{}, err
	}
	p := newPipeline(wr.Format().SampleRate, m, opt.Probs)
	in := make([]float32, 4096)
	var readErr error
	for {
		n, err := wr.Read(in)
		p.push(in[:n])
		if err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
	}
	if readErr != nil && !errors.Is(readErr, ErrTruncated) {
		return Result{}, readErr
	}
	res := p.finish(float64(wr.Frames()) / float64(wr.Format().SampleRate))
	if readErr != nil {
		return res, readErr
	}
	return res, nil
}

// pipeline chains resampler → feature extractor → model (both stages) → smoother.
type pipeline struct {
	rs      *Resampler
	ex      *Extractor
	ctx     *ContextWindow
	dec     Decider
	out     []float32
	scratch []float32
	probs   func(int, float64)
	emit    func(int, []float32)
	decide  func(int, []float32)
}

func newPipeline(rate int, m *Model, probs func(int, float64)) *pipeline {
	p := &pipeline{rs: NewResampler(rate, AnalysisRate), ex: NewExtractor(), probs: probs,
		scratch: make([]float32, NumFeatures),
		dec:     Decider{Thr: m.Threshold, Width: m.Smooth, Sm: Smoother{MinGap: m.MinGapS, MinPassage: m.MinPassS}}}
	p.out = make([]float32, p.rs.MaxOut(4096)+64)
	p.dec.Sm.RefineStart, p.dec.Sm.RefineEnd = p.ex.RefineStart, p.ex.RefineEnd
	add := func(b int, pr float64) {
		if p.probs != nil {
			p.probs(b, pr)
		}
		p.dec.Add(pr)
	}
	if m.Context == nil {
		p.emit = func(b int, f []float32) { add(b, m.BlockProb(f, p.scratch)) }
		return p
	}
	p.ctx = NewContextWindow(m.Context.Radius)
	if n := ContextInputs(m.Context.Radius); n > len(p.scratch) {
		p.scratch = make([]float32, n)
	}
	p.decide = func(b int, in []float32) { add(b, m.Context.Prob(in, p.scratch)) }
	p.emit = func(_ int, f []float32) { p.ctx.Add(m.BlockProb(f, p.scratch), f, p.decide) }
	return p
}

func (p *pipeline) push(s []float32) {
	n := p.rs.Process(s, p.out)
	p.ex.Push(p.out[:n], p.emit)
}

func (p *pipeline) finish(duration float64) Result {
	n := p.rs.Flush(p.out)
	p.ex.Push(p.out[:n], p.emit)
	p.ex.Flush(p.emit)
	if p.ctx != nil {
		p.ctx.Flush(p.decide)
	}
	segs := p.dec.Finish(duration)
	res := Result{DurationS: round3(duration), Segments: segs}
	if res.Segments == nil {
		res.Segments = []Segment{}
	}
	for _, s := range segs {
		res.PlayS += s.EndS - s.StartS
	}
	res.PlayS = math.Round(res.PlayS*1000) / 1000
	return res
}

// Features streams a WAV and calls fn with each block's start time and feature vector; the
// training and evaluation tools use it so they see exactly what the analyzer sees.
func Features(r io.Reader, fn func(t float64, f []float32)) (duration float64, err error) {
	wr, err := NewWAVReader(r)
	if err != nil {
		return 0, err
	}
	rs := NewResampler(wr.Format().SampleRate, AnalysisRate)
	ex := NewExtractor()
	in := make([]float32, 4096)
	out := make([]float32, rs.MaxOut(4096)+64)
	emit := func(b int, f []float32) { fn(float64(b)*BlockSeconds, f) }
	for {
		n, rerr := wr.Read(in)
		k := rs.Process(in[:n], out)
		ex.Push(out[:k], emit)
		if rerr != nil {
			if rerr != io.EOF {
				return 0, fmt.Errorf("features: %w", rerr)
			}
			break
		}
	}
	k := rs.Flush(out)
	ex.Push(out[:k], emit)
	ex.Flush(emit)
	return float64(wr.Frames()) / float64(wr.Format().SampleRate), nil
}
