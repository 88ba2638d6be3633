// Command eval runs the analyzer on a split of the generated dataset (the test split unless told
// otherwise) exactly as the pipeline does and reports play-time error, frame F1 at 0.5 s, the
// share of each distractor counted as playing, and errors per instrument and scene.
//
//	go run ./bench/eval -data .cache/dataset/test [-out bench/results/eval.md]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
)

type group struct {
	n            int
	relSum       float64
	relN         int
	absSum       float64
	truth, pred  float64
	frames       score.Frames
	worstRel     float64
	worstRecipe  int
	worstPresent bool
}

func (g *group) add(l score.Label, pred []audio.Segment) {
	p := score.PlayS(pred)
	g.n++
	g.truth += l.PlayS
	g.pred += p
	g.absSum += math.Abs(p - l.PlayS)
	if e, ok := score.RelError(l.PlayS, p); ok {
		g.relSum += e
		g.relN++
		if e > g.worstRel {
			g.worstRel, g.worstRecipe, g.worstPresent = e, l.Recipe, true
		}
	}
	g.frames.Add(l.Segments, pred, l.DurationS)
}

func (g *group) mape() float64 {
	if g.relN == 0 {
		return math.NaN()
	}
	return 100 * g.relSum / float64(g.relN)
}

func main() {
	data := flag.String("data", ".cache/dataset/test", "directory of labelled WAVs")
	out := flag.String("out", "", "also write the report to this file")
	modelPath := flag.String("model", "", "model file (default: the committed model)")
	verbose := flag.Bool("v", false, "print each file's result")
	gainDB := flag.Float64("gain", 0, "scale every recording by this many dB first (how the model copes with other levels)")
	flag.Parse()
	var opt audio.Options
	if *modelPath != "" {
		b, err := os.ReadFile(*modelPath)
		if err == nil {
			opt.Model, err = audio.ParseModel(b)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "eval:", err)
			os.Exit(1)
		}
	}
	items, err := score.Load(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
	all := &group{}
	byInst, byFamily, byScene := map[string]*group{}, map[string]*group{}, map[string]*group{}
	byEffect := map[string]*group{}
	dist := score.Distractors{}
	get := func(m map[string]*group, k string) *group {
		if m[k] == nil {
			m[k] = &group{}
		}
		return m[k]
	}
	var totalDur float64
	for _, it := range items {
		res, err := analyse(it.WAV, *gainDB, opt)
		if err != nil {
			fmt.Fprintf(os.Stderr, "eval: %s: %v\n", it.WAV, err)
			os.Exit(1)
		}
		l := it.Label
		totalDur += l.DurationS
		if *verbose {
			fmt.Fprintf(os.Stderr, "r%04d %-12s %-17s truth %6.1f measured %6.1f  truth %v\n        measured %v\n",
				l.Recipe, l.Scene, l.Instrument, l.PlayS, res.PlayS, l.Segments, res.Segments)
		}
		all.add(l, res.Segments)
		dist.Add(l, res.Segments)
		get(byScene, l.Scene).add(l, res.Segments)
		if l.Scene != "distractors" {
			get(byInst, l.Instrument).add(l, res.Segments)
			get(byFamily, l.Family).add(l, res.Segments)
		}
		for k := range l.Effects {
			switch k {
			case "rt60", "hum", "clipped", "drift", "metronome_under":
				get(byEffect, k).add(l, res.Segments)
			}
		}
		if l.Effects["rt60"] == nil {
			get(byEffect, "dry").add(l, res.Segments)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Play-time analyzer: evaluation on %s\n\n", *data)
	if *gainDB != 0 {
		fmt.Fprintf(&b, "Every recording scaled by %+g dB.\n\n", *gainDB)
	}
	fmt.Fprintf(&b, "%d recordings, %.1f min of audio, %.1f min of true playing.\n\n", len(items), totalDur/60, all.truth/60)
	fmt.Fprintf(&b, "| measure | value | target |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| mean absolute play-time error per file (files with ≥ 3 s playing) | %.2f %% | ≤ 3 %% |\n", all.mape())
	fmt.Fprintf(&b, "| total play time, truth → measured | %.1f s → %.1f s (%+.2f %%) | |\n", all.truth, all.pred, 100*(all.pred-all.truth)/all.truth)
	fmt.Fprintf(&b, "| mean absolute play-time error per file, seconds | %.2f s | |\n", all.absSum/float64(all.n))
	fmt.Fprintf(&b, "| frame F1 at 0.5 s | %.4f | ≥ 0.95 |\n", all.frames.F1())
	fmt.Fprintf(&b, "| talking alone counted as playing | %.2f %% | ≤ 5 %% |\n", 100*dist.Share("speech"))
	fmt.Fprintf(&b, "| tuning beeps counted as playing | %.2f %% | ≤ 20 %% |\n\n", 100*dist.Share("beeps"))
	fmt.Fprintf(&b, "Distractors heard alone, share counted as playing:\n\n| kind | seconds | counted |\n|---|---|---|\n")
	for _, k := range sortedKeys(dist) {
		fmt.Fprintf(&b, "| %s | %.1f | %.2f %% |\n", k, dist[k][0], 100*dist.Share(k))
	}
	table := func(title string, m map[string]*group) {
		fmt.Fprintf(&b, "\n%s:\n\n| %s | files | true play s | measured s | mean abs error | worst file | frame F1 |\n|---|---|---|---|---|---|---|\n", title, title)
		for _, k := range sortedKeys(m) {
			g := m[k]
			worst := "—"
			if g.worstPresent {
				worst = fmt.Sprintf("%.1f %% (r%04d)", 100*g.worstRel, g.worstRecipe)
			}
			fmt.Fprintf(&b, "| %s | %d | %.1f | %.1f | %.2f %% | %s | %.4f |\n", k, g.n, g.truth, g.pred, g.mape(), worst, g.frames.F1())
		}
	}
	table("instrument", byInst)
	table("family", byFamily)
	table("scene", byScene)
	table("effect", byEffect)
	os.Stdout.Write(b.Bytes())
	if *out != "" {
		if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "eval:", err)
			os.Exit(1)
		}
	}
}

// analyse runs the analyzer on a file as stored, or scaled by gainDB.
func analyse(path string, gainDB float64, opt audio.Options) (audio.Result, error) {
	in, err := score.OpenScaled(path, gainDB)
	if err != nil {
		return audio.Result{}, err
	}
	defer in.Close()
	return audio.AnalyzeWith(in, opt)
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
