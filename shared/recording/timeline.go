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
// cumulative durations of the earlier chunks. A chunk not measured yet (pending, failed before
// its length was known, or missing from the sequence) counts as long as the longest measured one,
// so later chunks land about right and move into place once it is analysed. The result depends
// only on the chunks, not on the order their events came in.
func Summarize(chunks []Chunk, now time.Time) Summary {
	cs := slices.Clone(chunks)
	slices.SortFunc(cs, func(a, b Chunk) int { return a.Index - b.Index })
	typical := 0.0
	for _, c := range cs {
		typical = math.Max(typical, c.DurationS)
	}
	if typical == 0 {
		typical = nominalChunkS
	}
	s := Summary{Settled: true, Timeline: []Segment{}}
	offset, next := 0.0, 0
	for _, c := range cs {
		offset += float64(c.Index-next) * typical // chunks that never arrived
		next = c.Index + 1
		switch {
		case c.Status == StatusDone:
			s.PlayS += c.PlayS
			s.Chunks++
			s.Analysed++
			for _, seg := range c.Segments {
				s.Timeline = appendJoined(s.Timeline, Segment{StartS: offset + seg.StartS, EndS: offset + seg.EndS})
			}
		case c.Status == StatusFailed:
			s.Chunks++
		case c.Recording.CreatedAt == nil && now.After(c.UploadExpiresAt):
			// Abandoned: the link expired unused, nothing can arrive for it any more.
		default:
			s.Settled = false
		}
		if c.DurationS > 0 {
			offset += c.DurationS
		} else {
			offset += typical
		}
	}
	for i, seg := range s.Timeline {
		s.Timeline[i] = Segment{StartS: roundMS(seg.StartS), EndS: roundMS(seg.EndS)}
	}
	return s
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
