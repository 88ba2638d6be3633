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
		s.Add(t, t+0.25, c == '#')
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
	s.Add(0, 0.256, true)
	s.Add(0.256, 0.512, true)
	s.Add(0.512, 0.768, true)
	got := s.Finish(0.6)
	if len(got) != 1 || got[0].EndS != 0.6 {
		t.Fatalf("got %v", got)
	}
}
