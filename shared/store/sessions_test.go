package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"woodshed/shared/practice"
	"woodshed/shared/stats"
	"woodshed/shared/store"
)

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func mustStart(t *testing.T, st *store.Store, user, instr string, at time.Time, analyze bool) practice.Session {
	t.Helper()
	s, err := practice.Start(practice.StartInput{SessionID: newID(), UserID: user, Instrument: instr, TimeZone: "Asia/Seoul", Analyze: analyze}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.StartSession(context.Background(), s); err != nil {
		t.Fatalf("start: %v", err)
	}
	return s
}

func totals(t *testing.T, st *store.Store, user string) store.Totals {
	t.Helper()
	tot, err := st.Totals(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

func days(t *testing.T, st *store.Store, user string) map[string]stats.Day {
	t.Helper()
	ds, err := st.Days(context.Background(), user, "", "9999-12-31")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]stats.Day{}
	for _, d := range ds {
		m[d.Date] = d
	}
	return m
}

func TestSessionLifecycleAndAggregates(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	user := newID()
	// 23:30 in Seoul (UTC+9) on 2026-03-10 → crosses local midnight after 30 minutes.
	start := time.Date(2026, 3, 10, 14, 30, 0, 0, time.UTC)
	s := mustStart(t, st, user, "violin", start, false)

	// A second start while one is active is refused by the conditional write.
	other, _ := practice.Start(practice.StartInput{SessionID: newID(), UserID: user, Instrument: "cello", TimeZone: "UTC"}, start)
	if err := st.StartSession(ctx, other); !errors.Is(err, practice.ErrActiveExists) {
		t.Fatalf("second start: %v, want ErrActiveExists", err)
	}
	if a, err := st.ActiveSession(ctx, user); err != nil || a.SessionID != s.SessionID {
		t.Fatalf("active = %v, %v", a.SessionID, err)
	}
	if got := totals(t, st, user); got.Sessions != 0 || got.PracticeSeconds != 0 {
		t.Fatalf("active session counted: %+v", got)
	}

	ended, err := st.EndSession(ctx, user, s.SessionID, start.Add(90*time.Minute), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ended.Status != practice.Done || ended.DurationSeconds != 5400 {
		t.Fatalf("ended = %+v", ended)
	}
	// Ending again (a retried request) changes nothing.
	again, err := st.EndSession(ctx, user, s.SessionID, start.Add(3*time.Hour), nil)
	if err != nil || again.DurationSeconds != 5400 {
		t.Fatalf("second end = %+v, %v", again, err)
	}
	if _, err := st.ActiveSession(ctx, user); !errors.Is(err, practice.ErrNotFound) {
		t.Fatalf("active after end: %v", err)
	}
	tot := totals(t, st, user)
	if tot.Sessions != 1 || tot.PracticeSeconds != 5400 || len(tot.ByInstrument) != 1 || tot.ByInstrument[0].PracticeSeconds != 5400 {
		t.Fatalf("totals = %+v", tot)
	}
	d := days(t, st, user)
	if d["2026-03-10"].PracticeSeconds != 1800 || d["2026-03-10"].Sessions != 1 ||
		d["2026-03-11"].PracticeSeconds != 3600 || d["2026-03-11"].Sessions != 0 {
		t.Fatalf("days = %+v", d)
	}
	if by := d["2026-03-11"].Instruments; len(by) != 1 || by["violin"].PracticeSeconds != 3600 {
		t.Fatalf("day by instrument = %+v", by)
	}

	// Someone else cannot see or end it.
	if _, err := st.EndSession(ctx, newID(), s.SessionID, start, nil); !errors.Is(err, practice.ErrNotFound) {
		t.Fatalf("end by another user: %v", err)
	}

	// Delete takes it off every aggregate.
	if err := st.DeleteSession(ctx, user, s.SessionID); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSession(ctx, user, s.SessionID); !errors.Is(err, practice.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if tot := totals(t, st, user); tot.Sessions != 0 || tot.PracticeSeconds != 0 || len(tot.ByInstrument) != 0 {
		t.Fatalf("totals after delete = %+v", tot)
	}
	if d := days(t, st, user); len(d) != 0 {
		t.Fatalf("days after delete = %+v", d)
	}
}

func TestAnalysisMovesAggregatesOnce(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	user := newID()
	start := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
	s := mustStart(t, st, user, "piano", start, true)
	tl := []practice.Segment{{StartS: 0, EndS: 300}, {StartS: 600, EndS: 900}}
	// Analysis during practice records the timeline but counts nothing.
	if _, err := st.SetSessionAnalysis(ctx, user, s.SessionID, tl[:1], true); err != nil {
		t.Fatal(err)
	}
	if got := totals(t, st, user); got.Sessions != 0 {
		t.Fatalf("counted while active: %+v", got)
	}
	ended, err := st.EndSession(ctx, user, s.SessionID, start.Add(20*time.Minute), nil)
	if err != nil || ended.Status != practice.Analyzing {
		t.Fatalf("end = %+v, %v", ended, err)
	}
	if got := totals(t, st, user); got.PracticeSeconds != 1200 || got.Sessions != 1 {
		t.Fatalf("analyzing counts duration: %+v", got)
	}
	// Replays of the same result, concurrently, move the totals exactly once.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.SetSessionAnalysis(ctx, user, s.SessionID, tl, true); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := st.Session(ctx, user, s.SessionID)
	if err != nil || got.Status != practice.Done || got.ActualPlaySeconds == nil || *got.ActualPlaySeconds != 600 {
		t.Fatalf("analysed = %+v, %v", got, err)
	}
	if tot := totals(t, st, user); tot.PracticeSeconds != 600 || tot.Sessions != 1 {
		t.Fatalf("totals after analysis = %+v", tot)
	}
	if d := days(t, st, user); d["2026-03-10"].PracticeSeconds != 600 {
		t.Fatalf("days after analysis = %+v", d)
	}
	// A timer session cannot take an analysis.
	tm := mustStart(t, st, user, "piano", start.Add(time.Hour), false)
	if _, err := st.SetSessionAnalysis(ctx, user, tm.SessionID, tl, true); !errors.Is(err, practice.ErrNotRecorded) {
		t.Fatalf("analysis of a timer session: %v", err)
	}
}

func TestListSessions(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	user := newID()
	base := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 7 {
		instr := "violin"
		if i%2 == 1 {
			instr = "cello"
		}
		s, err := practice.NewManual(practice.ManualInput{SessionID: newID(), UserID: user, Instrument: instr, TimeZone: "UTC",
			StartTime: base.AddDate(0, 0, i), EndTime: base.AddDate(0, 0, i).Add(30 * time.Minute)}, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		g, err := st.ManualGuard(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddManualSession(ctx, s, g); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.SessionID)
	}
	var seen []string
	q := practice.ListQuery{Limit: 3}
	for pages := 0; ; pages++ {
		p, err := st.ListSessions(ctx, user, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Sessions {
			seen = append(seen, s.SessionID)
		}
		if p.Next == "" || pages > 5 {
			break
		}
		q.Cursor = p.Next
	}
	if len(seen) != 7 || seen[0] != ids[6] || seen[6] != ids[0] {
		t.Fatalf("pages gave %v, want newest first of %v", seen, ids)
	}
	p, err := st.ListSessions(ctx, user, practice.ListQuery{Limit: 10, Instrument: "cello", From: base.AddDate(0, 0, 2), To: base.AddDate(0, 0, 6)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sessions) != 2 || p.Sessions[0].SessionID != ids[5] || p.Sessions[1].SessionID != ids[3] {
		t.Fatalf("cello in range = %+v", p.Sessions)
	}
	for _, c := range []string{"!!", "bm90LWEta2V5", "MjAyNi0wMS0wMVQxMDowMDowMFojYSNi"} {
		if _, err := st.ListSessions(ctx, user, practice.ListQuery{Cursor: c}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v", c, err)
		}
	}
	tot := totals(t, st, user)
	if tot.Sessions != 7 || tot.PracticeSeconds != 7*1800 || len(tot.ByInstrument) != 2 {
		t.Fatalf("totals = %+v", tot)
	}
	near, err := st.SessionsStartingIn(ctx, user, base.AddDate(0, 0, 3).Add(-12*time.Hour), base.AddDate(0, 0, 3).Add(10*time.Minute))
	if err != nil || len(near) != 1 || near[0].SessionID != ids[3] {
		t.Fatalf("near = %+v, %v", near, err)
	}
}

// A manual entry written on a guard another entry has moved on is refused, and nothing of it
// is stored or counted; the guard then lists both the entry that landed and the retry.
func TestManualGuardRefusesAStaleRead(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	user := newID()
	base := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	entry := func(at time.Time) practice.Session {
		s, err := practice.NewManual(practice.ManualInput{SessionID: newID(), UserID: user, Instrument: "viola", TimeZone: "UTC",
			StartTime: at, EndTime: at.Add(20 * time.Minute)}, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	g, err := st.ManualGuard(ctx, user)
	if err != nil || g.Version != 0 || len(g.Recent) != 0 {
		t.Fatalf("guard of a new user = %+v, %v", g, err)
	}
	first, second := entry(base), entry(base.Add(time.Hour))
	if err := st.AddManualSession(ctx, first, g); err != nil {
		t.Fatal(err)
	}
	if err := st.AddManualSession(ctx, second, g); !errors.Is(err, store.ErrGuardChanged) {
		t.Fatalf("write on a stale guard: %v", err)
	}
	if _, err := st.Session(ctx, user, second.SessionID); !errors.Is(err, practice.ErrNotFound) {
		t.Fatalf("the refused entry was stored: %v", err)
	}
	if tot, err := st.Totals(ctx, user); err != nil || tot.Sessions != 1 {
		t.Fatalf("totals after a refused entry = %+v, %v", tot, err)
	}
	if g, err = st.ManualGuard(ctx, user); err != nil || g.Version != 1 || len(g.Recent) != 1 || g.Recent[0].SessionID != first.SessionID {
		t.Fatalf("guard after one entry = %+v, %v", g, err)
	}
	if err := st.AddManualSession(ctx, second, g); err != nil {
		t.Fatal(err)
	}
	if g, err = st.ManualGuard(ctx, user); err != nil || g.Version != 2 || len(g.Recent) != 2 {
		t.Fatalf("guard after two entries = %+v, %v", g, err)
	}
}
