package practice

import (
	"testing"
	"time"
)

func BenchmarkSplitByLocalDay(b *testing.B) {
	loc := zone(b, "Europe/Berlin")
	start := time.Date(2026, 3, 28, 18, 0, 0, 0, time.UTC) // over midnight and the DST change
	end := start.Add(MaxSessionDuration)
	for b.Loop() {
		SplitByLocalDay(start, end, loc)
	}
}

func BenchmarkPlayByLocalDay(b *testing.B) {
	loc := zone(b, "Asia/Seoul")
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	end := start.Add(MaxSessionDuration)
	tl := make([]Segment, 0, 1000)
	for at := 0.0; at < MaxSessionDuration.Seconds()-40; at += 43 {
		tl = append(tl, Segment{StartS: at, EndS: at + 30})
	}
	play := int(Measure(tl))
	s := Session{StartTime: start, EndTime: &end, DurationSeconds: 43200, ActualPlaySeconds: &play, Timeline: tl, Status: Done, Source: Recorded}
	b.ReportMetric(float64(len(tl)), "segments")
	for b.Loop() {
		PlayByLocalDay(s, loc)
	}
}
