package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"woodshed/shared/practice"
	"woodshed/shared/store"
)

type session struct {
	SessionID         string  `json:"session_id"`
	Instrument        string  `json:"instrument"`
	StartTime         string  `json:"start_time"`
	EndTime           *string `json:"end_time"`
	DurationSeconds   int     `json:"duration_seconds"`
	ActualPlaySeconds *int    `json:"actual_play_seconds"`
	Status            string  `json:"status"`
	Source            string  `json:"source"`
	Notes             string  `json:"notes"`
	Timeline          []any   `json:"timeline"`
}

type page struct {
	Sessions []session `json:"sessions"`
	Next     string    `json:"next"`
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func manual(instr string, start time.Time, d time.Duration) map[string]string {
	return map[string]string{"instrument": instr, "start_time": rfc(start), "end_time": rfc(start.Add(d))}
}

func TestLiveSession(t *testing.T) {
	e := testEnv(t)
	u, other := e.signUp(t), e.signUp(t)

	var s session
	e.must(t, u.Token, "POST", "/practice/start", map[string]any{"instrument": "Violin", "notes": "scales"}, 201, &s)
	if s.Status != "active" || s.Source != "timer" || s.Instrument != "violin" || s.EndTime != nil || s.Timeline == nil {
		t.Fatalf("started = %+v", s)
	}
	e.refused(t, u.Token, "POST", "/practice/start", map[string]string{"instrument": "cello"}, 409, "session_active")
	// Another user's session: not found, for end, get and delete alike.
	e.refused(t, other.Token, "POST", "/practice/end", map[string]string{"session_id": s.SessionID}, 404, "session_not_found")
	e.refused(t, other.Token, "GET", "/practice/sessions/"+s.SessionID, nil, 404, "session_not_found")
	e.refused(t, other.Token, "DELETE", "/practice/sessions/"+s.SessionID, nil, 404, "session_not_found")
	// The other user can start their own meanwhile.
	e.must(t, other.Token, "POST", "/practice/start", map[string]string{"instrument": "cello"}, 201, nil)

	e.refused(t, u.Token, "POST", "/practice/end", map[string]string{}, 400, "validation_failed")
	e.refused(t, u.Token, "POST", "/practice/end", map[string]any{"session_id": s.SessionID, "extra": 1}, 400, "validation_failed")
	var ended, again session
	e.must(t, u.Token, "POST", "/practice/end", map[string]any{"session_id": s.SessionID, "notes": "scales, then Bach"}, 200, &ended)
	if ended.Status != "done" || ended.EndTime == nil || ended.Notes != "scales, then Bach" {
		t.Fatalf("ended = %+v", ended)
	}
	time.Sleep(1100 * time.Millisecond)
	e.must(t, u.Token, "POST", "/practice/end", map[string]string{"session_id": s.SessionID}, 200, &again)
	if *again.EndTime != *ended.EndTime || again.DurationSeconds != ended.DurationSeconds || again.Notes != ended.Notes {
		t.Fatalf("second end changed the session: %+v then %+v", ended, again)
	}
	var got session
	e.must(t, u.Token, "GET", "/practice/sessions/"+s.SessionID, nil, 200, &got)
	if got.Status != "done" || got.SessionID != s.SessionID {
		t.Fatalf("get = %+v", got)
	}
	// A new session can start once the first has ended; a recorded one ends as analyzing.
	var rec session
	e.must(t, u.Token, "POST", "/practice/start", map[string]any{"instrument": "violin", "analyze": true}, 201, &rec)
	e.must(t, u.Token, "POST", "/practice/end", map[string]string{"session_id": rec.SessionID}, 200, &rec)
	if rec.Status != "analyzing" || rec.Source != "recorded" || rec.ActualPlaySeconds != nil {
		t.Fatalf("recorded session after end = %+v", rec)
	}

	e.must(t, u.Token, "DELETE", "/practice/sessions/"+s.SessionID, nil, 204, nil)
	e.refused(t, u.Token, "GET", "/practice/sessions/"+s.SessionID, nil, 404, "session_not_found")
	e.refused(t, u.Token, "DELETE", "/practice/sessions/"+s.SessionID, nil, 404, "session_not_found")
	if status, _ := e.call(t, "", "POST", "/practice/start", map[string]string{"instrument": "violin"}); status != 401 {
		t.Errorf("start without a token: %d", status)
	}
}

func TestManualEntries(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	base := time.Now().UTC().Add(-72 * time.Hour).Truncate(time.Hour)

	var s session
	e.must(t, u.Token, "POST", "/practice/sessions", manual("piano", base, 45*time.Minute), 201, &s)
	if s.Source != "manual" || s.Status != "done" || s.DurationSeconds != 2700 {
		t.Fatalf("manual = %+v", s)
	}
	// Back to back is fine; overlapping is not.
	e.must(t, u.Token, "POST", "/practice/sessions", manual("piano", base.Add(45*time.Minute), 15*time.Minute), 201, nil)

	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"overlap", manual("cello", base.Add(30*time.Minute), time.Hour), 409, "session_overlap"},
		{"overlap around", manual("cello", base.Add(-time.Hour), 3*time.Hour), 409, "session_overlap"},
		{"future", manual("cello", time.Now().Add(time.Hour), time.Hour), 400, "validation_failed"},
		{"ends in the future", manual("cello", time.Now().Add(-10*time.Minute), time.Hour), 400, "validation_failed"},
		{"end before start", manual("cello", base.Add(-5*time.Hour), -time.Hour), 400, "validation_failed"},
		{"empty", manual("cello", base.Add(-5*time.Hour), 0), 400, "validation_failed"},
		{"13 hours", manual("cello", base.Add(-20*time.Hour), 13*time.Hour), 400, "validation_failed"},
		{"unknown instrument", manual("kazoo-9000!", base.Add(-5*time.Hour), time.Hour), 400, "validation_failed"},
		{"bad custom instrument", manual("custom:", base.Add(-5*time.Hour), time.Hour), 400, "validation_failed"},
		{"malformed time", map[string]string{"instrument": "cello", "start_time": "yesterday", "end_time": rfc(base)}, 400, "validation_failed"},
		{"missing times", map[string]string{"instrument": "cello"}, 400, "validation_failed"},
		{"unknown field", map[string]any{"instrument": "cello", "start_time": rfc(base.Add(-5 * time.Hour)), "end_time": rfc(base.Add(-4 * time.Hour)), "play_seconds": 9}, 400, "validation_failed"},
		{"not json", "{", 400, "invalid_json"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) { e.refused(t, u.Token, "POST", "/practice/sessions", b.body, b.status, b.code) })
	}
	// None of the refused entries was stored.
	var p page
	e.must(t, u.Token, "GET", "/practice/sessions", nil, 200, &p)
	if len(p.Sessions) != 2 {
		t.Fatalf("sessions after refusals = %+v", p.Sessions)
	}
	// A custom instrument is fine.
	e.must(t, u.Token, "POST", "/practice/sessions", manual("custom:theorbo", base.Add(-5*time.Hour), time.Hour), 201, &s)
	if s.Instrument != "custom:theorbo" {
		t.Fatalf("custom instrument = %q", s.Instrument)
	}
}

