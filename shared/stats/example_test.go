package stats_test

import (
	"fmt"

	"woodshed/shared/practice"
	"woodshed/shared/stats"
)

// A session first counted by wall clock is analysed: the delta moves only the play seconds.
func ExampleDiff() {
	ended := stats.Contribution{Instrument: "violin", SessionDate: "2026-05-01",
		Days: []practice.DayPortion{{Date: "2026-05-01", Seconds: 1800}, {Date: "2026-05-02", Seconds: 5400}}}
	analysed := stats.Contribution{Instrument: "violin", SessionDate: "2026-05-01",
		Days: []practice.DayPortion{{Date: "2026-05-01", Seconds: 600}, {Date: "2026-05-02", Seconds: 3000}}}
	d := stats.Diff(ended, analysed)
	for _, day := range d.Days {
		fmt.Println(day.Date, day.PracticeSeconds, day.Sessions)
	}
	fmt.Println("total", d.Total.PracticeSeconds, d.Total.Sessions)
	fmt.Println("retry is empty:", stats.Diff(analysed, analysed).IsZero())
	// Output:
	// 2026-05-01 -1200 0
	// 2026-05-02 -2400 0
	// total -3600 0
	// retry is empty: true
}
