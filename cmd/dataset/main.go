// Command dataset generates the labelled practice recordings the play-time model is trained and
// evaluated on: instrument passages rendered with fluidsynth from MIDI written here, speech from
// espeak-ng in several languages, and synthesised distractors, mixed with rooms, mics, noise and
// level changes. Scenes are split into train/dev/test by recipe number.
//
//	go run ./cmd/dataset -out .cache/dataset -n 1000
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
)

const soundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

// Event and Label are the label format the scorer reads; one definition serves both.
type (
	Event = score.Event
	Label = score.Label
)

// SplitOf assigns a recipe to a split; every source of a scene comes from its recipe.
func SplitOf(recipe int) string {
	switch r := recipe % 20; {
	case r < 14:
		return "train"
	case r < 17:
		return "dev"
	default:
		return "test"
	}
}

func main() {
	out := flag.String("out", ".cache/dataset", "output directory")
	n := flag.Int("n", 1000, "number of recipes")
	first := flag.Int("first", 0, "first recipe number")
	minDur := flag.Float64("min", 20, "shortest scene, seconds")
	maxDur := flag.Float64("max", 40, "longest scene, seconds")
	only := flag.String("split", "", "generate only this split")
	list := flag.String("list", "", "comma-separated recipe numbers to generate instead of a range")
	workers := flag.Int("j", 2, "parallel workers")
	flat := flag.Bool("flat", false, "write every scene straight into -out (no split folders)")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	tmp, err := os.MkdirTemp("", "dataset")
	if err != nil {
		log.Error("tmp", "err", err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var failed sync.Map
	for w := range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				split := SplitOf(r)
				dir := filepath.Join(*out, split)
				if *flat {
					dir = *out
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					failed.Store(r, err)
					continue
				}
				g := &gen{rng: rand.New(rand.NewPCG(uint64(r), 0x5eed)), tmp: filepath.Join(tmp, fmt.Sprint(w)), recipe: r, split: split}
				if err := g.scene(dir, *minDur, *maxDur); err != nil {
					log.Error("scene", "recipe", r, "err", err)
					failed.Store(r, err)
					continue
				}
				if r%20 == 0 {
					log.Info("progress", "recipe", r)
				}
			}
		}()
	}
	var recipes []int
	if *list != "" {
		for _, f := range strings.Split(*list, ",") {
			r, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				log.Error("bad -list", "err", err)
				os.Exit(2)
			}
			recipes = append(recipes, r)
		}
	} else {
		for r := *first; r < *first+*n; r++ {
			recipes = append(recipes, r)
		}
	}
	for _, r := range recipes {
		if *only == "" || SplitOf(r) == *only {
			jobs <- r
		}
	}
	close(jobs)
	wg.Wait()
	bad := 0
	failed.Range(func(_, _ any) bool { bad++; return true })
	if bad > 0 {
		log.Error("some scenes failed", "count", bad)
		os.Exit(1)
	}
}

type gen struct {
	rng    *rand.Rand
	tmp    string
	recipe int
	split  string
}

func (g *gen) uni(a, b float64) float64 { return a + g.rng.Float64()*(b-a) }

