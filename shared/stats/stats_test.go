package stats

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"woodshed/shared/practice"
	"woodshed/shared/valid"
)

func TestStreaks(t *testing.T) {
	const today = "2026-05-10"
	tests := []struct {
		name             string
		dates            []string
		current, longest int
	}{
		{"no practice", nil, 0, 0},
		{"only today", []string{"2026-05-10"}, 1, 1},
		{"only yesterday: today not practised yet", []string{"2026-05-09"}, 1, 1},
		{"only two days ago: broken", []string{"2026-05-08"}, 0, 1},
		{"run through today", []string{"2026-05-08", "2026-05-09", "2026-05-10"}, 3, 3},
		{"run through yesterday", []string{"2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09"}, 4, 4},
		{"gap the day before yesterday", []string{"2026-05-05", "2026-05-06", "2026-05-07", "2026-05-09", "2026-05-10"}, 2, 3},
		{"longest in the past", []string{"2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-05-10"}, 1, 4},
		{"unsorted with repeats", []string{"2026-05-10", "2026-05-08", "2026-05-09", "2026-05-09", "2026-05-10"}, 3, 3},
		{"across a month and year end", []string{"2025-12-30", "2025-12-31", "2026-01-01"}, 0, 3},
		{"across a leap day", []string{"2024-02-28", "2024-02-29", "2024-03-01"}, 0, 3},
		{"a date after today counts for the longest only", []string{"2026-05-09", "2026-05-11", "2026-05-12"}, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur, long, err := Streaks(tc.dates, today)
			if err != nil || cur != tc.current || long != tc.longest {
				t.Fatalf("Streaks = %d, %d, %v; want %d, %d", cur, long, err, tc.current, tc.longest)
			}
		})
	}
	if _, _, err := Streaks([]string{"2026-5-1"}, today); !errors.Is(err, practice.ErrBadDate) {
		t.Errorf("bad date: %v", err)
	}
	if _, _, err := Streaks(nil, "today"); !errors.Is(err, practice.ErrBadDate) {
		t.Errorf("bad today: %v", err)
	}
}

func TestParsePeriodAndRange(t *testing.T) {
	for in, want := range map[string]Period{"week": Week, "MONTH": Month, " year ": Year, "all": All, "": All} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"day", "weeks", "7d"} {
		_, err := ParsePeriod(in)
		if fields, ok := valid.Fields(err); !errors.Is(err, ErrBadPeriod) || !ok || fields[0].Field != "period" {
			t.Errorf("ParsePeriod(%q) error = %v", in, err)
		}
	}
	tests := []struct {
		p        Period
		from     string
		bounded  bool
		wantDays int
	}{
		{Week, "2026-03-04", true, 7},
		{Month, "2026-02-09", true, 30},
		{Year, "2025-03-11", true, 365},
		{All, "", false, 0},
	}
	for _, tc := range tests {
		r, ok := tc.p.Range("2026-03-10")
		if ok != tc.bounded || r.From != tc.from || (ok && (r.To != "2026-03-10" || r.Days() != tc.wantDays)) {
			t.Errorf("%s.Range = %+v, %v", tc.p, r, ok)
		}
	}
}

func day(date string, secs, sessions int, insts map[string]Tally) Day {
	return Day{Date: date, Tally: Tally{secs, sessions}, Instruments: insts}
}

