package stats

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"woodshed/shared/practice"
	"woodshed/shared/valid"
)

// Period is the span statistics cover.
type Period string

// The periods; see the package doc for what each covers.
const (
	Week  Period = "week"
	Month Period = "month"
	Year  Period = "year"
	All   Period = "all"
)

// ErrBadPeriod is returned for a period other than week, month, year or all.
var ErrBadPeriod = errors.New("period must be week, month, year or all")

// ParsePeriod parses a period; the empty string is All. The error is a valid.Errors.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(strings.ToLower(strings.TrimSpace(s))); p {
	case Week, Month, Year, All:
		return p, nil
	case "":
		return All, nil
	}
	return "", valid.Field("period", fmt.Errorf("%w, not %q", ErrBadPeriod, s))
}

// Days is the period's length in days, 0 for All.
func (p Period) Days() int {
	switch p {
	case Week:
		return 7
	case Month:
		return 30
	case Year:
		return 365
	}
	return 0
}

// Range is the dates the period covers when today is today; ok is false for All, which covers
// every date.
func (p Period) Range(today string) (r practice.DateRange, ok bool) {
	n := p.Days()
	if n == 0 {
		return practice.DateRange{}, false
	}
	return practice.DateRange{From: practice.AddDays(today, 1-n), To: today}, true
}