func (g *gen) scene(dir string, minDur, maxDur float64) error {
	if err := os.MkdirAll(g.tmp, 0o755); err != nil {
		return err
	}
	rng := g.rng
	D := g.uni(minDur, maxDur)
	N := int(D * sr)
	inst := instruments[(g.recipe*7+g.recipe/20)%len(instruments)]
	sceneKind := "practice"
	switch x := rng.Float64(); {
	case x < 0.18:
		sceneKind = "distractors"
	case x < 0.33:
		sceneKind = "continuous"
	}
	lab := Label{Recipe: g.recipe, Split: g.split, Scene: sceneKind, Instrument: inst.name, Family: inst.family,
		DurationS: D, Effects: map[string]any{}, Events: []Event{}}
	playLevel := g.uni(-42, -12)
	dist := make([]float32, N)
	var notes []note
	addEvent := func(kind, lang string, t float64, x []float32, rel float64) {
		normalize(x, playLevel+rel)
		addAt(dist, t, x, 1)
		lab.Events = append(lab.Events, Event{Kind: kind, Lang: lang, StartS: t, EndS: math.Min(D, t+float64(len(x))/sr)})
	}
	distractor := func(t float64, over bool) (float64, error) {
		kinds := []string{"speech", "speech", "speech", "metronome", "beeps", "beeps", "rustle", "knock", "ring", "silence"}
		k := kinds[rng.IntN(len(kinds))]
		if over {
			k = "speech"
		}
		var x []float32
		switch k {
		case "speech":
			lang := speechLangs[rng.IntN(len(speechLangs))]
			s, err := g.speech(lang)
			if err != nil {
				return 0, err
			}
			kind := "speech"
			if over {
				kind = "speech_over"
			}
			addEvent(kind, lang, t, s, g.uni(-8, 6))
			return float64(len(s)) / sr, nil
		case "metronome":
			x = metronome(rng, g.uni(2, 8))
			addEvent(k, "", t, x, g.uni(-20, 0))
		case "beeps":
			x = beeps(rng, g.uni(1, 5))
			addEvent(k, "", t, x, g.uni(-18, 0))
		case "rustle":
			x = rustle(rng, g.uni(0.3, 1.5))
			addEvent(k, "", t, x, g.uni(-20, 0))
		case "knock":
			x = knocks(rng)
			addEvent(k, "", t, x, g.uni(-15, 3))
		case "ring":
			x = ring(rng, g.uni(2, 6))
			addEvent(k, "", t, x, g.uni(-15, 0))
		default:
			return g.uni(0.5, 3), nil
		}
		return float64(len(x)) / sr, nil
	}
	t := g.uni(0.2, 2.5)
	for t < D-1.5 {
		play := sceneKind != "distractors" && (sceneKind == "continuous" || rng.Float64() < 0.5)
		if !play {
			d, err := distractor(t, false)
			if err != nil {
				return err
			}
			t += d + g.uni(0.2, 2)
			continue
		}
		kinds := []string{"scale", "arpeggio", "melody", "melody", "chords", "loop"}
		kind := kinds[rng.IntN(len(kinds))]
		dur := g.uni(3, 15)
		if sceneKind == "continuous" {
			dur = D - t - g.uni(0.5, 2)
		}
		dur = math.Min(dur, D-t-0.5)
		var ph []note
		if kind == "loop" {
			// A practice loop: the same fragment repeated with stops, sometimes a false start.
			fk := []string{"melody", "scale", "arpeggio"}[rng.IntN(3)]
			if inst.program == -1 {
				fk = "drums"
			}
			frag := phrase(rng, inst, fk, 0, g.uni(1.5, 4))
			tt := t
			for rep := 0; rep < 2+rng.IntN(3) && tt < D-2; rep++ {
				use := frag
				if rng.IntN(5) == 0 && len(frag) > 2 {
					use = frag[:1+rng.IntN(2)]
				}
				var fend float64
				for _, n := range use {
					n.start += tt
					if n.start < D-0.5 {
						ph = append(ph, n)
						fend = math.Max(fend, n.start+n.dur)
					}
				}
				tt = fend + g.uni(1.2, 3)
			}
		} else {
			if inst.program == -1 {
				kind = "drums"
			}
			ph = phrase(rng, inst, kind, t, dur)
		}
		if len(ph) == 0 {
			t += 1
			continue
		}
		var end float64
		for _, n := range ph {
			end = math.Max(end, n.start+n.dur)
		}
		notes = append(notes, ph...)
		if rng.Float64() < 0.15 && end-t > 4 { // someone talks over the playing
			if _, err := distractor(t+g.uni(0.5, (end-t)/2), true); err != nil {
				return err
			}
		}
		t = end + g.uni(0.3, 3)
	}
	// Sort and keep notes inside the scene.
	sort.Slice(notes, func(i, j int) bool { return notes[i].start < notes[j].start })
	for i := range notes {
		notes[i].dur = math.Min(notes[i].dur, D-0.3-notes[i].start)
	}
	kept := notes[:0]
	for _, n := range notes {
		if n.dur > 0.02 {
			kept = append(kept, n)
		}
	}
	notes = kept

	playStem := make([]float32, N)
	if len(notes) > 0 {
		var err error
		if inst.program == -2 {
			playStem = singer(rng, notes, N)
		} else if playStem, err = g.render(notes, inst.program, N); err != nil {
			return err
		}
		normalize(playStem, playLevel)
	}
	if sceneKind != "distractors" && rng.Float64() < 0.2 { // a metronome under the whole scene
		m := metronome(rng, D)
		normalize(m, playLevel+g.uni(-22, -6))
		addAt(dist, 0, m, 1)
		lab.Events = append(lab.Events, Event{Kind: "metronome_under", StartS: 0, EndS: D})
		lab.Effects["metronome_under"] = true
	}

	// The room: the same reverb on every source.
	if rng.Float64() < 0.7 {
		rt, wet := g.uni(0.2, 1.5), g.uni(0.1, 0.5)
		seed := rng.Uint64()
		reverb(rand.New(rand.NewPCG(seed, 1)), playStem, rt, wet)
		reverb(rand.New(rand.NewPCG(seed, 1)), dist, rt, wet)
		lab.Effects["rt60"], lab.Effects["wet"] = rt, wet
	}
	noiseLevel := playLevel - g.uni(12, 45)
	if sceneKind == "distractors" {
		noiseLevel = g.uni(-85, -45)
	}
	noiseLevel = math.Max(noiseLevel, -88)
	lab.Segments = labels(notes, playStem, noiseLevel, D)
	if lab.Segments == nil {
		lab.Segments = []audio.Segment{}
	}
	for _, s := range lab.Segments {
		lab.PlayS += s.EndS - s.StartS
	}

	mix := make([]float32, N)
	for i := range mix {
		mix[i] = playStem[i] + dist[i]
	}
	micColour(rng, mix)
	// Keep the mix below full scale; clipping is an effect of its own below.
	var peak float64
	for _, v := range mix {
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	if peak > 0.9 {
		for i := range mix {
			mix[i] *= float32(0.9 / peak)
		}
	}
	noise(rng, mix, rng.IntN(3), noiseLevel)
	if rng.Float64() < 0.35 {
		hum(rng, mix, noiseLevel+g.uni(-10, 8))
		lab.Effects["hum"] = true
	}
	// An electrical whine (a charger, a monitor, a fridge): steady tones at about the noise level.
	// It draws from a stream of its own so every other choice of the recipe stays as it was.
	if wr := rand.New(rand.NewPCG(uint64(g.recipe), 0x3a1e)); wr.Float64() < whineShare {
		whine(wr, mix, noiseLevel+6*(2*wr.Float64()-1))
		lab.Effects["whine"] = true
	}
	if rng.Float64() < 0.5 { // the player moves, or the input gain is changed
		gainDrift(rng, mix)
		lab.Effects["drift"] = true
	}
	if rng.Float64() < 0.12 {
		// Overload the input: peaks end up 2–14 dB past full scale, as a loud note into a hot mic.
		var pk float64
		for _, v := range mix {
			pk = math.Max(pk, math.Abs(float64(v)))
		}
		drive := db(g.uni(2, 14)) / math.Max(pk, 1e-6)
		for i := range mix {
			mix[i] = float32(math.Max(-1, math.Min(1, float64(mix[i])*drive)))
		}
		lab.Effects["clipped"] = true
	}
	lab.Effects["noise_dbfs"], lab.Effects["play_dbfs"] = noiseLevel, playLevel
	name := filepath.Join(dir, fmt.Sprintf("r%04d", g.recipe))
	var wav bytes.Buffer
	if err := audio.WriteWAV(&wav, audio.WAVSpec{SampleRate: sr, Channels: 1, BitDepth: 16}, mix); err != nil {
		return err
	}
	if err := os.WriteFile(name+".wav", wav.Bytes(), 0o644); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(lab, "", " ")
	return os.WriteFile(name+".json", js, 0o644)
}

// labels derives the truth: each run of notes from its first onset to its last release plus the
// audible decay (above the noise floor, at most 0.5 s), with rests under 1 s bridged.
func labels(notes []note, stem []float32, noiseDB, D float64) []audio.Segment {
	var iv []audio.Segment
	for _, n := range notes {
		s, e := n.start, n.start+n.dur
		if len(iv) > 0 && s <= iv[len(iv)-1].EndS {
			iv[len(iv)-1].EndS = math.Max(iv[len(iv)-1].EndS, e)
			continue
		}
		iv = append(iv, audio.Segment{StartS: s, EndS: e})
	}
	thr := db(noiseDB)
	for i := range iv {
		e := iv[i].EndS
		decay := 0.0
		for d := 0.0; d < 0.5; d += 0.01 {
			a, b := int((e+d)*sr), int((e+d+0.01)*sr)
			if b > len(stem) {
				break
			}
			var s float64
			for _, v := range stem[a:b] {
				s += float64(v) * float64(v)
			}
			if math.Sqrt(s/float64(b-a)) > thr {
				decay = d + 0.01
			}
		}
		iv[i].EndS = math.Min(D, e+decay)
	}
	var out []audio.Segment
	for _, s := range iv {
		if len(out) > 0 && s.StartS-out[len(out)-1].EndS < 1 {
			out[len(out)-1].EndS = math.Max(out[len(out)-1].EndS, s.EndS)
			continue
		}
		out = append(out, s)
	}
	for i := range out {
		out[i].StartS = math.Round(out[i].StartS*1000) / 1000
		out[i].EndS = math.Round(out[i].EndS*1000) / 1000
	}
	return out
}

func gainDrift(rng *rand.Rand, x []float32) {
	step := int((3 + rng.Float64()*5) * sr)
	prev := rng.Float64()*12 - 6
	for o := 0; o < len(x); o += step {
		next := rng.Float64()*12 - 6
		for i := o; i < min(o+step, len(x)); i++ {
			f := float64(i-o) / float64(step)
			x[i] *= float32(db(prev + (next-prev)*f))
		}
		prev = next
	}
}

// render plays notes through fluidsynth with the GM soundfont and returns a mono 16 kHz stem.
func (g *gen) render(notes []note, program int, n int) ([]float32, error) {
	mid := filepath.Join(g.tmp, "p.mid")
	wavPath := filepath.Join(g.tmp, "p.wav")
	if err := os.WriteFile(mid, writeMIDI(notes, program), 0o644); err != nil {
		return nil, err
	}
	rev := "0"
	if g.rng.IntN(3) == 0 {
		rev = "1"
	}
	cmd := exec.Command("fluidsynth", "-ni", "-q", "-o", "synth.lock-memory=0", "-o", "synth.dynamic-sample-loading=1", "-g", "0.5", "-r", fmt.Sprint(sr), "-R", rev, "-C", "0",
		"-F", wavPath, soundfont, mid)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("fluidsynth: %v: %s", err, out)
	}
	x, rate, err := readMono(wavPath)
	if err != nil {
		return nil, err
	}
	x = resample(x, rate)
	return fit(x, n), nil
}

