package practice

import (
	"errors"
	"slices"
	"testing"
	"time"

	"woodshed/shared/instrument"
)

func TestParseDateRange(t *testing.T) {
	good := []struct {
		from, to string
		days     int
	}{
		{"2026-05-01", "2026-05-01", 1},
		{"2026-05-01", "2026-05-31", 31},
		{"2024-01-01", "2024-12-31", 366},
		{"2025-03-01", "2026-03-01", 366},
		{"2024-02-28", "2024-03-01", 3},
	}
	for _, g := range good {
		r, err := ParseDateRange(g.from, g.to, MaxRangeDays)
		if err != nil || r.Days() != g.days || len(r.Dates()) != g.days {
			t.Errorf("ParseDateRange(%s, %s) = %+v (%d days), %v; want %d days", g.from, g.to, r, r.Days(), err, g.days)
		}
	}
	bad := []struct {
		from, to string
		err      error
	}{
		{"2026-05-02", "2026-05-01", ErrRangeReversed},
		{"2024-01-01", "2025-01-01", ErrRangeTooLong}, // 367 days
		{"2020-01-01", "2026-01-01", ErrRangeTooLong},
		{"", "2026-05-01", ErrBadDate},
		{"2026-05-01", "", ErrBadDate},
		{"2026-5-01", "2026-05-02", ErrBadDate},
		{"2026/05/01", "2026-05-02", ErrBadDate},
		{"20260501", "2026-05-02", ErrBadDate},
		{"2026-02-30", "2026-03-02", ErrBadDate},
		{"2026-13-01", "2026-12-02", ErrBadDate},
		{" 2026-05-01", "2026-05-02", ErrBadDate},
		{"2026-05-01T00:00:00Z", "2026-05-02", ErrBadDate},
		{"yesterday", "today", ErrBadDate},
	}
	for _, b := range bad {
		if _, err := ParseDateRange(b.from, b.to, MaxRangeDays); !errors.Is(err, b.err) {
			t.Errorf("ParseDateRange(%q, %q) error = %v, want %v", b.from, b.to, err, b.err)
		}
	}
}

func TestDateRangeHelpers(t *testing.T) {
	r := DateRange{From: "2026-02-27", To: "2026-03-02"}
	if got := r.Dates(); !slices.Equal(got, []string{"2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"}) {
		t.Fatalf("Dates = %v", got)
	}
	if !r.Contains("2026-03-01") || r.Contains("2026-03-03") || r.Contains("2026-02-26") {
		t.Fatal("Contains is wrong")
	}
	start, end, err := r.Bounds(zone(t, "Asia/Seoul"))
	if err != nil || !start.Equal(at(t, "", "2026-02-26T15:00:00Z")) || !end.Equal(at(t, "", "2026-03-02T15:00:00Z")) {
		t.Fatalf("Bounds = %s, %s, %v", start, end, err)
	}
	if AddDays("2026-12-31", 1) != "2027-01-01" || AddDays("2024-03-01", -1) != "2024-02-29" {
		t.Fatal("AddDays is wrong")
	}
	if DaysBetween("2026-03-01", "2026-03-31") != 30 || DaysBetween("2026-03-31", "2026-03-01") != -30 {
		t.Fatal("DaysBetween is wrong")
	}
}

func TestStartOfDay(t *testing.T) {
	tests := []struct{ zone, date, want string }{
		{"UTC", "2026-05-01", "2026-05-01T00:00:00Z"},
		{"Asia/Seoul", "2026-05-01", "2026-04-30T15:00:00Z"},
		{"America/New_York", "2026-03-08", "2026-03-08T05:00:00Z"},
		{"America/New_York", "2026-03-09", "2026-03-09T04:00:00Z"},
		{"Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z"},
		{"Europe/Berlin", "2026-10-26", "2026-10-25T23:00:00Z"},
		{"Pacific/Chatham", "2026-09-28", "2026-09-27T10:15:00Z"},
		{"America/Havana", "2026-03-08", "2026-03-08T05:00:00Z"},   // 00:00 does not exist; 01:00 CDT
		{"America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z"}, // likewise
		{"Asia/Beirut", "2026-03-29", "2026-03-28T22:00:00Z"},
	}
	for _, tc := range tests {
		loc := zone(t, tc.zone)
		got, err := StartOfDay(tc.date, loc)
		if err != nil || !got.Equal(at(t, "", tc.want)) {
			t.Errorf("StartOfDay(%s, %s) = %s, %v; want %s", tc.date, tc.zone, got.UTC(), err, tc.want)
			continue
		}
		if DateOf(got, loc) != tc.date || DateOf(got.Add(-time.Second), loc) == tc.date {
			t.Errorf("StartOfDay(%s, %s) = %s is not the day's first instant", tc.date, tc.zone, got.UTC())
		}
	}
	if _, err := StartOfDay("2026-02-29", time.UTC); !errors.Is(err, ErrBadDate) {
		t.Errorf("StartOfDay of a bad date: %v", err)
	}
}

func TestParseListQuery(t *testing.T) {
	seoul := zone(t, "Asia/Seoul")
	q, err := ParseListQuery("", "", "", "", "", seoul)
	if err != nil || q.Limit != DefaultListLimit || !q.From.IsZero() || !q.To.IsZero() || q.Instrument != "" {
		t.Fatalf("defaults: %+v, %v", q, err)
	}
	q, err = ParseListQuery("50", "abc", "2026-05-01", "2026-05-31", "Cello", seoul)
	if err != nil || q.Limit != 50 || q.Cursor != "abc" || q.Instrument != "cello" ||
		!q.From.Equal(at(t, "", "2026-04-30T15:00:00Z")) || !q.To.Equal(at(t, "", "2026-05-31T15:00:00Z")) {
		t.Fatalf("full query: %+v, %v", q, err)
	}
	bad := []struct {
		limit, from, to, inst string
		err                   error
	}{
		{"0", "", "", "", ErrBadLimit},
		{"101", "", "", "", ErrBadLimit},
		{"ten", "", "", "", ErrBadLimit},
		{"-1", "", "", "", ErrBadLimit},
		{"", "2026-5-1", "", "", ErrBadDate},
		{"", "", "tomorrow", "", ErrBadDate},
		{"", "2026-05-02", "2026-05-01", "", ErrRangeReversed},
		{"", "", "", "lute?", instrument.ErrUnknown},
	}
	for _, b := range bad {
		if _, err := ParseListQuery(b.limit, "", b.from, b.to, b.inst, seoul); !errors.Is(err, b.err) {
			t.Errorf("ParseListQuery(%q, %q, %q, %q) error = %v, want %v", b.limit, b.from, b.to, b.inst, err, b.err)
		}
	}
}

// FuzzParseDate checks that every accepted date is written back exactly as given.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-05-01", "2024-02-29", "2026-02-29", "0000-01-01", "9999-12-31", "2026-1-01", "2026-00-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if back := formatDate(d.Date()); back != s {
			t.Fatalf("ParseDate(%q) = %s, formatted back as %q", s, d, back)
		}
		if std, err := time.Parse(DateLayout, s); err != nil || !std.Equal(d) {
			t.Fatalf("ParseDate(%q) = %s, time.Parse says %s, %v", s, d, std, err)
		}
	})
}
