package practice

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// DayPortion is the part of a session's seconds that falls on one local day.
type DayPortion struct {
	Date    string `json:"date"` // YYYY-MM-DD in the session's zone
	Seconds int    `json:"seconds"`
}

// SplitByLocalDay splits [start, end) at the local midnights of loc (UTC when nil) and returns the
// whole seconds of each day, in date order, without empty days. The seconds add up to the span
// rounded to the second. It follows the zone's real offsets, so a day of a DST change has 23 or 25
// hours, and a zone whose midnight is skipped starts its day at the first instant that exists.
func SplitByLocalDay(start, end time.Time, loc *time.Location) []DayPortion {
	w := weights{}
	w.addSpan(start, end, loc)
	total := end.Sub(start).Round(time.Second)
	if total <= 0 {
		return nil
	}
	return w.distribute(int(total / time.Second))
}

// PlayByLocalDay is how a session's practice seconds fall on the days of its zone: by its timeline
// when analysed (each day gets the play time that happened on it), else by wall-clock time. The
// portions add up to PracticeSeconds(s) exactly. Sessions that have not ended give nil.
func PlayByLocalDay(s Session, loc *time.Location) []DayPortion {
	if s.EndTime == nil {
		return nil
	}
	total := PracticeSeconds(s)
	if total <= 0 {
		return nil
	}
	w := weights{}
	if s.Analysed() {
		for _, g := range NormalizeTimeline(s.Timeline, float64(s.DurationSeconds)) {
			w.addSpan(s.StartTime.Add(seconds(g.StartS)), s.StartTime.Add(seconds(g.EndS)), loc)
		}
	}
	if len(w) == 0 { // not analysed, or play time without a timeline: spread over the wall clock
		w.addSpan(s.StartTime, *s.EndTime, loc)
	}
	if len(w) == 0 { // a zero-length session with play time cannot happen; count it on its start day
		w[DateOf(s.StartTime, loc)] = 1
	}
	return w.distribute(total)
}

// weights is time per local date.
type weights map[string]time.Duration

// addSpan adds [start, end) to the dates of loc. Within one zone period the offset is fixed, so
// the next midnight is found by arithmetic; ZoneBounds gives where the period ends.
func (w weights) addSpan(start, end time.Time, loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	for cur := start; cur.Before(end); {
		lt := cur.In(loc)
		_, off := lt.Zone()
		_, zoneEnd := lt.ZoneBounds()
		y, m, d := lt.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(off) * time.Second)
		if !zoneEnd.IsZero() && zoneEnd.Before(next) {
			next = zoneEnd
		}
		if end.Before(next) {
			next = end
		}
		w[formatDate(y, m, d)] += next.Sub(cur)
		cur = next
	}
}

// distribute shares total seconds over the dates in proportion to their weights by the largest
// remainder method, so the parts are whole and add up to total; ties go to the earlier date.
func (w weights) distribute(total int) []DayPortion {
	dates := make([]string, 0, len(w))
	var sum uint64
	for d, v := range w {
		if v > 0 {
			dates = append(dates, d)
			sum += uint64(v)
		}
	}
	if sum == 0 || total <= 0 {
		return nil
	}
	slices.Sort(dates)
	type share struct {
		i   int
		rem uint64
	}
	out := make([]DayPortion, len(dates))
	rems := make([]share, len(dates))
	given := 0
	for i, d := range dates {
		hi, lo := bits.Mul64(uint64(total), uint64(w[d]))
		q, r := bits.Div64(hi, lo, sum) // q ≤ total, so no overflow
		out[i] = DayPortion{Date: d, Seconds: int(q)}
		rems[i] = share{i, r}
		given += int(q)
	}
	slices.SortStableFunc(rems, func(a, b share) int { return cmp.Compare(b.rem, a.rem) })
	for k := 0; given < total; k++ {
		out[rems[k].i].Seconds++
		given++
	}
	return slices.DeleteFunc(out, func(p DayPortion) bool { return p.Seconds == 0 })
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
