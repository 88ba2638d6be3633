package practice

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"woodshed/shared/timezone"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := timezone.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses a local wall time in a zone, or an RFC 3339 instant when name is "".
func at(t testing.TB, name, s string) time.Time {
	t.Helper()
	if name == "" {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSplitByLocalDay(t *testing.T) {
	const h, m = 3600, 60
	tests := []struct {
		name       string
		zone       string
		start, end string // RFC 3339 instants
		want       []DayPortion
	}{
		{"same day UTC", "UTC", "2026-05-01T10:00:00Z", "2026-05-01T11:30:00Z",
			[]DayPortion{{"2026-05-01", 90 * m}}},
		{"across midnight UTC", "UTC", "2026-05-01T23:00:00Z", "2026-05-02T00:30:00Z",
			[]DayPortion{{"2026-05-01", h}, {"2026-05-02", 30 * m}}},
		{"ends at midnight exactly", "UTC", "2026-05-01T23:00:00Z", "2026-05-02T00:00:00Z",
			[]DayPortion{{"2026-05-01", h}}},
		{"seoul midnight is 15:00 UTC", "Asia/Seoul", "2026-05-01T14:00:00Z", "2026-05-01T16:00:00Z",
			[]DayPortion{{"2026-05-01", h}, {"2026-05-02", h}}},
		{"same instants in UTC stay on one day", "UTC", "2026-05-01T14:00:00Z", "2026-05-01T16:00:00Z",
			[]DayPortion{{"2026-05-01", 2 * h}}},
		{"new york across midnight before spring forward", "America/New_York",
			"2026-03-08T04:00:00Z", "2026-03-08T08:00:00Z", // 23:00 EST → 04:00 EDT: 4 real hours
			[]DayPortion{{"2026-03-07", h}, {"2026-03-08", 3 * h}}},
		{"new york whole spring-forward day is 23 h", "America/New_York",
			"2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z",
			[]DayPortion{{"2026-03-08", 23 * h}}},
		{"new york whole fall-back day is 25 h", "America/New_York",
			"2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z",
			[]DayPortion{{"2026-11-01", 25 * h}}},
		{"new york through the repeated hour", "America/New_York",
			"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", // 01:30 EDT → 01:30 EST
			[]DayPortion{{"2026-11-01", h}}},
		{"berlin across midnight in summer", "Europe/Berlin", "2026-07-10T21:00:00Z", "2026-07-10T23:00:00Z",
			[]DayPortion{{"2026-07-10", h}, {"2026-07-11", h}}},
		{"berlin spring-forward night", "Europe/Berlin", "2026-03-28T22:00:00Z", "2026-03-29T02:00:00Z",
			// 23:00 CET Sat → 04:00 CEST Sun: 1 h Saturday, 3 h Sunday
			[]DayPortion{{"2026-03-28", h}, {"2026-03-29", 3 * h}}},
		{"berlin fall-back day is 25 h", "Europe/Berlin", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z",
			[]DayPortion{{"2026-10-25", 25 * h}}},
		{"chatham +12:45 across midnight", "Pacific/Chatham", "2026-06-15T10:45:00Z", "2026-06-15T11:45:00Z",
			[]DayPortion{{"2026-06-15", 30 * m}, {"2026-06-16", 30 * m}}},
		{"chatham +13:45 across midnight", "Pacific/Chatham", "2026-12-15T10:00:00Z", "2026-12-15T10:30:00Z",
			[]DayPortion{{"2026-12-15", 15 * m}, {"2026-12-16", 15 * m}}},
		{"chatham DST starts at 02:45", "Pacific/Chatham", "2026-09-26T11:15:00Z", "2026-09-27T11:15:00Z",
			// day of 2026-09-27 local runs 11:15Z Sep 26 → 10:15Z Sep 27 (23 h); then 1 h of Sep 28
			[]DayPortion{{"2026-09-27", 23 * h}, {"2026-09-28", h}}},
		{"havana midnight skipped", "America/Havana", "2026-03-08T04:30:00Z", "2026-03-08T05:30:00Z",
			// 23:30 CST → 01:30 CDT: 30 min on each day
			[]DayPortion{{"2026-03-07", 30 * m}, {"2026-03-08", 30 * m}}},
		{"santiago midnight skipped", "America/Santiago", "2026-09-06T03:00:00Z", "2026-09-06T05:00:00Z",
			// 23:00 -04 → 02:00 -03
			[]DayPortion{{"2026-09-05", h}, {"2026-09-06", h}}},
		{"santiago fall back at midnight keeps the day", "America/Santiago", "2026-04-05T02:30:00Z", "2026-04-05T04:30:00Z",
			// 23:30 -03 → (24:00 = 23:00 -04) → 00:30 -04 next day
			[]DayPortion{{"2026-04-04", 90 * m}, {"2026-04-05", 30 * m}}},
		{"three days", "Asia/Seoul", "2026-05-01T14:00:00Z", "2026-05-03T16:00:00Z",
			[]DayPortion{{"2026-05-01", h}, {"2026-05-02", 24 * h}, {"2026-05-03", 24 * h}, {"2026-05-04", h}}},
		{"sub-second ends round once", "UTC", "2026-05-01T23:59:59.8Z", "2026-05-02T00:00:01.2Z",
			[]DayPortion{{"2026-05-02", 1}}}, // 1.4 s in all, most of it on the 2nd
		{"empty span", "UTC", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z", nil},
		{"reversed span", "UTC", "2026-05-01T11:00:00Z", "2026-05-01T10:00:00Z", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitByLocalDay(at(t, "", tc.start), at(t, "", tc.end), zone(t, tc.zone))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSplitByLocalDayNilZoneIsUTC(t *testing.T) {
	got := SplitByLocalDay(at(t, "", "2026-05-01T23:00:00Z"), at(t, "", "2026-05-02T01:00:00Z"), nil)
	want := []DayPortion{{"2026-05-01", 3600}, {"2026-05-02", 3600}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestSplitByLocalDayMatchesMinuteWalk checks random spans against a plain walk that asks the
// zone for the date of every minute (all these zones change offset on whole minutes).
func TestSplitByLocalDayMatchesMinuteWalk(t *testing.T) {
	zones := []string{"UTC", "Asia/Seoul", "America/New_York", "Europe/Berlin", "Pacific/Chatham",
		"America/Havana", "America/Santiago", "Asia/Beirut", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Kiritimati"}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC).Unix() / 60
	for i := 0; i < 600; i++ {
		name := zones[i%len(zones)]
		loc := zone(t, name)
		startMin := base + rng.Int64N(400*24*60)
		lenMin := rng.Int64N(30 * 60) // up to 30 h, so two midnights are common
		start, end := time.Unix(startMin*60, 0), time.Unix((startMin+lenMin)*60, 0)

		walk := weights{}
		for mm := startMin; mm < startMin+lenMin; mm++ {
			walk[DateOf(time.Unix(mm*60, 0), loc)] += time.Minute
		}
		var want []DayPortion
		for _, d := range slices.Sorted(func(yield func(string) bool) {
			for k := range walk {
				if !yield(k) {
					return
				}
			}
		}) {
			want = append(want, DayPortion{d, int(walk[d] / time.Second)})
		}
		if got := SplitByLocalDay(start, end, loc); !slices.Equal(got, want) {
			t.Fatalf("%s %s → %s: got %v, want %v", name, start.UTC(), end.UTC(), got, want)
		}
	}
}

func TestPlayByLocalDay(t *testing.T) {
	start := at(t, "", "2026-05-01T14:30:00Z") // 23:30 in Seoul
	end := start.Add(2 * time.Hour)            // 01:30 the next day
	played := func(n int) *int { return &n }
	base := Session{StartTime: start, EndTime: &end, DurationSeconds: 7200, Status: Done, Source: Recorded}
	seoul := zone(t, "Asia/Seoul")

	tests := []struct {
		name string
		mod  func(*Session)
		want []DayPortion
	}{
		{"not analysed: wall clock", func(s *Session) { s.Source = Timer },
			[]DayPortion{{"2026-05-01", 1800}, {"2026-05-02", 5400}}},
		{"played only before midnight", func(s *Session) {
			s.Timeline = []Segment{{0, 600}, {900, 1500}}
			s.ActualPlaySeconds = played(1200)
		}, []DayPortion{{"2026-05-01", 1200}}},
		{"played only after midnight", func(s *Session) {
			s.Timeline = []Segment{{1800, 2400}}
			s.ActualPlaySeconds = played(600)
		}, []DayPortion{{"2026-05-02", 600}}},
		{"segment across midnight", func(s *Session) {
			s.Timeline = []Segment{{1200, 2400}}
			s.ActualPlaySeconds = played(1200)
		}, []DayPortion{{"2026-05-01", 600}, {"2026-05-02", 600}}},
		{"fractional segments still add up", func(s *Session) {
			s.Timeline = []Segment{{1799.4, 1800.6}, {10.2, 10.9}}
			s.ActualPlaySeconds = played(2)
		}, []DayPortion{{"2026-05-01", 1}, {"2026-05-02", 1}}},
		{"play time without timeline: proportional", func(s *Session) {
			s.ActualPlaySeconds = played(4000)
		}, []DayPortion{{"2026-05-01", 1000}, {"2026-05-02", 3000}}},
		{"analysed to zero", func(s *Session) {
			s.ActualPlaySeconds = played(0)
		}, nil},
		{"active", func(s *Session) { s.EndTime = nil; s.DurationSeconds = 0; s.Status = Active }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			tc.mod(&s)
			got := PlayByLocalDay(s, seoul)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			sum := 0
			for _, p := range got {
				sum += p.Seconds
			}
			if s.Ended() && sum != PracticeSeconds(s) {
				t.Fatalf("portions add to %d, practice seconds %d", sum, PracticeSeconds(s))
			}
		})
	}
}

func TestDistributeAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		w := weights{}
		for d := 0; d < 1+rng.IntN(4); d++ {
			w[AddDays("2026-01-01", d)] = time.Duration(rng.Int64N(int64(30 * time.Hour)))
		}
		total := rng.IntN(50000)
		sum := 0
		for _, p := range w.distribute(total) {
			sum += p.Seconds
		}
		if sum != total {
			t.Fatalf("distribute(%d) over %v adds to %d", total, w, sum)
		}
	}
}