func TestListSessionsPagesAndFilters(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	base := time.Now().UTC().AddDate(0, 0, -10).Truncate(24 * time.Hour).Add(9 * time.Hour)
	var ids []string
	for i := range 5 {
		instr := "violin"
		if i%2 == 1 {
			instr = "guitar"
		}
		var s session
		e.must(t, u.Token, "POST", "/practice/sessions", manual(instr, base.AddDate(0, 0, i), 30*time.Minute), 201, &s)
		ids = append(ids, s.SessionID)
	}
	var seen []string
	path := "/practice/sessions?limit=2"
	for range 5 {
		var p page
		e.must(t, u.Token, "GET", path, nil, 200, &p)
		for _, s := range p.Sessions {
			seen = append(seen, s.SessionID)
		}
		if p.Next == "" {
			break
		}
		path = "/practice/sessions?limit=2&cursor=" + url.QueryEscape(p.Next)
	}
	if fmt.Sprint(seen) != fmt.Sprint([]string{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
		t.Fatalf("paged = %v, want newest first of %v", seen, ids)
	}
	day := func(i int) string { return base.AddDate(0, 0, i).Format("2006-01-02") }
	var p page
	e.must(t, u.Token, "GET", "/practice/sessions?instrument=guitar&from="+day(1)+"&to="+day(2), nil, 200, &p)
	if len(p.Sessions) != 1 || p.Sessions[0].SessionID != ids[1] {
		t.Fatalf("guitar on days 1..2 = %+v", p.Sessions)
	}
	e.must(t, u.Token, "GET", "/practice/sessions?from="+day(3), nil, 200, &p)
	if len(p.Sessions) != 2 {
		t.Fatalf("from day 3 = %+v", p.Sessions)
	}
	// Another user sees none of them, whatever the cursor says.
	other := e.signUp(t)
	e.must(t, other.Token, "GET", "/practice/sessions", nil, 200, &p)
	if len(p.Sessions) != 0 {
		t.Fatalf("other user's list = %+v", p.Sessions)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "cursor=%21%21", "cursor=bm90LWEta2V5", "from=2026-13-01", "from=" + day(3) + "&to=" + day(1), "to=yesterday", "instrument=kazoo-9000!"} {
		code := "validation_failed"
		if q[:6] == "cursor" {
			code = "invalid_cursor"
		}
		e.refused(t, u.Token, "GET", "/practice/sessions?"+q, nil, 400, code)
	}
}

// startedAgo stores an active session that began d ago, as if its user had forgotten Stop.
func startedAgo(t *testing.T, e env, uid string, d time.Duration) string {
	t.Helper()
	st, err := store.New(context.Background(), e.Stack.Config())
	if err != nil {
		t.Fatal(err)
	}
	s, err := practice.Start(practice.StartInput{SessionID: "old" + uid[:8], UserID: uid, Instrument: "violin", TimeZone: "UTC"}, time.Now().Add(-d))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.StartSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s.SessionID
}

func TestLongSessionsAreCapped(t *testing.T) {
	e := testEnv(t)
	u, v := e.signUp(t), e.signUp(t)

	// Ending a 13-hour session ends it at 12 hours.
	id := startedAgo(t, e, u.ID, 13*time.Hour)
	var s struct {
		session
		Capped bool `json:"capped"`
	}
	e.must(t, u.Token, "POST", "/practice/end", map[string]string{"session_id": id}, 200, &s)
	if s.DurationSeconds != 12*3600 || !s.Capped || s.Status != "done" {
		t.Fatalf("13 h session ended as %+v", s)
	}
	var st statistics
	e.must(t, u.Token, "GET", "/users/me/statistics", nil, 200, &st)
	if st.TotalPracticeSeconds != 12*3600 || st.Sessions != 1 {
		t.Fatalf("statistics = %+v", st)
	}

	// Starting while a session has run past 12 hours ends that one (capped) and starts anew.
	old := startedAgo(t, e, v.ID, 14*time.Hour)
	var fresh session
	e.must(t, v.Token, "POST", "/practice/start", map[string]string{"instrument": "piano"}, 201, &fresh)
	e.must(t, v.Token, "GET", "/practice/sessions/"+old, nil, 200, &s)
	if s.Status != "done" || s.DurationSeconds != 12*3600 || !s.Capped || fresh.SessionID == old {
		t.Fatalf("stale session = %+v", s)
	}
}

func TestConcurrentStartsMakeOneSession(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	codes, created := racing(t, 6, func(int) int {
		c, _ := e.call(t, u.Token, "POST", "/practice/start", map[string]string{"instrument": "flute"})
		return c
	})
	var p page
	e.must(t, u.Token, "GET", "/practice/sessions", nil, 200, &p)
	if created != 1 || len(p.Sessions) != 1 {
		t.Fatalf("%d created, %d stored; codes %v", created, len(p.Sessions), codes)
	}
}

// racing runs n calls at once and returns their statuses and how many were 201 Created; any
// status but 201 or 409 fails the test.
func racing(t *testing.T, n int, call func(i int) int) (codes []int, created int) {
	var wg sync.WaitGroup
	codes = make([]int, n)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(i)
		}()
	}
	wg.Wait()
	for _, c := range codes {
		switch c {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("status %d", c)
		}
	}
	return codes, created
}

