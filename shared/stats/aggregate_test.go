package stats

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"woodshed/shared/practice"
)

func mustEnd(t testing.TB, s *practice.Session, at time.Time) {
	t.Helper()
	if _, err := practice.End(s, at, nil); err != nil {
		t.Fatal(err)
	}
}

func mustStart(t testing.TB, id, inst, tz string, analyze bool, at time.Time) practice.Session {
	t.Helper()
	s, err := practice.Start(practice.StartInput{SessionID: id, UserID: "u1", Instrument: inst, TimeZone: tz, Analyze: analyze}, at)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func contribution(t testing.TB, s practice.Session) Contribution {
	t.Helper()
	c, err := ContributionOf(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContributionAndDiff(t *testing.T) {
	// 23:30 → 01:30 in Seoul, recorded, then analysed with all play after midnight but 10 minutes.
	start := time.Date(2026, 5, 1, 14, 30, 0, 0, time.UTC)
	s := mustStart(t, "s1", "violin", "Asia/Seoul", true, start)
	if c := contribution(t, s); !c.IsZero() {
		t.Fatalf("active session contributes %+v", c)
	}
	mustEnd(t, &s, start.Add(2*time.Hour))
	ended := contribution(t, s)
	want := Contribution{Instrument: "violin", SessionDate: "2026-05-01",
		Days: []practice.DayPortion{{Date: "2026-05-01", Seconds: 1800}, {Date: "2026-05-02", Seconds: 5400}}}
	if !reflect.DeepEqual(ended, want) || ended.Total() != (Tally{7200, 1}) {
		t.Fatalf("ended contribution = %+v", ended)
	}

	d := Diff(Contribution{}, ended)
	wantD := Delta{
		Days: []DayDelta{
			{Date: "2026-05-01", Tally: Tally{1800, 1}, Instruments: []InstrumentTally{{"violin", Tally{1800, 1}}}},
			{Date: "2026-05-02", Tally: Tally{5400, 0}, Instruments: []InstrumentTally{{"violin", Tally{5400, 0}}}},
		},
		Total:       Tally{7200, 1},
		Instruments: []InstrumentTally{{"violin", Tally{7200, 1}}},
	}
	if !reflect.DeepEqual(d, wantD) {
		t.Fatalf("Diff(zero, ended) = %+v", d)
	}

	if err := practice.UpdateAnalysis(&s, []practice.Segment{{StartS: 1200, EndS: 1800}, {StartS: 1800, EndS: 4800}}, true); err != nil {
		t.Fatal(err)
	}
	analysed := contribution(t, s)
	d = Diff(ended, analysed)
	wantD = Delta{
		Days: []DayDelta{
			{Date: "2026-05-01", Tally: Tally{-1200, 0}, Instruments: []InstrumentTally{{"violin", Tally{-1200, 0}}}},
			{Date: "2026-05-02", Tally: Tally{-2400, 0}, Instruments: []InstrumentTally{{"violin", Tally{-2400, 0}}}},
		},
		Total:       Tally{-3600, 0},
		Instruments: []InstrumentTally{{"violin", Tally{-3600, 0}}},
	}
	if !reflect.DeepEqual(d, wantD) {
		t.Fatalf("Diff(ended, analysed) = %+v", d)
	}
	if !Diff(analysed, analysed).IsZero() || !Diff(Contribution{}, Contribution{}).IsZero() {
		t.Fatal("diff of equal contributions is not zero")
	}

	// Changing the instrument moves the tallies without changing day totals.
	moved := analysed
	moved.Instrument = "viola"
	d = Diff(analysed, moved)
	if len(d.Days) != 2 || !d.Days[0].Tally.IsZero() || len(d.Days[0].Instruments) != 2 || !d.Total.IsZero() || len(d.Instruments) != 2 {
		t.Fatalf("instrument change delta = %+v", d)
	}
}

func TestContributionUsesRecordedZone(t *testing.T) {
	// 20:00 UTC is 05:00 next day in Seoul and 16:00 the same day in New York.
	start := time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)
	seoul := mustStart(t, "a", "piano", "Asia/Seoul", false, start)
	mustEnd(t, &seoul, start.Add(time.Hour))
	ny := mustStart(t, "b", "piano", "America/New_York", false, start.Add(24*time.Hour))
	mustEnd(t, &ny, start.Add(25*time.Hour))

	if c := contribution(t, seoul); c.SessionDate != "2026-05-02" {
		t.Fatalf("Seoul session counts on %s", c.SessionDate)
	}
	if c := contribution(t, ny); c.SessionDate != "2026-05-02" {
		t.Fatalf("New York session counts on %s", c.SessionDate)
	}
	agg, err := FromSessions([]practice.Session{seoul, ny})
	if err != nil {
		t.Fatal(err)
	}
	if agg.Days["2026-05-02"].Tally != (Tally{7200, 2}) || len(agg.Days) != 1 {
		t.Fatalf("days = %+v", agg.Days)
	}
	bad := seoul
	bad.TimeZone = "Nowhere/Land"
	if _, err := ContributionOf(bad); err == nil {
		t.Fatal("a session with an unknown zone has a contribution")
	}
}

func TestDeltaJSON(t *testing.T) {
	b, err := json.Marshal(Diff(Contribution{}, Contribution{Instrument: "cello", SessionDate: "2026-05-01",
		Days: []practice.DayPortion{{Date: "2026-05-01", Seconds: 60}}}))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"days":[{"date":"2026-05-01","practice_seconds":60,"sessions":1,"instruments":[{"instrument":"cello","practice_seconds":60,"sessions":1}]}],"total":{"practice_seconds":60,"sessions":1},"instruments":[{"instrument":"cello","practice_seconds":60,"sessions":1}]}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

// memStore applies changes the way the package doc tells the store to: each session carries the
// contribution it was last counted with, and a change applies the diff from that.
type memStore struct {
	t        testing.TB
	agg      *Aggregates
	sessions map[string]practice.Session
	stored   map[string]Contribution
	writes   int
}

func newMemStore(t testing.TB) *memStore {
	return &memStore{t: t, agg: NewAggregates(), sessions: map[string]practice.Session{}, stored: map[string]Contribution{}}
}

func (m *memStore) save(s practice.Session) {
	c := contribution(m.t, s)
	if d := Diff(m.stored[s.SessionID], c); !d.IsZero() {
		m.agg.Apply(d)
		m.writes++
	}
	m.stored[s.SessionID] = c
	m.sessions[s.SessionID] = s
}

func (m *memStore) delete(id string) {
	m.agg.Apply(Diff(m.stored[id], Contribution{}))
	delete(m.stored, id)
	delete(m.sessions, id)
}

func (m *memStore) check(when string) {
	m.t.Helper()
	var list []practice.Session
	for _, s := range m.sessions {
		list = append(list, s)
	}
	want, err := FromSessions(list)
	if err != nil {
		m.t.Fatal(err)
	}
	if !reflect.DeepEqual(m.agg, want) {
		m.t.Fatalf("%s: incremental aggregates differ from recomputed ones\n got %+v\nwant %+v", when, m.agg, want)
	}
	checkConsistent(m.t, m.agg)
}

// checkConsistent asserts that daily items add up to the totals and instruments to their days.
func checkConsistent(t testing.TB, a *Aggregates) {
	t.Helper()
	var days Tally
	perInst := map[string]Tally{}
	for date, d := range a.Days {
		var insts Tally
		for id, it := range d.Instruments {
			insts = insts.Add(it)
			perInst[id] = perInst[id].Add(it)
		}
		if insts != d.Tally {
			t.Fatalf("day %s: instruments add to %+v, day says %+v", date, insts, d.Tally)
		}
		if d.PracticeSeconds < 0 || d.Sessions < 0 {
			t.Fatalf("day %s went negative: %+v", date, d.Tally)
		}
		days = days.Add(d.Tally)
	}
	if days != a.Total {
		t.Fatalf("days add to %+v, total says %+v", days, a.Total)
	}
	for id, v := range perInst {
		if a.Instruments[id] != v {
			t.Fatalf("instrument %s: days add to %+v, total says %+v", id, v, a.Instruments[id])
		}
	}
}

func TestAggregatesProperty(t *testing.T) {
	zones := []string{"UTC", "Asia/Seoul", "America/New_York", "Europe/Berlin", "Pacific/Chatham", "America/Santiago"}
	insts := []string{"violin", "piano", "custom:hang_drum", "voice"}
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		m := newMemStore(t)
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(300*24)) * time.Hour)
		for i := 0; i < 30; i++ {
			id := fmt.Sprintf("s%d", i)
			// The user's zone changes now and then; earlier sessions keep theirs.
			tz := zones[rng.IntN(len(zones))]
			inst := insts[rng.IntN(len(insts))]
			now = now.Add(time.Duration(rng.IntN(40*60)) * time.Minute)
			switch rng.IntN(3) {
			case 0: // manual entry
				length := time.Duration(1+rng.IntN(12*60)) * time.Minute
				start := now.Add(-length)
				s, err := practice.NewManual(practice.ManualInput{SessionID: id, Instrument: inst, TimeZone: tz,
					StartTime: start, EndTime: now}, now, nil)
				if err != nil {
					t.Fatal(err)
				}
				m.save(s)
				m.save(s) // a retried write counts nothing
			default: // live session, sometimes recorded and analysed, sometimes over 12 h
				analyze := rng.IntN(2) == 0
				s := mustStart(t, id, inst, tz, analyze, now)
				m.save(s)
				now = now.Add(time.Duration(rng.IntN(14*3600)) * time.Second)
				mustEnd(t, &s, now)
				m.save(s)
				m.save(s)
				if analyze {
					var tl []practice.Segment
					for at := 0.0; at < float64(s.DurationSeconds); at += 1 + rng.Float64()*1200 {
						tl = append(tl, practice.Segment{StartS: at, EndS: at + rng.Float64()*900})
					}
					if rng.IntN(5) == 0 {
						practice.FinishUnanalysed(&s)
					} else if err := practice.UpdateAnalysis(&s, tl, true); err != nil {
						t.Fatal(err)
					}
					m.save(s)
					m.save(s)
				}
			}
			if rng.IntN(6) == 0 && len(m.sessions) > 0 { // delete one at random
				ids := slicesSortedKeys(m.sessions)
				m.delete(ids[rng.IntN(len(ids))])
			}
		}
		m.check(fmt.Sprintf("seed %d after all changes", seed))
		if m.agg.IsZero() {
			t.Fatalf("seed %d: nothing was counted", seed)
		}

		ids := slicesSortedKeys(m.sessions)
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for k, id := range ids {
			m.delete(id)
			if k%7 == 0 {
				m.check(fmt.Sprintf("seed %d during deletes", seed))
			}
		}
		if !m.agg.IsZero() {
			t.Fatalf("seed %d: after deleting every session the aggregates hold %+v", seed, m.agg)
		}
	}
}

