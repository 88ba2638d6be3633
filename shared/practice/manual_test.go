package practice

import (
	"errors"
	"testing"
	"time"

	"woodshed/shared/instrument"
	"woodshed/shared/valid"
)

func TestNewManual(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	s, err := NewManual(ManualInput{SessionID: "m1", UserID: "u1", Instrument: "piano", TimeZone: "Europe/Berlin",
		StartTime: now.Add(-3 * time.Hour), EndTime: now.Add(-90*time.Minute + 400*time.Millisecond)}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source != Manual || s.Status != Done || s.DurationSeconds != 5400 || s.TimeZone != "Europe/Berlin" || PracticeSeconds(s) != 5400 {
		t.Fatalf("NewManual = %+v", s)
	}
}

func TestNewManualRefuses(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	end := func(t time.Time) *time.Time { return &t }
	existing := []Session{
		{SessionID: "e1", StartTime: now.Add(-10 * time.Hour), EndTime: end(now.Add(-9 * time.Hour)), Status: Done},
		{SessionID: "e2", StartTime: now.Add(-30 * time.Minute), Status: Active},
	}
	h := time.Hour
	tests := []struct {
		name       string
		start, end time.Time
		inst       string
		err        error
	}{
		{"end before start", now.Add(-2 * h), now.Add(-3 * h), "piano", ErrEndBeforeStart},
		{"end equals start", now.Add(-2 * h), now.Add(-2 * h), "piano", ErrEndBeforeStart},
		{"in the future", now.Add(-h), now.Add(10 * time.Minute), "piano", ErrInFuture},
		{"wholly in the future", now.Add(h), now.Add(2 * h), "piano", ErrInFuture},
		{"13 hours", now.Add(-20 * h), now.Add(-7 * h), "piano", ErrTooLong},
		{"12 h and a second", now.Add(-25*h - time.Second), now.Add(-13 * h), "piano", ErrTooLong},
		{"before 2000", time.Date(1999, 12, 31, 20, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 21, 0, 0, 0, time.UTC), "piano", ErrTooOld},
		{"missing start", time.Time{}, now.Add(-h), "piano", ErrMissingTime},
		{"overlaps the start of a session", now.Add(-11 * h), now.Add(-9*h - 30*time.Minute), "piano", ErrOverlap},
		{"inside a session", now.Add(-9*h - 50*time.Minute), now.Add(-9*h - 10*time.Minute), "piano", ErrOverlap},
		{"covers a session", now.Add(-11 * h), now.Add(-8 * h), "piano", ErrOverlap},
		{"overlaps the active session", now.Add(-h), now.Add(-20 * time.Minute), "piano", ErrOverlap},
		{"unknown instrument", now.Add(-3 * h), now.Add(-2 * h), "lute?", instrument.ErrUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewManual(ManualInput{SessionID: "m1", Instrument: tc.inst, TimeZone: "UTC", StartTime: tc.start, EndTime: tc.end}, now, existing)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

func TestNewManualAccepts(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	e1End := now.Add(-9 * time.Hour)
	existing := []Session{{SessionID: "e1", StartTime: now.Add(-10 * time.Hour), EndTime: &e1End, Status: Done}}
	h := time.Hour
	tests := []struct {
		name       string
		start, end time.Time
	}{
		{"ends where another starts", now.Add(-11 * h), now.Add(-10 * h)},
		{"starts where another ends", now.Add(-9 * h), now.Add(-8 * h)},
		{"exactly 12 h", now.Add(-23 * h), now.Add(-11 * h)},
		{"ends within the clock skew", now.Add(-h), now.Add(ClockSkew)},
		{"long ago", time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC), time.Date(2001, 1, 1, 10, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		if _, err := NewManual(ManualInput{Instrument: "cello", TimeZone: "UTC", StartTime: tc.start, EndTime: tc.end}, now, existing); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// A session does not overlap itself (re-validating a stored entry).
	if err := CheckOverlap(existing[0].StartTime, e1End, "e1", existing); err != nil {
		t.Errorf("self overlap: %v", err)
	}
}

func TestOverlapWindow(t *testing.T) {
	start := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	end := start.Add(time.Hour)
	from, to := OverlapWindow(start, end)
	if !from.Equal(start.Add(-12*time.Hour)) || !to.Equal(end) {
		t.Fatalf("OverlapWindow = %s, %s", from, to)
	}
	// Any session that overlaps must start inside the window.
	longEnd := start.Add(30 * time.Minute)
	longest := Session{SessionID: "x", StartTime: longEnd.Add(-MaxSessionDuration), EndTime: &longEnd}
	if longest.StartTime.Before(from) || CheckOverlap(start, end, "", []Session{longest}) == nil {
		t.Fatal("a 12 h session overlapping the entry falls outside the window")
	}
}

// Bad input names its field for the HTTP layer; overlaps stay bare errors (409, not 400).
func TestErrorsNameFields(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	end := now.Add(-time.Hour)
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"end before start", ValidateManualTimes(now.Add(-time.Hour), now.Add(-2*time.Hour), now), "end_time"},
		{"future", ValidateManualTimes(now, now.Add(time.Hour), now), "end_time"},
		{"too long", ValidateManualTimes(now.Add(-13*time.Hour), now, now), "end_time"},
		{"missing start", ValidateManualTimes(time.Time{}, now, now), "start_time"},
		{"bad instrument", func() error { _, err := Start(StartInput{Instrument: "x?", TimeZone: "UTC"}, now); return err }(), "instrument"},
		{"bad range", func() error { _, err := ParseDateRange("2026-05-02", "2026-05-01", 366); return err }(), "from"},
		{"long range", func() error { _, err := ParseDateRange("2020-05-02", "2026-05-01", 366); return err }(), "to"},
		{"bad to", func() error { _, err := ParseDateRange("2026-05-02", "soon", 366); return err }(), "to"},
		{"bad limit", func() error { _, err := ParseListQuery("0", "", "", "", "", time.UTC); return err }(), "limit"},
	}
	for _, tc := range tests {
		fields, ok := valid.Fields(tc.err)
		if !ok || len(fields) != 1 || fields[0].Field != tc.field || fields[0].Message == "" {
			t.Errorf("%s: err %v has fields %+v, want one on %s", tc.name, tc.err, fields, tc.field)
		}
	}
	_, err := NewManual(ManualInput{Instrument: "piano", TimeZone: "UTC", StartTime: end.Add(-time.Hour), EndTime: end}, now,
		[]Session{{SessionID: "e", StartTime: end.Add(-30 * time.Minute), EndTime: &end}})
	if _, ok := valid.Fields(err); ok || !errors.Is(err, ErrOverlap) {
		t.Errorf("overlap error = %v; want a bare ErrOverlap", err)
	}
	fields, _ := valid.Fields(ValidateManualTimes(now.Add(-time.Hour), now.Add(-2*time.Hour), now))
	if msg := fields[0].Message; msg[:len("must be after start time")] != "must be after start time" {
		t.Errorf("message %q does not read well after the field name", msg)
	}
}
