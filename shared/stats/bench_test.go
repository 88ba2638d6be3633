package stats

import (
	"testing"

	"woodshed/shared/practice"
)

// tenYears is the daily items of a musician who practised most days for ten years.
func tenYears() []Day {
	var days []Day
	d := "2016-05-11"
	for i := range 3650 {
		if i%5 != 4 {
			days = append(days, Day{Date: d, Tally: Tally{3600, 2},
				Instruments: map[string]Tally{"violin": {2400, 1}, "piano": {1200, 1}}})
		}
		d = practice.AddDays(d, 1)
	}
	return days
}

func BenchmarkComputeAllTenYears(b *testing.B) {
	days := tenYears()
	b.ReportMetric(float64(len(days)), "days")
	for b.Loop() {
		if _, err := Compute(All, "2026-05-10", days); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalendarYear(b *testing.B) {
	days := tenYears()
	r, _ := practice.ParseDateRange("2025-05-11", "2026-05-11", practice.MaxRangeDays)
	for b.Loop() {
		CalendarDays(r, days)
	}
}

func BenchmarkDiff(b *testing.B) {
	old := Contribution{Instrument: "violin", SessionDate: "2026-05-01",
		Days: []practice.DayPortion{{Date: "2026-05-01", Seconds: 1800}, {Date: "2026-05-02", Seconds: 5400}}}
	new := old
	new.Days = []practice.DayPortion{{Date: "2026-05-01", Seconds: 600}, {Date: "2026-05-02", Seconds: 3000}}
	for b.Loop() {
		Diff(old, new)
	}
}
