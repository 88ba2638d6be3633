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
