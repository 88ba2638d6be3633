package practice

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"woodshed/shared/instrument"
	"woodshed/shared/valid"
)

// DateLayout is the layout of local dates.
const DateLayout = "2006-01-02"

// MaxRangeDays is the longest calendar range a query may ask for.
const MaxRangeDays = 366

// Errors of date and query parsing.
var (
	ErrBadDate       = errors.New("date must be YYYY-MM-DD")
	ErrRangeReversed = errors.New("from must not be after to")
	ErrRangeTooLong  = errors.New("to is too far after from")
	ErrBadLimit      = errors.New("limit must be a whole number from 1 to 100")
)

// DateOf is the local date of t in loc (UTC when nil).
func DateOf(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return formatDate(y, m, d)
}

// ParseDate parses a YYYY-MM-DD date strictly and returns its midnight in UTC, which is safe for
// day arithmetic.
func ParseDate(s string) (time.Time, error) {
	// By hand rather than time.Parse: statistics parse thousands of dates per request.
	y, okY := digits(s, 0, 4)
	m, okM := digits(s, 5, 7)
	d, okD := digits(s, 8, 10)
	if len(s) != len(DateLayout) || s[4] != '-' || s[7] != '-' || !okY || !okM || !okD || m < 1 || m > 12 || d < 1 {
		return time.Time{}, fmt.Errorf("%w, not %q", ErrBadDate, s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2026-02-30 would roll over into March
		return time.Time{}, fmt.Errorf("%w, not %q", ErrBadDate, s)
	}
	return t, nil
}

// digits parses s[i:j] as a decimal number of exactly j−i digits.
func digits(s string, i, j int) (int, bool) {
	if len(s) < j {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s[i:j]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// formatDate writes YYYY-MM-DD without the cost of time.Format; years are 0…9999 here.
func formatDate(y int, m time.Month, d int) string {
	b := [10]byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// AddDays returns the date n days after date (before for negative n); date must be valid.
func AddDays(date string, n int) string {
	t, err := ParseDate(date)
	if err != nil {
		panic("practice.AddDays: " + err.Error())
	}
	return formatDate(t.AddDate(0, 0, n).Date())
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
// range or one of more than maxDays days (counting both ends). Errors are valid.Errors.
func ParseDateRange(from, to string, maxDays int) (DateRange, error) {
	var c valid.Collector
	f, errF := ParseDate(from)
	c.Add("from", errF)
	t, errT := ParseDate(to)
	c.Add("to", errT)
	if err := c.Err(); err != nil {
		return DateRange{}, err
	}
	if t.Before(f) {
		return DateRange{}, valid.Field("from", fmt.Errorf("%w (%s to %s)", ErrRangeReversed, from, to))
	}
	r := DateRange{From: from, To: to}
	if n := r.Days(); n > maxDays {
		return DateRange{}, valid.Field("to", fmt.Errorf("%w: %d days asked, at most %d", ErrRangeTooLong, n, maxDays))
	}
	return r, nil
}

// Days is the number of dates in the range.
func (r DateRange) Days() int { return DaysBetween(r.From, r.To) + 1 }

// Dates lists every date of the range in order.
func (r DateRange) Dates() []string {
	n := r.Days()
	out := make([]string, 0, n)
	from, _ := ParseDate(r.From)
	for i := range n {
		out = append(out, formatDate(from.AddDate(0, 0, i).Date()))
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
// loc, each optional and inclusive. Errors are valid.Errors.
func ParseListQuery(limit, cursor, from, to, inst string, loc *time.Location) (ListQuery, error) {
	q := ListQuery{Limit: DefaultListLimit, Cursor: cursor}
	if limit = strings.TrimSpace(limit); limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxListLimit {
			return ListQuery{}, valid.Field("limit", fmt.Errorf("%w, not %q", ErrBadLimit, limit))
		}
		q.Limit = n
	}
	if from != "" {
		t, err := StartOfDay(from, loc)
		if err != nil {
			return ListQuery{}, valid.Field("from", err)
		}
		q.From = t
	}
	if to != "" {
		if _, err := ParseDate(to); err != nil {
			return ListQuery{}, valid.Field("to", err)
		}
		if from != "" && to < from {
			return ListQuery{}, valid.Field("from", fmt.Errorf("%w (%s to %s)", ErrRangeReversed, from, to))
		}
		t, err := StartOfDay(AddDays(to, 1), loc)
		if err != nil {
			return ListQuery{}, valid.Field("to", err)
		}
		q.To = t
	}
	if inst != "" {
		id, err := instrument.Parse(inst)
		if err != nil {
			return ListQuery{}, valid.Field("instrument", err)
		}
		q.Instrument = id
	}
	return q, nil
}
