package practice

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"woodshed/shared/instrument"
	"woodshed/shared/timezone"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func started(t *testing.T, analyze bool) Session {
	t.Helper()
	s, err := Start(StartInput{SessionID: "s1", UserID: "u1", Instrument: "Violin", Notes: " scales ",
		TimeZone: "Asia/Seoul", Analyze: analyze}, t0.Add(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStart(t *testing.T) {
	s := started(t, true)
	if s.Status != Active || s.Source != Recorded || s.Instrument != "violin" || s.Notes != "scales" ||
		!s.StartTime.Equal(t0) || s.EndTime != nil || s.TimeZone != "Asia/Seoul" || s.Analysed() {
		t.Fatalf("Start = %+v", s)
	}
	if s := started(t, false); s.Source != Timer {
		t.Fatalf("without analysis source = %s", s.Source)
	}
	bad := []struct {
		in  StartInput
		err error
	}{
		{StartInput{Instrument: "kazoo!", TimeZone: "UTC"}, instrument.ErrUnknown},
		{StartInput{Instrument: "piano", TimeZone: "Mars/Base"}, timezone.ErrUnknown},
		{StartInput{Instrument: "piano", TimeZone: ""}, timezone.ErrUnknown},
		{StartInput{Instrument: "piano", TimeZone: "UTC", Notes: strings.Repeat("x", 1001)}, ErrNotesTooLong},
		{StartInput{Instrument: "piano", TimeZone: "UTC", Notes: "a\x1bb"}, ErrNotesControl},
	}
	for _, b := range bad {
		if _, err := Start(b.in, t0); !errors.Is(err, b.err) {
			t.Errorf("Start(%+v) error = %v, want %v", b.in, err, b.err)
		}
	}
}

func TestEnd(t *testing.T) {
	tests := []struct {
		name       string
		analyze    bool
		after      time.Duration
		wantDur    int
		wantCapped bool
		wantStatus Status
	}{
		{"timer", false, 45*time.Minute + 700*time.Millisecond, 2700, false, Done},
		{"recorded waits for analysis", true, time.Hour, 3600, false, Analyzing},
		{"exactly 12 h", false, 12 * time.Hour, 43200, false, Done},
		{"13 h is capped", false, 13 * time.Hour, 43200, true, Done},
		{"3 days is capped", true, 72 * time.Hour, 43200, true, Analyzing},
		{"clock stepped back", false, -time.Minute, 0, false, Done},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := started(t, tc.analyze)
			ok, err := End(&s, t0.Add(tc.after), nil)
			if err != nil || !ok {
				t.Fatalf("End = %v, %v", ok, err)
			}
			if s.DurationSeconds != tc.wantDur || s.Capped != tc.wantCapped || s.Status != tc.wantStatus ||
				!s.EndTime.Equal(t0.Add(time.Duration(tc.wantDur)*time.Second)) {
				t.Fatalf("after End: %+v", s)
			}
			if PracticeSeconds(s) != tc.wantDur {
				t.Fatalf("PracticeSeconds = %d", PracticeSeconds(s))
			}
		})
	}
}

func TestEndIsIdempotent(t *testing.T) {
	s := started(t, false)
	notes := "first"
	if ok, err := End(&s, t0.Add(time.Hour), &notes); !ok || err != nil {
		t.Fatalf("first End = %v, %v", ok, err)
	}
	first := s
	other := "second"
	if ok, err := End(&s, t0.Add(2*time.Hour), &other); ok || err != nil {
		t.Fatalf("second End = %v, %v; want false, nil", ok, err)
	}
	if !s.EndTime.Equal(*first.EndTime) || s.DurationSeconds != first.DurationSeconds || s.Notes != "first" {
		t.Fatalf("second End changed the session: %+v", s)
	}
}

func TestEndBadNotesChangesNothing(t *testing.T) {
	s := started(t, false)
	bad := strings.Repeat("가", 1001)
	if _, err := End(&s, t0.Add(time.Hour), &bad); !errors.Is(err, ErrNotesTooLong) {
		t.Fatalf("err = %v", err)
	}
	if s.Status != Active || s.EndTime != nil {
		t.Fatalf("session changed: %+v", s)
	}
}

func TestStale(t *testing.T) {
	s := started(t, false)
	if Stale(s, t0.Add(12*time.Hour)) || !Stale(s, t0.Add(12*time.Hour+time.Second)) {
		t.Fatal("Stale boundary is wrong")
	}
	End(&s, t0.Add(13*time.Hour), nil)
	if Stale(s, t0.Add(20*time.Hour)) {
		t.Fatal("an ended session is not stale")
	}
}

func TestUpdateAnalysis(t *testing.T) {
	s := started(t, true)
	// Chunk results arrive while practice goes on: kept, but no play time yet.
	if err := UpdateAnalysis(&s, []Segment{{5, 50}}, false); err != nil {
		t.Fatal(err)
	}
	if s.Analysed() || s.Status != Active || len(s.Timeline) != 1 {
		t.Fatalf("during practice: %+v", s)
	}
	End(&s, t0.Add(10*time.Minute), nil)
	if s.Status != Analyzing || PracticeSeconds(s) != 600 {
		t.Fatalf("after End: %+v", s)
	}
	tl := []Segment{{400, 700}, {5, 50}, {40, 100.4}, {-3, 1}, {200, 200}}
	if err := UpdateAnalysis(&s, tl, true); err != nil {
		t.Fatal(err)
	}
	wantTL := []Segment{{0, 1}, {5, 100.4}, {400, 600}}
	if s.Status != Done || !slices.Equal(s.Timeline, wantTL) || *s.ActualPlaySeconds != 296 {
		t.Fatalf("after analysis: status %s timeline %v play %v", s.Status, s.Timeline, *s.ActualPlaySeconds)
	}
	again := s
	UpdateAnalysis(&again, tl, true)
	if *again.ActualPlaySeconds != 296 || !slices.Equal(again.Timeline, wantTL) {
		t.Fatal("repeating the analysis changed the session")
	}

	timer := started(t, false)
	End(&timer, t0.Add(time.Minute), nil)
	if err := UpdateAnalysis(&timer, tl, true); !errors.Is(err, ErrNotRecorded) {
		t.Fatalf("analysis of a timer session: %v", err)
	}
}

func TestFinishUnanalysed(t *testing.T) {
	s := started(t, true)
	End(&s, t0.Add(20*time.Minute), nil)
	FinishUnanalysed(&s)
	if s.Status != Done || s.Analysed() || PracticeSeconds(s) != 1200 {
		t.Fatalf("after FinishUnanalysed: %+v", s)
	}
	a := started(t, true)
	FinishUnanalysed(&a)
	if a.Status != Active {
		t.Fatal("FinishUnanalysed must leave an active session alone")
	}
}

func TestNormalizeTimeline(t *testing.T) {
	nan := func() float64 { var z float64; return z / z }()
	got := NormalizeTimeline([]Segment{{30, 40}, {10, 20}, {20, 25}, {35, 50}, {nan, 3}, {90, 120}, {-5, -1}, {7, 7}}, 100)
	want := []Segment{{10, 25}, {30, 50}, {90, 100}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if Measure(got) != 45 {
		t.Fatalf("Measure = %v", Measure(got))
	}
	if off := OffsetTimeline([]Segment{{1, 2}}, 60); !slices.Equal(off, []Segment{{61, 62}}) {
		t.Fatalf("OffsetTimeline = %v", off)
	}
}

func TestSessionJSON(t *testing.T) {
	s := started(t, false)
	s.Timeline = nil
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{`"session_id":"s1"`, `"instrument":"violin"`, `"start_time":"2026-05-01T10:00:00Z"`,
		`"end_time":null`, `"duration_seconds":0`, `"actual_play_seconds":null`, `"status":"active"`,
		`"source":"timer"`, `"notes":"scales"`, `"timeline":[]`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
	var back Session
	if err := json.Unmarshal(b, &back); err != nil || back.SessionID != "s1" || !back.StartTime.Equal(s.StartTime) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}
