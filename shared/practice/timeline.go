package practice

import (
	"cmp"
	"math"
	"slices"
)

// NormalizeTimeline returns the segments sorted, clipped to [0, limit] seconds, with empty and
// non-finite ones dropped and overlapping or touching ones merged. The input is not changed.
func NormalizeTimeline(segs []Segment, limit float64) []Segment {
	out := make([]Segment, 0, len(segs))
	for _, g := range segs {
		if !finite(g.StartS) || !finite(g.EndS) {
			continue
		}
		g.StartS = math.Max(g.StartS, 0)
		g.EndS = math.Min(g.EndS, limit)
		if g.EndS > g.StartS {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b Segment) int { return cmp.Compare(a.StartS, b.StartS) })
	merged := out[:0]
	for _, g := range out {
		if n := len(merged); n > 0 && g.StartS <= merged[n-1].EndS {
			merged[n-1].EndS = math.Max(merged[n-1].EndS, g.EndS)
			continue
		}
		merged = append(merged, g)
	}
	return merged
}

// OffsetTimeline shifts segments by offset seconds, e.g. from a chunk's own time to the session's.
func OffsetTimeline(segs []Segment, offset float64) []Segment {
	out := make([]Segment, len(segs))
	for i, g := range segs {
		out[i] = Segment{StartS: g.StartS + offset, EndS: g.EndS + offset}
	}
	return out
}

// Measure is the total length in seconds of segments that do not overlap (as NormalizeTimeline
// returns them).
func Measure(segs []Segment) float64 {
	var total float64
	for _, g := range segs {
		total += g.EndS - g.StartS
	}
	return total
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
