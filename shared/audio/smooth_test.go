package audio

import (
	"reflect"
	"testing"
)

// decide feeds a pattern of 0.25 s decisions ('#' playing, '.' not) through a smoother.
func decide(pattern string, minGap, minPass float64) []Segment {
	s := Smoother{MinGap: minGap, MinPassage: minPass}
	for i, c := range pattern {
		t := float64(i) * 0.25
		s.Add(i, t, t+0.25, c == '#')
	}
	return s.Finish(float64(len(pattern)) * 0.25)
}

func TestSmoother(t *testing.T) {
	cases := []struct {
		name    string
		pattern string
		want    []Segment
	}{
		{"nothing", "........", nil},
		{"one passage", "..####..", []Segment{{0.5, 1.5}}},
		{"rest under 1 s is bridged", "####...####", []Segment{{0, 2.75}}},
		{"gap of exactly 1 s splits", "####....####", []Segment{{0, 1}, {2, 3}}},
		{"long gap splits", "###.......###", []Segment{{0, 0.75}, {2.5, 3.25}}},
		{"stray block dropped", "...#........", nil},
		{"two stray blocks bridged into a passage", "#..#", []Segment{{0, 1}}},
		{"passage at the end is clipped to the duration", "....####", []Segment{{1, 2}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := decide(c.pattern, 1, 0.5)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("%s → %v, want %v", c.pattern, got, c.want)
			}
		})
	}
}

func TestSmootherClipsToDuration(t *testing.T) {
	s := Smoother{MinGap: 1, MinPassage: 0.5}
	s.Add(0, 0, 0.256, true)
	s.Add(1, 0.256, 0.512, true)
	s.Add(2, 0.512, 0.768, true)
	got := s.Finish(0.6)
	if len(got) != 1 || got[0].EndS != 0.6 {
		t.Fatalf("got %v", got)
	}
}

func TestDeciderAveragesNeighbours(t *testing.T) {
	// One confident block among doubtful ones: alone it passes, averaged over 3 it does not.
	probs := []float64{0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.8, 0.8, 0.8, 0.8, 0.1}
	run := func(width int) []Segment {
		d := Decider{Thr: 0.5, Width: width, Sm: Smoother{MinGap: 0.3, MinPassage: 0.2}}
		for _, p := range probs {
			d.Add(p)
		}
		return d.Finish(float64(len(probs)) * BlockSeconds)
	}
	if got := run(1); len(got) != 2 {
		t.Fatalf("width 1: %v", got)
	}
	got := run(3)
	b := BlockSeconds
	want := []Segment{{round3(7 * b), round3(11 * b)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("width 3: %v, want %v", got, want)
	}
}

// Rests are judged on refined edges: blocks 0–3 and 7–11 are 0.75 s apart on block edges, but if
// the refined end of block 3 shows the sound stopped within block 2, the rest is 1 s long.
func TestSmootherJudgesRestsOnRefinedEdges(t *testing.T) {
	run := func(endOfBlock3 float64) []Segment {
		s := Smoother{MinGap: 1, MinPassage: 0.5,
			RefineStart: func(b int) float64 { return float64(b) * 0.25 },
			RefineEnd: func(b int) float64 {
				if b == 3 {
					return endOfBlock3
				}
				return float64(b+1) * 0.25
			}}
		for b, on := range "####...#####" {
			s.Add(b, float64(b)*0.25, float64(b+1)*0.25, on == '#')
		}
		return s.Finish(3)
	}
	if got := run(1.0); len(got) != 1 {
		t.Errorf("a 0.75 s rest gave %v, want one passage", got)
	}
	if got, want := run(0.7), []Segment{{0, 0.75}, {1.75, 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("a rest of 1 s between refined edges gave %v, want %v", got, want)
	}
}
