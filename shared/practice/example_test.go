package practice_test

import (
	"fmt"
	"time"

	"woodshed/shared/practice"
	"woodshed/shared/timezone"
)

func ExampleSplitByLocalDay() {
	ny, _ := timezone.Load("America/New_York")
	// 23:00 EST on 7 March 2026 to 04:00 EDT on the 8th: clocks jump forward at 02:00.
	start := time.Date(2026, 3, 8, 4, 0, 0, 0, time.UTC)
	for _, p := range practice.SplitByLocalDay(start, start.Add(4*time.Hour), ny) {
		fmt.Println(p.Date, time.Duration(p.Seconds)*time.Second)
	}
	// Output:
	// 2026-03-07 1h0m0s
	// 2026-03-08 3h0m0s
}
