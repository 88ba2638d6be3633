// Package score holds the labels of generated practice recordings and the measures the analyzer
// is judged by: play-time error, frame F1 at 0.5 s, and how much of each distractor is counted
// as playing.
package score

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"woodshed/shared/audio"
)

// Event is a labelled non-playing sound (or talk over playing) in a scene.
type Event struct {
	Kind   string  `json:"kind"` // speech, speech_over, metronome, metronome_under, beeps, rustle, knock, ring
	Lang   string  `json:"lang,omitempty"`
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}

// Label is the truth written beside each generated WAV.
type Label struct {
	Recipe     int             `json:"recipe"`
	Split      string          `json:"split"`
	Scene      string          `json:"scene"`
	Instrument string          `json:"instrument"`
	Family     string          `json:"family"`
	DurationS  float64         `json:"duration_s"`
	PlayS      float64         `json:"play_s"`
	Segments   []audio.Segment `json:"segments"`
	Events     []Event         `json:"events"`
	Effects    map[string]any  `json:"effects"`
}

// Item is one labelled recording on disk.
type Item struct {
	WAV   string
	Label Label
}

// Load reads every labelled WAV in dir (name.wav beside name.json), sorted by name.
func Load(dir string) ([]Item, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Item
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var l Label
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, Item{WAV: strings.TrimSuffix(p, ".json") + ".wav", Label: l})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no labelled recordings in %s", dir)
	}
	return out, nil
}

// Covered is how many seconds of [a, b) the segments cover.
func Covered(segs []audio.Segment, a, b float64) float64 {
	var s float64
	for _, g := range segs {
		lo, hi := math.Max(a, g.StartS), math.Min(b, g.EndS)
		if hi > lo {
			s += hi - lo
		}
	}
	return s
}

// Frames counts 0.5 s frame decisions (a frame is playing when segments cover most of it).
type Frames struct{ TP, FP, FN, TN int }

// Add compares truth and prediction over a recording of the given duration.
func (f *Frames) Add(truth, pred []audio.Segment, duration float64) {
	const w = 0.5
	for t := 0.0; t+w/2 <= duration; t += w {
		a := Covered(truth, t, t+w) > w/2
		b := Covered(pred, t, t+w) > w/2
		switch {
		case a && b:
			f.TP++
		case b:
			f.FP++
		case a:
			f.FN++
		default:
			f.TN++
		}
	}
}

// F1 of the playing class.
func (f Frames) F1() float64 {
	if f.TP == 0 {
		return 0
	}
	p := float64(f.TP) / float64(f.TP+f.FP)
	r := float64(f.TP) / float64(f.TP+f.FN)
	return 2 * p * r / (p + r)
}

// Distractors sums, per kind, the seconds of a distractor heard alone (outside true playing) and
// the part of those seconds the analyzer counted as playing.
type Distractors map[string]*[2]float64

// Add accumulates one recording.
func (d Distractors) Add(l Label, pred []audio.Segment) {
	for _, e := range l.Events {
		if e.Kind == "speech_over" || e.Kind == "metronome_under" {
			continue
		}
		// Only the part away from true playing (bridged rests and decays included) counts.
		for t := e.StartS; t < e.EndS; t += 0.05 {
			b := math.Min(t+0.05, e.EndS)
			if Covered(l.Segments, t, b) > 0 {
				continue
			}
			v := d[e.Kind]
			if v == nil {
				v = new([2]float64)
				d[e.Kind] = v
			}
			v[0] += b - t
			v[1] += Covered(pred, t, b)
		}
	}
}

// Share is the fraction of a kind's solo seconds counted as playing.
func (d Distractors) Share(kind string) float64 {
	v := d[kind]
	if v == nil || v[0] == 0 {
		return 0
	}
	return v[1] / v[0]
}

// PlayS sums segment lengths.
func PlayS(segs []audio.Segment) float64 {
	var s float64
	for _, g := range segs {
		s += g.EndS - g.StartS
	}
	return s
}

// RelError is |pred − truth| / truth for recordings with at least minPlay seconds of playing
// (a relative error means nothing on a recording with no playing).
func RelError(truth, pred float64) (float64, bool) {
	const minPlay = 3
	if truth < minPlay {
		return 0, false
	}
	return math.Abs(pred-truth) / truth, true
}

// ReadMono reads a whole mono WAV file into memory (the tools' recordings are short) with its
// sample rate, so a tool can cut or rescale it before analysing.
func ReadMono(path string) ([]float32, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	wr, err := audio.NewWAVReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if wr.Format().Channels != 1 {
		return nil, 0, fmt.Errorf("%s: %d channels, want mono", path, wr.Format().Channels)
	}
	var out []float32
	buf := make([]float32, 4096)
	for {
		k, err := wr.Read(buf)
		out = append(out, buf[:k]...)
		if err == io.EOF {
			return out, wr.Format().SampleRate, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
	}
}

// EncodeMono writes samples as a 16-bit mono WAV in memory, for the analyzer to read back.
func EncodeMono(samples []float32, rate int) (*bytes.Buffer, error) {
	var b bytes.Buffer
	err := audio.WriteWAV(&b, audio.WAVSpec{SampleRate: rate, Channels: 1, BitDepth: 16}, samples)
	return &b, err
}

// Gain scales samples by db decibels in place.
func Gain(x []float32, db float64) {
	g := float32(math.Pow(10, db/20))
	for i := range x {
		x[i] *= g
	}
}

// OpenScaled opens a WAV file as stored, or, when gainDB is not 0, as a 16-bit mono WAV in memory
// scaled by gainDB (how the tools test and train other recording levels).
func OpenScaled(path string, gainDB float64) (io.ReadCloser, error) {
	if gainDB == 0 {
		return os.Open(path)
	}
	x, rate, err := ReadMono(path)
	if err != nil {
		return nil, err
	}
	Gain(x, gainDB)
	b, err := EncodeMono(x, rate)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(b), nil
}
