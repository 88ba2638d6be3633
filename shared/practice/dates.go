package practice

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"woodshed/shared/instrument"
)

// DateLayout is the layout of local dates.
const DateLayout = "2006-01-02"

// MaxRangeDays is the longest calendar range a query may ask for.
const MaxRangeDays = 366

// Errors of date and query parsing.
var (
	ErrBadDate       = errors.New("date must be YYYY-MM-DD")
	ErrRangeReversed = errors.New("from must not be after to")
	ErrRangeTooLong  = errors.New("date range is too long")
	ErrBadLimit      = errors.New("limit must be a whole number from 1 to 100")
)

// DateOf is the local date of t in loc (UTC when nil).
func DateOf(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(DateLayout)
}

// ParseDate parses a YYYY-MM-DD date strictly and returns its midnight in UTC, which is safe for
// day arithmetic.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || len(s) != len(DateLayout) {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrBadDate)
	}
	return t, nil
}

// AddDays returns the date n days after date (before for negative n); date must be valid.
func AddDays(date string, n int) string {
	t, err := ParseDate(date)
	if err != nil {
		panic("practice.AddDays: " + err.Error())
	}
	return t.AddDate(0, 0, n).Format(DateLayout)
}

// DaysBetween is the number of days from a to b (negative when b is earlier); both must be valid.
func DaysBetween(a, b string) int {
	ta, errA := ParseDate(a)
	tb, errB := ParseDate(b)
	if errA != nil || errB != nil {
		panic(fmt.Sprintf("practice.DaysBetween(%q, %q): bad date", a, b))
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// StartOfDay is the first instant of a local date in loc. When midnight does not exist there (a
// DST change at 00:00), it is the first instant that does.
func StartOfDay(date string, loc *time.Location) (time.Time, error) {
	d, err := ParseDate(date)
	if err != nil {
		return time.Time{}, err
	}
	if loc == nil {
		loc = time.UTC
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	// In a gap, time.Date may answer with an instant on the previous day; the day then begins
	// where that zone period ends.
	for i := 0; i < 2 && DateOf(t, loc) < date; i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		t = end
	}
	return t, nil
}

// DateRange is an inclusive range of local dates.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParseDateRange parses from and to (both YYYY-MM-DD, both required) and refuses a reversed
// range or one of more than maxDays days (counting both ends).
func ParseDateRange(from, to string, maxDays int) (DateRange, error) {
	f, err := ParseDate(from)
	if err != nil {
		return DateRange{}, fmt.Errorf("from: %w", err)
	}
	t, err := ParseDate(to)
	if err != nil {
		return DateRange{}, fmt.Errorf("to: %w", err)
	}
	if t.Before(f) {
		return DateRange{}, fmt.Errorf("%s to %s: %w", from, to, ErrRangeReversed)
	}
	r := DateRange{From: from, To: to}
	if n := r.Days(); n > maxDays {
		return DateRange{}, fmt.Errorf("%d days, at most %d: %w", n, maxDays, ErrRangeTooLong)
	}
	return r, nil
}

// Days is the number of dates in the range.
func (r DateRange) Days() int { return DaysBetween(r.From, r.To) + 1 }

// Dates lists every date of the range in order.
func (r DateRange) Dates() []string {
	out := make([]string, 0, r.Days())
	for d := r.From; d <= r.To; d = AddDays(d, 1) {
		out = append(out, d)
	}
	return out
}

// Contains reports whether date lies in the range (YYYY-MM-DD strings order like dates).
func (r DateRange) Contains(date string) bool { return r.From <= date && date <= r.To }

// Bounds are the instants [start, end) the range covers in loc: from the first instant of From to
// the first instant of the day after To.
func (r DateRange) Bounds(loc *time.Location) (start, end time.Time, err error) {
	if start, err = StartOfDay(r.From, loc); err != nil {
		return
	}
	end, err = StartOfDay(AddDays(r.To, 1), loc)
	return
}

// List limits.
const (
	DefaultListLimit = 20
	MaxListLimit     = 100
)

// ListQuery is a parsed GET /practice/sessions query: sessions whose start time lies in
// [From, To) (zero means open), newest first, at most Limit, after the store's opaque Cursor.
type ListQuery struct {
	Limit      int
	Cursor     string
	From, To   time.Time
	Instrument string
}

// ParseListQuery parses the query parameters of a session list. from and to are local dates of
// loc, each optional and inclusive.
func ParseListQuery(limit, cursor, from, to, inst string, loc *time.Location) (ListQuery, error) {
	q := ListQuery{Limit: DefaultListLimit, Cursor: cursor}
	if limit = strings.TrimSpace(limit); limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxListLimit {
			return ListQuery{}, fmt.Errorf("limit %q: %w", limit, ErrBadLimit)
		}
		q.Limit = n
	}
	if from != "" {
		t, err := StartOfDay(from, loc)
		if err != nil {
			return ListQuery{}, fmt.Errorf("from: %w", err)
		}
		q.From = t
	}
	if to != "" {
		if _, err := ParseDate(to); err != nil {
			return ListQuery{}, fmt.Errorf("to: %w", err)
		}
		if from != "" && to < from {
			return ListQuery{}, fmt.Errorf("%s to %s: %w", from, to, ErrRangeReversed)
		}
		t, err := StartOfDay(AddDays(to, 1), loc)
		if err != nil {
			return ListQuery{}, fmt.Errorf("to: %w", err)
		}
		q.To = t
	}
	if inst != "" {
		id, err := instrument.Parse(inst)
		if err != nil {
			return ListQuery{}, fmt.Errorf("instrument: %w", err)
		}
		q.Instrument = id
	}
	return q, nil
}
