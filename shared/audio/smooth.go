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
	// Refine, if set (both or neither), gives exact edges for a passage that starts or ends with
	// a given block; bridging is decided on them and they are what is reported.
	RefineStart, RefineEnd func(block int) float64

	open         bool
	rStart, rEnd float64 // refined edges of the open passage
	segs         []Segment
}

// Add records one decision for the span [t0, t1) of block b.
func (s *Smoother) Add(b int, t0, t1 float64, playing bool) {
	if !playing {
		return
	}
	rStart, rEnd := t0, t1
	if s.RefineStart != nil {
		rStart, rEnd = s.RefineStart(b), s.RefineEnd(b)
	}
	// The gap is judged on refined edges: block edges are 256 ms apart, so a 1.1 s rest could
	// look like 0.8 s and be bridged.
	if s.open && rStart-s.rEnd < s.MinGap {
		s.rEnd = math.Max(s.rEnd, rEnd)
		return
	}
	s.closeOpen()
	s.open, s.rStart, s.rEnd = true, rStart, rEnd
}

func (s *Smoother) closeOpen() {
	if s.open && s.rEnd-s.rStart >= s.MinPassage {
		// Refined edges never let passages overlap or touch closer than the gap rule allows.
		if n := len(s.segs); n > 0 && s.rStart-s.segs[n-1].EndS < s.MinGap {
			s.segs[n-1].EndS = round3(s.rEnd)
		} else {
			s.segs = append(s.segs, Segment{StartS: round3(s.rStart), EndS: round3(s.rEnd)})
		}
	}
	s.open = false
}

// Finish closes the last passage, clipping it to the recording's duration, and returns all of them.
func (s *Smoother) Finish(duration float64) []Segment {
	if s.open {
		s.rEnd = math.Min(s.rEnd, duration)
	}
	s.closeOpen()
	return s.segs
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
