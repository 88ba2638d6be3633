package score

import (
	"math"
	"testing"

	"woodshed/shared/audio"
)

func TestCoveredAndFrames(t *testing.T) {
	truth := []audio.Segment{{StartS: 1, EndS: 3}}
	if c := Covered(truth, 0, 2); c != 1 {
		t.Fatalf("covered %v", c)
	}
	var f Frames
	f.Add(truth, []audio.Segment{{StartS: 1, EndS: 2}, {StartS: 4, EndS: 5}}, 6)
	// Truth frames: [1,1.5) [1.5,2) [2,2.5) [2.5,3); predicted: [1,2) and [4,5).
	if f.TP != 2 || f.FN != 2 || f.FP != 2 || f.TN != 6 {
		t.Fatalf("%+v", f)
	}
	if math.Abs(f.F1()-0.5) > 1e-9 {
		t.Fatalf("F1 %v", f.F1())
	}
}

func TestDistractorsIgnorePartsInsidePlaying(t *testing.T) {
	l := Label{
		Segments: []audio.Segment{{StartS: 0, EndS: 2}},
		Events:   []Event{{Kind: "speech", StartS: 1, EndS: 5}, {Kind: "speech_over", StartS: 0, EndS: 1}},
	}
	d := Distractors{}
	d.Add(l, []audio.Segment{{StartS: 0, EndS: 3}})
	if math.Abs(d["speech"][0]-3) > 1e-6 || math.Abs(d.Share("speech")-1.0/3) > 1e-6 {
		t.Fatalf("%v share %v", d["speech"], d.Share("speech"))
	}
	if d["speech_over"] != nil {
		t.Fatal("talk over playing is not a distractor")
	}
}
