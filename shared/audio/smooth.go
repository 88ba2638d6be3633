package audio

import "math"

// Segment is one passage of playing, in seconds from the start of the recording.
type Segment struct {
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}

// Smoother turns per-block decisions into passages: rests shorter than MinGap inside a passage
// count as playing, and passages shorter than MinPassage are dropped as stray sounds.
type Smoother struct {
	MinGap, MinPassage float64
	open               bool
	start, end         float64
	segs               []Segment
}

// Add records one decision for the span [t0, t1).
func (s *Smoother) Add(t0, t1 float64, playing bool) {
	if !playing {
		return
	}
	if s.open && t0-s.end < s.MinGap {
		s.end = t1
		return
	}
	s.closeOpen()
	s.open, s.start, s.end = true, t0, t1
}

func (s *Smoother) closeOpen() {
	if s.open && s.end-s.start >= s.MinPassage {
		s.segs = append(s.segs, Segment{StartS: round3(s.start), EndS: round3(s.end)})
	}
	s.open = false
}

// Finish closes the last passage, clipping it to the recording's duration, and returns all of them.
func (s *Smoother) Finish(duration float64) []Segment {
	if s.open {
		s.end = math.Min(s.end, duration)
	}
	s.closeOpen()
	return s.segs
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