// Overlapping manual entries sent at once (a double tap on Save, two devices): one lands, the
// others see it and are refused, though the start-time index may not show it yet.
func TestConcurrentOverlappingEntriesMakeOneSession(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	base := time.Now().Add(-5 * time.Hour).Truncate(time.Minute)
	codes, created := racing(t, 6, func(i int) int {
		c, _ := e.call(t, u.Token, "POST", "/practice/sessions", manual("piano", base.Add(time.Duration(i)*time.Minute), 30*time.Minute))
		return c
	})
	var p page
	e.must(t, u.Token, "GET", "/practice/sessions", nil, 200, &p)
	if created != 1 || len(p.Sessions) != 1 {
		t.Fatalf("%d created, %d stored; codes %v", created, len(p.Sessions), codes)
	}
	// Deleting the entry frees its time at once, recent as it is.
	e.must(t, u.Token, "DELETE", "/practice/sessions/"+p.Sessions[0].SessionID, nil, 204, nil)
	e.must(t, u.Token, "POST", "/practice/sessions", manual("piano", base, 30*time.Minute), 201, nil)
}

// TestAnalysedSessionCountsPlayTime follows a recorded session through the calls the audio
// pipeline makes: the statistics move from the duration to the play time once, however often the
// result is delivered.
func TestAnalysedSessionCountsPlayTime(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	st, err := store.New(context.Background(), e.Stack.Config())
	if err != nil {
		t.Fatal(err)
	}
	var s session
	e.must(t, u.Token, "POST", "/practice/start", map[string]any{"instrument": "cello", "analyze": true}, 201, &s)
	time.Sleep(3 * time.Second)
	e.must(t, u.Token, "POST", "/practice/end", map[string]string{"session_id": s.SessionID}, 200, &s)
	if s.Status != "analyzing" {
		t.Fatalf("ended = %+v", s)
	}
	timeline := []practice.Segment{{StartS: 0.5, EndS: 2.5}}
	for range 3 { // a duplicated event
		if _, err := st.SetSessionAnalysis(context.Background(), u.ID, s.SessionID, timeline, true); err != nil {
			t.Fatal(err)
		}
	}
	e.must(t, u.Token, "GET", "/practice/sessions/"+s.SessionID, nil, 200, &s)
	if s.Status != "done" || s.ActualPlaySeconds == nil || *s.ActualPlaySeconds != 2 || len(s.Timeline) != 1 {
		t.Fatalf("analysed = %+v", s)
	}
	var stats statistics
	e.must(t, u.Token, "GET", "/users/me/statistics", nil, 200, &stats)
	if stats.TotalPracticeSeconds != 2 || stats.Sessions != 1 {
		t.Fatalf("statistics = %+v", stats)
	}
}

