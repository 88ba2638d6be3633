// Package pipeline measures the audio pipeline on the local stack: from the browser's PUT of a
// 60 s chunk to the presigned URL until the analyzer has stored the result, deleted the object and
// updated the session (DESIGN §9 sets 2 s for this step on the local stack).
package pipeline

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"woodshed/shared/pipelinetest"
	"woodshed/shared/recording"
)

func TestMain(m *testing.M) { pipelinetest.Main(m) }

// BenchmarkUploadToResult60s: one op is one 60 s, 16 kHz mono 16-bit chunk with the 8 s lead the
// SPA puts before every chunk after the first (68 s, 2.2 MB) PUT to its presigned URL, the
// ObjectCreated notification, and the analyzer's whole run. The presign request is outside the
// timer (the SPA asks for the link while the chunk is still recording).
func BenchmarkUploadToResult60s(b *testing.B) {
	h := pipelinetest.New(b)
	ctx := context.Background()
	const lead = 8
	wav := pipelinetest.PlayingWAV(60+lead, 5, 50)
	user := pipelinetest.NewID()
	var session string
	var lat []time.Duration
	b.SetBytes(int64(len(wav)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		index := 1 + i%recording.MaxChunkIndex // chunks after the first, which carry a lead
		if index == 1 {
			if session != "" {
				if _, err := h.Store.EndSession(ctx, user, session, time.Now(), nil); err != nil {
					b.Fatal(err)
				}
			}
			var err error
			if session, err = h.StartSession(ctx, user, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		g, resp, err := h.RequestUploadLead(ctx, user, session, index, int64(len(wav)), lead)
		if err != nil || resp.Status != http.StatusCreated {
			b.Fatalf("upload-audio: %d %s %v", resp.Status, resp.Raw, err)
		}
		done := h.Expect(recording.ChunkRef{UserID: user, SessionID: session, Index: index}.ObjectKey())
		b.StartTimer()
		start := time.Now()
		if status, err := pipelinetest.Put(ctx, g, wav, nil); err != nil || status != http.StatusOK {
			b.Fatalf("PUT: %d %v", status, err)
		}
		if err := pipelinetest.Wait(done, time.Minute); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		if a, err := h.Analysis(ctx, user, g.AnalysisID); err != nil || a.Body["status"] != "done" {
			b.Fatalf("analysis: %v %v", a.Raw, err)
		}
		b.StartTimer()
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(1), "max-ms")
}
