package stats

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"woodshed/shared/practice"
	"woodshed/shared/timezone"
)

// Tally is practice seconds and a session count.
type Tally struct {
	PracticeSeconds int `json:"practice_seconds"`
	Sessions        int `json:"sessions"`
}

// Add returns t + o.
func (t Tally) Add(o Tally) Tally {
	return Tally{t.PracticeSeconds + o.PracticeSeconds, t.Sessions + o.Sessions}
}

// Neg returns −t.
func (t Tally) Neg() Tally { return Tally{-t.PracticeSeconds, -t.Sessions} }

// IsZero reports whether both counts are zero.
func (t Tally) IsZero() bool { return t == Tally{} }

// InstrumentTally is a tally of one instrument.
type InstrumentTally struct {
	Instrument string `json:"instrument"`
	Tally
}

// Contribution is what one session adds to its user's aggregates. The zero value is the
// contribution of an active or deleted session. It is plain data, meant to be stored on the
// session item (see the package doc).
type Contribution struct {
	Instrument  string                `json:"instrument,omitempty"`
	SessionDate string                `json:"session_date,omitempty"` // local date counting the session; "" for none
	Days        []practice.DayPortion `json:"days,omitempty"`
}

// IsZero reports whether c adds nothing.
func (c Contribution) IsZero() bool { return c.SessionDate == "" && len(c.Days) == 0 }

// Total is the lifetime tally c adds.
func (c Contribution) Total() Tally {
	t := Tally{}
	if c.SessionDate != "" {
		t.Sessions = 1
	}
	for _, p := range c.Days {
		t.PracticeSeconds += p.Seconds
	}
	return t
}

// ContributionOf is the contribution of a session in its recorded zone (Session.TimeZone). An
// active session contributes nothing.
func ContributionOf(s practice.Session) (Contribution, error) {
	if !s.Ended() {
		return Contribution{}, nil
	}
	loc, err := timezone.Load(s.TimeZone)
	if err != nil {
		return Contribution{}, fmt.Errorf("session %s: %w", s.SessionID, err)
	}
	return ContributionIn(s, loc), nil
}

// ContributionIn is the contribution of a session on the days of loc.
func ContributionIn(s practice.Session, loc *time.Location) Contribution {
	if !s.Ended() {
		return Contribution{}
	}
	return Contribution{
		Instrument:  s.Instrument,
		SessionDate: practice.DateOf(s.StartTime, loc),
		Days:        practice.PlayByLocalDay(s, loc),
	}
}

// DayDelta is the change of one daily item: its totals and its per-instrument tallies.
type DayDelta struct {
	Date string `json:"date"`
	Tally
	Instruments []InstrumentTally `json:"instruments"`
}

// Delta is the change to a user's aggregates: daily items (by date), lifetime totals and lifetime
// per-instrument totals. Entries that do not change are left out; lists are sorted.
type Delta struct {
	Days        []DayDelta        `json:"days"`
	Total       Tally             `json:"total"`
	Instruments []InstrumentTally `json:"instruments"`
}

// IsZero reports whether d changes nothing.
func (d Delta) IsZero() bool { return len(d.Days) == 0 && len(d.Instruments) == 0 && d.Total.IsZero() }

type dayInst struct{ date, inst string }

// Diff is the delta that turns the aggregates holding old into those holding new.
func Diff(old, new Contribution) Delta {
	cells := map[dayInst]Tally{}
	add := func(c Contribution, sign int) {
		if c.SessionDate != "" {
			k := dayInst{c.SessionDate, c.Instrument}
			cells[k] = cells[k].Add(Tally{Sessions: sign})
		}
		for _, p := range c.Days {
			k := dayInst{p.Date, c.Instrument}
			cells[k] = cells[k].Add(Tally{PracticeSeconds: sign * p.Seconds})
		}
	}
	add(old, -1)
	add(new, +1)

	days := map[string]*DayDelta{}
	insts := map[string]Tally{}
	var d Delta
	for k, t := range cells {
		if t.IsZero() {
			continue
		}
		dd := days[k.date]
		if dd == nil {
			dd = &DayDelta{Date: k.date}
			days[k.date] = dd
		}
		dd.Tally = dd.Tally.Add(t)
		dd.Instruments = append(dd.Instruments, InstrumentTally{k.inst, t})
		insts[k.inst] = insts[k.inst].Add(t)
		d.Total = d.Total.Add(t)
	}
	for _, date := range slices.Sorted(maps.Keys(days)) {
		dd := days[date]
		slices.SortFunc(dd.Instruments, byInstrumentID)
		d.Days = append(d.Days, *dd)
	}
	for _, id := range slices.Sorted(maps.Keys(insts)) {
		if t := insts[id]; !t.IsZero() {
			d.Instruments = append(d.Instruments, InstrumentTally{id, t})
		}
	}
	return d
}

func byInstrumentID(a, b InstrumentTally) int { return cmp.Compare(a.Instrument, b.Instrument) }

// Day is one daily aggregate item.
type Day struct {
	Date string `json:"date"`
	Tally
	Instruments map[string]Tally `json:"instruments,omitempty"`
}

// Aggregates are a user's aggregates held in memory: what the store keeps, for tests, repairs
// and computing from sessions.
type Aggregates struct {
	Days        map[string]Day
	Total       Tally
	Instruments map[string]Tally
}

// NewAggregates returns empty aggregates.
func NewAggregates() *Aggregates {
	return &Aggregates{Days: map[string]Day{}, Instruments: map[string]Tally{}}
}

// Apply adds d. Entries that come to zero are removed, as the store may remove zero items.
func (a *Aggregates) Apply(d Delta) {
	for _, dd := range d.Days {
		day := a.Days[dd.Date]
		day.Date = dd.Date
		day.Tally = day.Tally.Add(dd.Tally)
		for _, it := range dd.Instruments {
			if day.Instruments == nil {
				day.Instruments = map[string]Tally{}
			}
			addTo(day.Instruments, it.Instrument, it.Tally)
		}
		if day.Tally.IsZero() && len(day.Instruments) == 0 {
			delete(a.Days, dd.Date)
		} else {
			a.Days[dd.Date] = day
		}
	}
	a.Total = a.Total.Add(d.Total)
	for _, it := range d.Instruments {
		addTo(a.Instruments, it.Instrument, it.Tally)
	}
}

func addTo(m map[string]Tally, k string, t Tally) {
	if v := m[k].Add(t); v.IsZero() {
		delete(m, k)
	} else {
		m[k] = v
	}
}

// IsZero reports whether the aggregates hold nothing.
func (a *Aggregates) IsZero() bool {
	return len(a.Days) == 0 && len(a.Instruments) == 0 && a.Total.IsZero()
}

// DayList returns the daily items in date order.
func (a *Aggregates) DayList() []Day {
	out := make([]Day, 0, len(a.Days))
	for _, date := range slices.Sorted(maps.Keys(a.Days)) {
		out = append(out, a.Days[date])
	}
	return out
}

// FromSessions computes aggregates from scratch, each session in its recorded zone: the reference
// the incremental updates must agree with, and a way to rebuild them.
func FromSessions(sessions []practice.Session) (*Aggregates, error) {
	a := NewAggregates()
	for _, s := range sessions {
		c, err := ContributionOf(s)
		if err != nil {
			return nil, err
		}
		a.Apply(Diff(Contribution{}, c))
	}
	return a, nil
}
