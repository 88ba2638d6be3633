package recording

import (
	"math"
	"slices"
	"time"
)

// joinGapS: segments closer than this across a chunk boundary are one stretch of playing that the
// chunking cut in two.
const joinGapS = 0.05

// Summary is a session's analysis as its chunks give it.
type Summary struct {
	PlayS    float64
	Timeline []Segment // in seconds from the start of the recording
	// Settled: no chunk is still to come. Every chunk is done or failed, or was never uploaded
	// and its upload link has expired.
	Settled  bool
	Chunks   int // chunks done or failed
	Analysed int // chunks done
}

// PlaySeconds is the play time in whole seconds.
func (s Summary) PlaySeconds() int { return int(math.Round(s.PlayS)) }

// Summarize sums the play time of a session's chunks and lays their segments on one timeline.
// Chunks are consecutive, so a chunk starts where the ones before it end: offsets are the
// cumulative lengths of the earlier chunks' own audio. A chunk not measured yet (pending, failed
// before its length was known, or missing from the sequence) counts as long as the longest
// measured one, so later chunks land about right and move into place once it is analysed.
//
// A chunk may begin with a lead: the last seconds of the previous chunk again, so the analyzer
// hears what came before the boundary instead of starting cold. When both chunks are done the
// boundary region is split at the lead's middle: each side is taken where its analysis had
// context on both sides. Without the previous chunk the lead counts in full.
//
// The result depends only on the chunks, not on the order their events came in.
func Summarize(chunks []Chunk, now time.Time) Summary {
	cs := slices.Clone(chunks)
	slices.SortFunc(cs, func(a, b Chunk) int { return a.Index - b.Index })
	typical := 0.0
	for _, c := range cs {
		typical = math.Max(typical, c.ownS())
	}
	if typical == 0 {
		typical = nominalChunkS
	}
	doneAt := func(i, index int) bool {
		return i >= 0 && i < len(cs) && cs[i].Index == index && cs[i].Status == StatusDone
	}
	s := Summary{Settled: true, Timeline: []Segment{}}
	offset, next := 0.0, 0
	for i, c := range cs {
		offset += float64(c.Index-next) * typical // chunks that never arrived
		next = c.Index + 1
		switch {
		case c.Status == StatusDone:
			// [lo, hi) is the part of the chunk's audio this chunk speaks for.
			lo, hi := 0.0, c.DurationS
			if c.LeadS > 0 && doneAt(i-1, c.Index-1) {
				lo = c.LeadS / 2
			}
			if doneAt(i+1, c.Index+1) {
				hi = math.Max(lo, c.DurationS-cs[i+1].LeadS/2)
			}
			play := c.PlayS // no lead on either side: what the analyzer measured
			if c.LeadS > 0 || hi < c.DurationS {
				play = within(c.Segments, lo, hi)
			}
			s.PlayS += play
			s.Chunks++
			s.Analysed++
			start := offset - c.LeadS
			for _, seg := range c.Segments {
				a, b := math.Max(seg.StartS, lo), math.Min(seg.EndS, hi)
				s.Timeline = appendJoined(s.Timeline, Segment{StartS: start + a, EndS: start + b})
			}
		case c.Status == StatusFailed:
			s.Chunks++
		case c.Recording.CreatedAt == nil && now.After(c.UploadExpiresAt):
			// Abandoned: the link expired unused, nothing can arrive for it any more.
		default:
			s.Settled = false
		}
		if c.DurationS > 0 {
			offset += c.ownS()
		} else {
			offset += typical
		}
	}
	for i, seg := range s.Timeline {
		s.Timeline[i] = Segment{StartS: roundMS(seg.StartS), EndS: roundMS(seg.EndS)}
	}
	return s
}

// within is how much of segs lies in [lo, hi).
func within(segs []Segment, lo, hi float64) float64 {
	var t float64
	for _, g := range segs {
		t += math.Max(0, math.Min(g.EndS, hi)-math.Max(g.StartS, lo))
	}
	return t
}

func appendJoined(tl []Segment, seg Segment) []Segment {
	if seg.EndS <= seg.StartS {
		return tl
	}
	if n := len(tl); n > 0 && seg.StartS-tl[n-1].EndS <= joinGapS {
		tl[n-1].EndS = math.Max(tl[n-1].EndS, seg.EndS)
		return tl
	}
	return append(tl, seg)
}

func roundMS(v float64) float64 { return math.Round(v*1000) / 1000 }