func TestRetriedChangesCountOnce(t *testing.T) {
	m := newMemStore(t)
	start := time.Date(2026, 3, 7, 23, 30, 0, 0, time.UTC)
	s := mustStart(t, "s1", "cello", "America/New_York", false, start)
	mustEnd(t, &s, start.Add(90*time.Minute))
	for range 3 {
		m.save(s)
	}
	if m.writes != 1 || m.agg.Total != (Tally{5400, 1}) {
		t.Fatalf("after three saves: %d writes, total %+v", m.writes, m.agg.Total)
	}
	m.delete("s1")
	m.delete("s1") // the retried delete finds nothing stored
	if !m.agg.IsZero() {
		t.Fatalf("after delete: %+v", m.agg)
	}
}

func TestAggregatesFeedStatistics(t *testing.T) {
	// A week of sessions over midnight in Berlin through the spring DST change.
	var sessions []practice.Session
	for i := range 7 {
		start := time.Date(2026, 3, 25+i, 22, 30, 0, 0, time.UTC) // 23:30 CET or 00:30 CEST
		s := mustStart(t, fmt.Sprintf("s%d", i), "flute", "Europe/Berlin", false, start)
		mustEnd(t, &s, start.Add(time.Hour))
		sessions = append(sessions, s)
	}
	agg, err := FromSessions(sessions)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Compute(Week, "2026-04-01", agg.DayList())
	if err != nil {
		t.Fatal(err)
	}
	// Days 03-26 … 04-01 are in the week; 03-25 gets the first session's start and 30 min. From
	// 03-29 on Berlin is on summer time, so 22:30 UTC is 00:30 the next day: 03-29 starts no
	// session and has only the tail of the one before.
	if st.Sessions != 6 || st.CurrentStreakDays != 8 || st.LongestStreakDays != 8 {
		t.Fatalf("statistics: %+v", st)
	}
	cal := CalendarDays(practice.DateRange{From: "2026-03-25", To: "2026-04-02"}, agg.DayList())
	var got []string
	for _, d := range cal {
		got = append(got, fmt.Sprintf("%s:%d/%d", d.Date[5:], d.PracticeSeconds/60, d.Sessions))
	}
	want := "03-25:30/1 03-26:60/1 03-27:60/1 03-28:60/1 03-29:30/0 03-30:60/1 03-31:60/1 04-01:60/1 04-02:0/0"
	if strings.Join(got, " ") != want {
		t.Fatalf("calendar:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func slicesSortedKeys(m map[string]practice.Session) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