// speech speaks one sentence with espeak-ng in a random voice, speed and pitch.
func (g *gen) speech(lang string) ([]float32, error) {
	text := sentenceFor(g.split, lang, g.rng.IntN(4))
	voice := lang + voiceVariants[g.rng.IntN(len(voiceVariants))]
	p := filepath.Join(g.tmp, "s.wav")
	cmd := exec.Command("espeak-ng", "-v", voice, "-s", fmt.Sprint(120+g.rng.IntN(90)),
		"-p", fmt.Sprint(20+g.rng.IntN(60)), "-w", p, text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("espeak-ng %s: %v: %s", voice, err, out)
	}
	x, rate, err := readMono(p)
	if err != nil {
		return nil, err
	}
	return resample(x, rate), nil
}

func readMono(path string) ([]float32, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r, err := audio.NewWAVReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	var out []float32
	buf := make([]float32, 8192)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, r.Format().SampleRate, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
	}
}

func resample(x []float32, rate int) []float32 {
	rs := audio.NewResampler(rate, sr)
	out := make([]float32, rs.MaxOut(len(x))+rs.MaxOut(64)*2)
	n := 0
	for o := 0; o < len(x); o += 4096 {
		n += rs.Process(x[o:min(o+4096, len(x))], out[n:])
	}
	n += rs.Flush(out[n:])
	return out[:n]
}

func fit(x []float32, n int) []float32 {
	if len(x) >= n {
		return x[:n]
	}
	return append(x, make([]float32, n-len(x))...)
}
