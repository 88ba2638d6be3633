package audio_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"woodshed/shared/audio"
	"woodshed/shared/audio/score"
)

// The committed recordings come from the generator's test split (recipes never used in training).
// Each file must be roughly right; the set as a whole must be close (single hard files, such as
// a tuner beep heard as a held note, are allowed a wider miss than the set).
func TestAccuracyOnLabelledRecordings(t *testing.T) {
	items, err := score.Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var truth, absErr float64
	var frames score.Frames
	dist := score.Distractors{}
	for _, it := range items {
		t.Run(filepath.Base(it.WAV), func(t *testing.T) {
			b, err := os.ReadFile(it.WAV)
			if err != nil {
				t.Fatal(err)
			}
			res, err := audio.Analyze(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			l := it.Label
			if math.Abs(res.DurationS-l.DurationS) > 0.01 {
				t.Errorf("duration %.3f s, label says %.3f s", res.DurationS, l.DurationS)
			}
			diff := math.Abs(res.PlayS - l.PlayS)
			truth += l.PlayS
			absErr += diff
			// A gross-failure bound per file (a model stuck on "all playing" or "nothing" fails it);
			// the accuracy bounds are on the set below.
			if tol := math.Max(2, 0.35*l.DurationS); diff > tol {
				t.Errorf("play %.1f s, truth %.1f s (off by %.1f s, tolerance %.1f s)", res.PlayS, l.PlayS, diff, tol)
			}
			var fr score.Frames
			fr.Add(l.Segments, res.Segments, l.DurationS)
			frames.Add(l.Segments, res.Segments, l.DurationS)
			if f1 := fr.F1(); l.PlayS > 0 && f1 < 0.75 {
				t.Errorf("frame F1 %.3f < 0.75; truth %v, measured %v", f1, l.Segments, res.Segments)
			}
			dist.Add(l, res.Segments)
			var sum float64
			for i, s := range res.Segments {
				if s.EndS <= s.StartS || (i > 0 && s.StartS-res.Segments[i-1].EndS < 1) {
					t.Errorf("segments not separated by ≥ 1 s or empty: %v", res.Segments)
				}
				sum += s.EndS - s.StartS
			}
			if math.Abs(sum-res.PlayS) > 0.01 {
				t.Errorf("play_s %.3f is not the sum of segments %.3f", res.PlayS, sum)
			}
		})
	}
	if rel := absErr / truth; rel > 0.15 {
		t.Errorf("summed absolute play-time error %.1f s is %.1f%% of %.1f s played (limit 15%%)", absErr, 100*rel, truth)
	}
	if f1 := frames.F1(); f1 < 0.92 {
		t.Errorf("frame F1 over the set %.3f < 0.92", f1)
	}
	if s := dist.Share("speech"); s > 0.05 {
		t.Errorf("%.1f%% of talking counted as playing (limit 5%%)", 100*s)
	}
	t.Logf("set: %.1f s played, summed error %.1f s, frame F1 %.3f, talking counted %.1f%%",
		truth, absErr, frames.F1(), 100*dist.Share("speech"))
}

// The same recording as 44.1 kHz stereo 24-bit must measure (nearly) the same.
func TestAnalyzeOtherRatesAndLayouts(t *testing.T) {
	b, err := os.ReadFile("testdata/r2098.wav")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := audio.Analyze(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r, err := audio.NewWAVReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var mono []float32
	buf := make([]float32, 4096)
	for {
		n, err := r.Read(buf)
		mono = append(mono, buf[:n]...)
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	for _, spec := range []audio.WAVSpec{
		{SampleRate: 44100, Channels: 2, BitDepth: 24},
		{SampleRate: 48000, Channels: 1, BitDepth: 32, Float: true, Extensible: true},
		{SampleRate: 8000, Channels: 1, BitDepth: 8},
	} {
		rs := audio.NewResampler(16000, spec.SampleRate)
		up := make([]float32, rs.MaxOut(len(mono))+rs.MaxOut(64)*2)
		n := rs.Process(mono, up)
		n += rs.Flush(up[n:])
		up = up[:n]
		var inter []float32
		for _, v := range up {
			for range spec.Channels {
				inter = append(inter, v)
			}
		}
		var w bytes.Buffer
		if err := audio.WriteWAV(&w, spec, inter); err != nil {
			t.Fatal(err)
		}
		got, err := audio.Analyze(&w)
		if err != nil {
			t.Fatal(err)
		}
		// 8 kHz loses everything above 4 kHz, so it gets a wider margin.
		tol := 0.6
		if spec.SampleRate == 8000 {
			tol = 2
		}
		if math.Abs(got.PlayS-ref.PlayS) > tol || math.Abs(got.DurationS-ref.DurationS) > 0.01 {
			t.Errorf("%+v: play %.2f s of %.2f s, 16 kHz mono gave %.2f s of %.2f s", spec, got.PlayS, got.DurationS, ref.PlayS, ref.DurationS)
		}
	}
}

func TestAnalyzeErrors(t *testing.T) {
	b, err := os.ReadFile("testdata/r2098.wav")
	if err != nil {
		t.Fatal(err)
	}
	res, err := audio.Analyze(bytes.NewReader(b[:len(b)/2]))
	if !errors.Is(err, audio.ErrTruncated) || audio.ErrorCode(err) != "truncated" {
		t.Fatalf("truncated file: %v", err)
	}
	if res.DurationS < 5 {
		t.Fatalf("a truncated file still reports what was read: %+v", res)
	}
	for in, code := range map[string]string{"": "empty", "GIF89a....": "not_wav", "RIFF\x04\x00\x00\x00AVI ": "not_wav"} {
		if _, err := audio.Analyze(bytes.NewReader([]byte(in))); audio.ErrorCode(err) != code {
			t.Errorf("%q: %v, want %s", in, err, code)
		}
	}
}

func TestSilenceAndNoiseAreNotPlaying(t *testing.T) {
	for _, amp := range []float64{0, 0.0005, 0.01} {
		x := make([]float32, 16000*10)
		var seed uint32 = 1
		for i := range x {
			seed = seed*1664525 + 1013904223
			x[i] = float32(amp * (float64(seed>>8)/float64(1<<24)*2 - 1))
		}
		var w bytes.Buffer
		if err := audio.WriteWAV(&w, audio.WAVSpec{SampleRate: 16000, Channels: 1, BitDepth: 16}, x); err != nil {
			t.Fatal(err)
		}
		res, err := audio.Analyze(&w)
		if err != nil {
			t.Fatal(err)
		}
		if res.PlayS > 0.5 || math.Abs(res.DurationS-10) > 1e-9 {
			t.Errorf("white noise at %.4f: %+v", amp, res)
		}
	}
}