// Streaks returns the current and longest streak of consecutive practice dates (see the package
// doc). Dates may repeat and come in any order; dates after today (possible after the user moves
// to a zone further west) count only towards the longest streak.
func Streaks(practiceDates []string, today string) (current, longest int, err error) {
	todayN, err := dayNumber(today)
	if err != nil {
		return 0, 0, fmt.Errorf("today: %w", err)
	}
	days := make([]int, 0, len(practiceDates))
	for _, d := range practiceDates {
		n, err := dayNumber(d)
		if err != nil {
			return 0, 0, err
		}
		days = append(days, n)
	}
	slices.Sort(days)
	days = slices.Compact(days)

	run := 0
	for i, n := range days {
		if i > 0 && n == days[i-1]+1 {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
		// The run that reaches yesterday, replaced by the one reaching today when there is practice
		// today (dates are sorted, so today comes later).
		if n == todayN-1 || n == todayN {
			current = run
		}
	}
	return current, longest, nil
}

func dayNumber(date string) (int, error) {
	t, err := practice.ParseDate(date)
	if err != nil {
		return 0, err
	}
	return int(t.Unix() / 86400), nil
}

// PracticeDates lists the dates of days with practice seconds, in date order.
func PracticeDates(days []Day) []string {
	out := make([]string, 0, len(days))
	for _, d := range days {
		if d.PracticeSeconds > 0 {
			out = append(out, d.Date)
		}
	}
	slices.Sort(out)
	return out
}

// WeekdayTally is the tally of one weekday.
type WeekdayTally struct {
	Weekday string `json:"weekday"` // "monday" … "sunday"
	Tally
}

// Statistics is the GET /users/{user_id}/statistics response.
type Statistics struct {
	Period                    Period            `json:"period"`
	From                      string            `json:"from,omitempty"` // first date covered; for all, the first with data
	To                        string            `json:"to"`             // today
	TotalPracticeSeconds      int               `json:"total_practice_seconds"`
	Sessions                  int               `json:"sessions"`
	PracticeDays              int               `json:"practice_days"`
	CurrentStreakDays         int               `json:"current_streak_days"`
	LongestStreakDays         int               `json:"longest_streak_days"`
	AverageSessionSeconds     int               `json:"average_session_seconds"`
	AveragePracticeDaySeconds int               `json:"average_practice_day_seconds"`
	ByInstrument              []InstrumentTally `json:"by_instrument"`
	ByWeekday                 []WeekdayTally    `json:"by_weekday"`
}

// Compute works out the statistics of a period from the user's daily items. days must hold every
// day with practice, not only those of the period, because streaks look at all of them; today is
// the local date now in the user's current zone.
func Compute(p Period, today string, days []Day) (Statistics, error) {
	if _, err := practice.ParseDate(today); err != nil {
		return Statistics{}, fmt.Errorf("today: %w", err)
	}
	if p == "" {
		p = All
	} else if _, err := ParsePeriod(string(p)); err != nil {
		return Statistics{}, err
	}
	st := Statistics{Period: p, To: today}
	r, bounded := p.Range(today)
	if bounded {
		st.From = r.From
	}

	insts := map[string]Tally{}
	var weekdays [7]Tally // Monday first
	var all []string
	for _, d := range days {
		if _, err := practice.ParseDate(d.Date); err != nil {
			return Statistics{}, fmt.Errorf("day item: %w", err)
		}
		if d.PracticeSeconds > 0 {
			all = append(all, d.Date)
		}
		if bounded && !r.Contains(d.Date) {
			continue
		}
		if !bounded && (st.From == "" || d.Date < st.From) && !d.Tally.IsZero() {
			st.From = d.Date
		}
		st.TotalPracticeSeconds += d.PracticeSeconds
		st.Sessions += d.Sessions
		if d.PracticeSeconds > 0 {
			st.PracticeDays++
		}
		for id, t := range d.Instruments {
			insts[id] = insts[id].Add(t)
		}
		wd := weekdayIndex(d.Date)
		weekdays[wd] = weekdays[wd].Add(d.Tally)
	}

	var err error
	if st.CurrentStreakDays, st.LongestStreakDays, err = Streaks(all, today); err != nil {
		return Statistics{}, err
	}
	st.AverageSessionSeconds = divRound(st.TotalPracticeSeconds, st.Sessions)
	st.AveragePracticeDaySeconds = divRound(st.TotalPracticeSeconds, st.PracticeDays)
	st.ByInstrument = rankInstruments(insts)
	st.ByWeekday = make([]WeekdayTally, 7)
	for i := range weekdays {
		st.ByWeekday[i] = WeekdayTally{Weekday: strings.ToLower(time.Weekday((i + 1) % 7).String()), Tally: weekdays[i]}
	}
	return st, nil
}

// rankInstruments orders instruments by practice seconds, then sessions, then id.
func rankInstruments(m map[string]Tally) []InstrumentTally {
	out := make([]InstrumentTally, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		if t := m[id]; !t.IsZero() {
			out = append(out, InstrumentTally{id, t})
		}
	}
	slices.SortStableFunc(out, func(a, b InstrumentTally) int {
		return cmp.Or(cmp.Compare(b.PracticeSeconds, a.PracticeSeconds), cmp.Compare(b.Sessions, a.Sessions))
	})
	return out
}

// weekdayIndex is 0 for Monday … 6 for Sunday; date must be valid.
func weekdayIndex(date string) int {
	t, _ := practice.ParseDate(date)
	return (int(t.Weekday()) + 6) % 7
}

// divRound is a/b rounded half up, 0 when b is 0 (counts are never negative here).
func divRound(a, b int) int {
	if b <= 0 {
		return 0
	}
	return (a + b/2) / b
}

// CalendarDay is one date of a calendar.
type CalendarDay struct {
	Date            string `json:"date"`
	PracticeSeconds int    `json:"practice_seconds"`
	Sessions        int    `json:"sessions"`
}

// Calendar is the GET /users/{user_id}/calendar response.
type Calendar struct {
	TimeZone string        `json:"time_zone"`
	Days     []CalendarDay `json:"days"`
}

// CalendarDays lists every date of r in order with its tally from days (zero when absent).
func CalendarDays(r practice.DateRange, days []Day) []CalendarDay {
	byDate := make(map[string]Tally, len(days))
	for _, d := range days {
		if r.Contains(d.Date) {
			byDate[d.Date] = byDate[d.Date].Add(d.Tally)
		}
	}
	dates := r.Dates()
	out := make([]CalendarDay, len(dates))
	for i, date := range dates {
		t := byDate[date]
		out[i] = CalendarDay{Date: date, PracticeSeconds: t.PracticeSeconds, Sessions: t.Sessions}
	}
	return out
}

// Dashboard constants.
const (
	DashboardWeeks          = 12
	DashboardRecentSessions = 5
)

// DashboardRange is the dashboard's calendar: from the Monday DashboardWeeks−1 weeks before this
// week's Monday, to today.
func DashboardRange(today string) (practice.DateRange, error) {
	if _, err := practice.ParseDate(today); err != nil {
		return practice.DateRange{}, fmt.Errorf("today: %w", err)
	}
	monday := practice.AddDays(today, -weekdayIndex(today))
	return practice.DateRange{From: practice.AddDays(monday, -7*(DashboardWeeks-1)), To: today}, nil
}