func TestCompute(t *testing.T) {
	const today = "2026-05-10" // a Sunday
	days := []Day{
		day("2026-04-01", 1000, 1, map[string]Tally{"piano": {1000, 1}}),                     // outside week and month
		day("2026-05-03", 600, 1, map[string]Tally{"violin": {600, 1}}),                      // Sunday, 7 days ago: outside the week
		day("2026-05-04", 1800, 2, map[string]Tally{"violin": {1200, 1}, "piano": {600, 1}}), // Monday
		day("2026-05-05", 300, 0, map[string]Tally{"violin": {300, 0}}),                      // tail of a session from the 4th
		day("2026-05-06", 0, 1, map[string]Tally{"violin": {0, 1}}),                          // analysed to no play: not a practice day
		day("2026-05-09", 900, 1, map[string]Tally{"custom:hang_drum": {900, 1}}),            // Saturday
		day("2026-05-10", 1200, 1, map[string]Tally{"violin": {1200, 1}}),                    // Sunday, today
	}
	st, err := Compute(Week, today, days)
	if err != nil {
		t.Fatal(err)
	}
	if st.From != "2026-05-04" || st.To != today || st.TotalPracticeSeconds != 4200 || st.Sessions != 5 ||
		st.PracticeDays != 4 || st.AverageSessionSeconds != 840 || st.AveragePracticeDaySeconds != 1050 ||
		st.CurrentStreakDays != 2 || st.LongestStreakDays != 3 {
		t.Fatalf("week: %+v", st)
	}
	wantInst := []InstrumentTally{{"violin", Tally{2700, 3}}, {"custom:hang_drum", Tally{900, 1}}, {"piano", Tally{600, 1}}}
	if !slices.Equal(st.ByInstrument, wantInst) {
		t.Fatalf("by instrument: %+v", st.ByInstrument)
	}
	wantWD := []WeekdayTally{{"monday", Tally{1800, 2}}, {"tuesday", Tally{300, 0}}, {"wednesday", Tally{0, 1}},
		{"thursday", Tally{}}, {"friday", Tally{}}, {"saturday", Tally{900, 1}}, {"sunday", Tally{1200, 1}}}
	if !slices.Equal(st.ByWeekday, wantWD) {
		t.Fatalf("by weekday: %+v", st.ByWeekday)
	}

	month, err := Compute(Month, today, days)
	if err != nil || month.From != "2026-04-11" || month.TotalPracticeSeconds != 4800 || month.Sessions != 6 {
		t.Fatalf("month: %+v, %v", month, err)
	}
	all, err := Compute(All, today, days)
	if err != nil || all.From != "2026-04-01" || all.TotalPracticeSeconds != 5800 || all.Sessions != 7 ||
		all.AverageSessionSeconds != 829 || all.ByWeekday[6].Tally != (Tally{1800, 2}) || all.LongestStreakDays != 3 {
		t.Fatalf("all: %+v, %v", all, err)
	}
	if all.ByInstrument[0] != (InstrumentTally{"violin", Tally{3300, 4}}) || all.ByInstrument[1] != (InstrumentTally{"piano", Tally{1600, 2}}) {
		t.Fatalf("all by instrument: %+v", all.ByInstrument)
	}
}

func TestComputeEmptyAndBad(t *testing.T) {
	st, err := Compute(Year, "2026-05-10", nil)
	if err != nil || st.TotalPracticeSeconds != 0 || st.AverageSessionSeconds != 0 || st.ByInstrument == nil ||
		len(st.ByInstrument) != 0 || len(st.ByWeekday) != 7 || st.CurrentStreakDays != 0 {
		t.Fatalf("empty: %+v, %v", st, err)
	}
	if _, err := Compute("fortnight", "2026-05-10", nil); !errors.Is(err, ErrBadPeriod) {
		t.Errorf("bad period: %v", err)
	}
	if _, err := Compute(Week, "10/05/2026", nil); !errors.Is(err, practice.ErrBadDate) {
		t.Errorf("bad today: %v", err)
	}
	if _, err := Compute(Week, "2026-05-10", []Day{{Date: "bad"}}); !errors.Is(err, practice.ErrBadDate) {
		t.Errorf("bad day: %v", err)
	}
}

