package recording

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)

func done(i int, dur, play float64, segs ...Segment) Chunk {
	created := t0
	return Chunk{Index: i, Status: StatusDone, DurationS: dur, PlayS: play, Segments: segs,
		Recording: File{CreatedAt: &created}, UploadExpiresAt: t0.Add(UploadTTL)}
}

func seg(a, b float64) Segment { return Segment{StartS: a, EndS: b} }

func TestSummarizeOffsetsChunksByEarlierDurations(t *testing.T) {
	chunks := []Chunk{
		done(0, 60, 30, seg(10, 40)),
		done(1, 60, 20, seg(5, 25)),
		done(2, 30.5, 10, seg(0, 10)),
	}
	s := Summarize(chunks, t0)
	want := []Segment{seg(10, 40), seg(65, 85), seg(120, 130)}
	if !slices.Equal(s.Timeline, want) || s.PlayS != 60 || !s.Settled || s.Chunks != 3 {
		t.Fatalf("summary %+v, want timeline %v, 60 s, settled", s, want)
	}
}

func TestSummarizeIgnoresEventOrder(t *testing.T) {
	chunks := []Chunk{
		done(0, 60, 12, seg(1, 13)), done(1, 60, 60, seg(0, 60)), done(2, 60, 3, seg(57, 60)),
		done(3, 42, 42, seg(0, 42)),
	}
	want := Summarize(chunks, t0)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		r.Shuffle(len(chunks), func(i, j int) { chunks[i], chunks[j] = chunks[j], chunks[i] })
		if got := Summarize(chunks, t0); !slices.Equal(got.Timeline, want.Timeline) || got.PlayS != want.PlayS {
			t.Fatalf("order changed the result: %+v vs %+v", got, want)
		}
	}
}

func TestSummarizeJoinsPlayingAcrossChunkBoundaries(t *testing.T) {
	s := Summarize([]Chunk{done(0, 60, 10, seg(50, 60)), done(1, 60, 10, seg(0, 10))}, t0)
	if want := []Segment{seg(50, 70)}; !slices.Equal(s.Timeline, want) {
		t.Fatalf("timeline %v, want %v", s.Timeline, want)
	}
}

func TestSummarizePendingPredecessorThenArrives(t *testing.T) {
	pending := Chunk{Index: 0, Status: StatusPending, UploadExpiresAt: t0.Add(UploadTTL)}
	late := done(1, 60, 10, seg(0, 10))
	before := Summarize([]Chunk{pending, late}, t0)
	// Chunk 0 has no length yet: chunk 1 is placed after the longest measured chunk.
	if !slices.Equal(before.Timeline, []Segment{seg(60, 70)}) || before.Settled || before.PlayS != 10 {
		t.Fatalf("before: %+v", before)
	}
	after := Summarize([]Chunk{done(0, 45, 5, seg(40, 45)), late}, t0)
	if !slices.Equal(after.Timeline, []Segment{seg(40, 55)}) || !after.Settled || after.PlayS != 15 {
		t.Fatalf("after: %+v", after)
	}
}

func TestSummarizeFailedAndAbandonedChunks(t *testing.T) {
	failed := Chunk{Index: 1, Status: StatusFailed, DurationS: 20, Error: failure("truncated")}
	abandoned := Chunk{Index: 2, Status: StatusPending, UploadExpiresAt: t0.Add(-time.Minute)}
	s := Summarize([]Chunk{done(0, 60, 60, seg(0, 60)), failed, abandoned, done(3, 60, 6, seg(0, 6))}, t0)
	// Failed counts no play time but its measured 20 s; the abandoned one the typical 60 s.
	if want := []Segment{seg(0, 60), seg(140, 146)}; !slices.Equal(s.Timeline, want) {
		t.Fatalf("timeline %v, want %v", s.Timeline, want)
	}
	if s.PlayS != 66 || !s.Settled || s.Chunks != 3 {
		t.Fatalf("summary %+v", s)
	}
	// An unexpired pending chunk may still come.
	abandoned.UploadExpiresAt = t0.Add(time.Minute)
	if Summarize([]Chunk{abandoned}, t0).Settled {
		t.Fatal("a chunk that can still be uploaded must keep the session open")
	}
}

func TestSummarizeMissingIndexCountsTypicalLength(t *testing.T) {
	s := Summarize([]Chunk{done(0, 60, 1, seg(0, 1)), done(2, 60, 1, seg(0, 1))}, t0)
	if want := []Segment{seg(0, 1), seg(120, 121)}; !slices.Equal(s.Timeline, want) {
		t.Fatalf("timeline %v, want %v", s.Timeline, want)
	}
}

func TestSummaryRoundsPlaySeconds(t *testing.T) {
	s := Summarize([]Chunk{done(0, 60, 20.4), done(1, 60, 20.4), done(2, 60, 20.4)}, t0)
	if s.PlaySeconds() != 61 {
		t.Fatalf("play %d, want 61 (sum before rounding)", s.PlaySeconds())
	}
}

func withLead(c Chunk, lead float64) Chunk { c.LeadS = lead; return c }

func TestSummarizeSplitsLeadsAtTheirMiddle(t *testing.T) {
	// Chunk 1's audio starts 8 s before the boundary. Its analysis heard playing from 1 s into
	// the lead (session 53 s), chunk 0's until its end (60 s): the handoff is at 56 s.
	chunks := []Chunk{
		done(0, 60, 10, seg(50, 60)),
		withLead(done(1, 68, 10, seg(1, 18)), 8),
	}
	s := Summarize(chunks, t0)
	if want := []Segment{seg(50, 70)}; !slices.Equal(s.Timeline, want) {
		t.Fatalf("timeline %v, want %v", s.Timeline, want)
	}
	// 50–56 from chunk 0, 56–70 from chunk 1: the lead's overlap is counted once.
	if s.PlayS != 20 {
		t.Fatalf("play %v, want 20", s.PlayS)
	}
	// The next chunk is placed after chunk 1's own 60 s, not its 68 s of audio.
	chunks = append(chunks, withLead(done(2, 20, 2, seg(10, 12)), 8))
	if got := Summarize(chunks, t0).Timeline; !slices.Equal(got, []Segment{seg(50, 70), seg(122, 124)}) {
		t.Fatalf("timeline with chunk 2 %v", got)
	}
}

func TestSummarizeCountsALeadInFullWithoutItsPredecessor(t *testing.T) {
	pending := Chunk{Index: 0, Status: StatusPending, UploadExpiresAt: t0.Add(UploadTTL)}
	late := withLead(done(1, 68, 10, seg(2, 12)), 8)
	before := Summarize([]Chunk{pending, late}, t0)
	// Nothing else speaks for the 6 s of playing in the lead, so they count.
	if before.PlayS != 10 || !slices.Equal(before.Timeline, []Segment{seg(54, 64)}) {
		t.Fatalf("before chunk 0: %+v", before)
	}
	after := Summarize([]Chunk{done(0, 60, 0), late}, t0)
	// Chunk 0 heard nothing up to the handoff at 56 s; chunk 1 speaks from there.
	if after.PlayS != 8 || !slices.Equal(after.Timeline, []Segment{seg(56, 64)}) {
		t.Fatalf("after chunk 0: %+v", after)
	}
}