func TestEditNotes(t *testing.T) {
	e := testEnv(t)
	u, other := e.signUp(t), e.signUp(t)
	base := time.Now().UTC().Add(-30 * time.Hour).Truncate(time.Hour)
	var s session
	e.must(t, u.Token, "POST", "/practice/sessions", manual("violin", base, 30*time.Minute), 201, &s)
	path := "/practice/sessions/" + s.SessionID

	var got session
	e.must(t, u.Token, "PATCH", path, map[string]string{"notes": "  Kreutzer 2, slow bows\r\n"}, 200, &got)
	if got.Notes != "Kreutzer 2, slow bows" || got.DurationSeconds != s.DurationSeconds {
		t.Fatalf("after edit: %+v", got)
	}
	e.refused(t, other.Token, "PATCH", path, map[string]string{"notes": "mine now"}, 404, "session_not_found")
	e.refused(t, u.Token, "PATCH", path, map[string]any{"notes": 5}, 400, "validation_failed")
	e.refused(t, u.Token, "PATCH", path, map[string]any{}, 400, "validation_failed")
	e.refused(t, u.Token, "PATCH", path, map[string]any{"notes": "x", "duration_seconds": 1}, 400, "validation_failed")
	e.refused(t, u.Token, "PATCH", path, map[string]string{"notes": strings.Repeat("long ", 1000)}, 400, "validation_failed")
	e.must(t, u.Token, "GET", path, nil, 200, &got)
	if got.Notes != "Kreutzer 2, slow bows" {
		t.Fatalf("a refused edit changed the notes: %q", got.Notes)
	}
}