func TestCalendarDays(t *testing.T) {
	r, err := practice.ParseDateRange("2026-02-27", "2026-03-02", practice.MaxRangeDays)
	if err != nil {
		t.Fatal(err)
	}
	days := []Day{day("2026-02-26", 50, 1, nil), day("2026-02-28", 600, 2, nil), day("2026-03-02", 60, 1, nil)}
	got := CalendarDays(r, days)
	want := []CalendarDay{{"2026-02-27", 0, 0}, {"2026-02-28", 600, 2}, {"2026-03-01", 0, 0}, {"2026-03-02", 60, 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	full, _ := practice.ParseDateRange("2024-01-01", "2024-12-31", practice.MaxRangeDays)
	if n := len(CalendarDays(full, nil)); n != 366 {
		t.Fatalf("a leap year has %d calendar days", n)
	}
}

func TestDashboardRange(t *testing.T) {
	tests := []struct{ today, from string }{
		{"2026-05-10", "2026-02-16"}, // Sunday: this week began Monday 05-04
		{"2026-05-04", "2026-02-16"}, // Monday
		{"2026-05-11", "2026-02-23"},
	}
	for _, tc := range tests {
		r, err := DashboardRange(tc.today)
		if err != nil || r.From != tc.from || r.To != tc.today || weekdayIndex(r.From) != 0 {
			t.Errorf("DashboardRange(%s) = %+v, %v; want from %s", tc.today, r, err, tc.from)
		}
		if n := r.Days(); n < 7*(DashboardWeeks-1)+1 || n > 7*DashboardWeeks {
			t.Errorf("DashboardRange(%s) has %d days", tc.today, n)
		}
	}
	if _, err := DashboardRange(""); err == nil {
		t.Error("DashboardRange of an empty date succeeded")
	}
}

func TestResponseJSON(t *testing.T) {
	st, err := Compute(Week, "2026-05-10", []Day{day("2026-05-10", 60, 1, map[string]Tally{"piano": {60, 1}})})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{`"total_practice_seconds":60`, `"sessions":1`, `"current_streak_days":1`,
		`"longest_streak_days":1`, `"average_session_seconds":60`,
		`"by_instrument":[{"instrument":"piano","practice_seconds":60,"sessions":1}]`,
		`"by_weekday":[{"weekday":"monday","practice_seconds":0,"sessions":0}`} {
		if !strings.Contains(js, want) {
			t.Errorf("statistics JSON lacks %s: %s", want, js)
		}
	}
	cal := Calendar{TimeZone: "Asia/Seoul", Days: CalendarDays(practice.DateRange{From: "2026-05-10", To: "2026-05-10"}, nil)}
	b, _ = json.Marshal(cal)
	if string(b) != `{"time_zone":"Asia/Seoul","days":[{"date":"2026-05-10","practice_seconds":0,"sessions":0}]}` {
		t.Errorf("calendar JSON = %s", b)
	}
}

// TestStreaksMatchNaiveCount compares Streaks with walking day by day from today backwards.
func TestStreaksMatchNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const today = "2026-05-10"
	for i := 0; i < 500; i++ {
		set := map[string]bool{}
		var dates []string
		for range rng.IntN(40) {
			d := practice.AddDays(today, -rng.IntN(30)+rng.IntN(2))
			set[d] = true
			dates = append(dates, d)
		}
		wantCur := 0
		from := today
		if !set[today] {
			from = practice.AddDays(today, -1)
		}
		for d := from; set[d]; d = practice.AddDays(d, -1) {
			wantCur++
		}
		wantLong := 0
		for d := practice.AddDays(today, -40); d <= practice.AddDays(today, 2); d = practice.AddDays(d, 1) {
			run := 0
			for e := d; set[e]; e = practice.AddDays(e, 1) {
				run++
			}
			wantLong = max(wantLong, run)
		}
		cur, long, err := Streaks(dates, today)
		if err != nil || cur != wantCur || long != wantLong {
			t.Fatalf("Streaks(%v) = %d, %d, %v; want %d, %d", dates, cur, long, err, wantCur, wantLong)
		}
	}
}
