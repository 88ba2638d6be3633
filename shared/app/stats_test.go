package app_test

import (
	"testing"
	"time"
)

type calendarDay struct {
	Date            string `json:"date"`
	PracticeSeconds int    `json:"practice_seconds"`
	Sessions        int    `json:"sessions"`
}

type calendar struct {
	TimeZone string        `json:"time_zone"`
	Days     []calendarDay `json:"days"`
}

type tally struct {
	Instrument      string `json:"instrument"`
	Weekday         string `json:"weekday"`
	PracticeSeconds int    `json:"practice_seconds"`
	Sessions        int    `json:"sessions"`
}

type statistics struct {
	Period                string  `json:"period"`
	TotalPracticeSeconds  int     `json:"total_practice_seconds"`
	Sessions              int     `json:"sessions"`
	CurrentStreakDays     int     `json:"current_streak_days"`
	LongestStreakDays     int     `json:"longest_streak_days"`
	AverageSessionSeconds int     `json:"average_session_seconds"`
	ByInstrument          []tally `json:"by_instrument"`
	ByWeekday             []tally `json:"by_weekday"`
}

type dashboard struct {
	Profile    profileView `json:"profile"`
	Statistics statistics  `json:"statistics"`
	Lifetime   struct {
		PracticeSeconds int     `json:"practice_seconds"`
		Sessions        int     `json:"sessions"`
		ByInstrument    []tally `json:"by_instrument"`
	} `json:"lifetime"`
	RecentSessions []session `json:"recent_sessions"`
	ActiveSession  *session  `json:"active_session"`
	Calendar       calendar  `json:"calendar"`
}

func dayMap(c calendar) map[string]calendarDay {
	m := map[string]calendarDay{}
	for _, d := range c.Days {
		m[d.Date] = d
	}
	return m
}

func TestCalendarStatisticsDashboard(t *testing.T) {
	e := testEnv(t)
	u, other := e.signUp(t), e.signUp(t)
	seoul, _ := time.LoadLocation("Asia/Seoul")
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"time_zone": "Asia/Seoul"}, 200, nil)

	now := time.Now().In(seoul)
	date := func(t time.Time) string { return t.In(seoul).Format("2006-01-02") }
	// Four consecutive local days ending today: 20 minutes each, 3 violin and 1 piano.
	var ids []string
	last := now.Add(-30 * time.Minute) // the newest session's start; its date is "today" or, just after midnight, yesterday
	for i := 3; i >= 0; i-- {
		start := last.AddDate(0, 0, -i)
		instr := "violin"
		if i == 2 {
			instr = "piano"
		}
		var s session
		e.must(t, u.Token, "POST", "/practice/sessions", manual(instr, start, 20*time.Minute), 201, &s)
		ids = append(ids, s.SessionID)
	}
	// One across local midnight 40 days ago: 23:30–01:00 Seoul.
	y, m, d := now.AddDate(0, 0, -40).Date()
	late := time.Date(y, m, d, 23, 30, 0, 0, seoul)
	var cross session
	e.must(t, u.Token, "POST", "/practice/sessions", manual("violin", late, 90*time.Minute), 201, &cross)

	var cal calendar
	from, to := date(late), date(now)
	e.must(t, u.Token, "GET", "/users/me/calendar?from="+from+"&to="+to, nil, 200, &cal)
	days := dayMap(cal)
	if cal.TimeZone != "Asia/Seoul" || len(cal.Days) != 41 {
		t.Fatalf("calendar: zone %s, %d days", cal.TimeZone, len(cal.Days))
	}
	if got := days[date(late)]; got.PracticeSeconds != 1800 || got.Sessions != 1 {
		t.Errorf("day before midnight = %+v", got)
	}
	if got := days[date(late.Add(time.Hour))]; got.PracticeSeconds != 3600 || got.Sessions != 0 {
		t.Errorf("day after midnight = %+v", got)
	}
	if got := days[date(last)]; got.PracticeSeconds != 1200 || got.Sessions != 1 {
		t.Errorf("today = %+v", got)
	}

	var st statistics
	e.must(t, u.Token, "GET", "/users/me/statistics?period=all", nil, 200, &st)
	if st.TotalPracticeSeconds != 4*1200+5400 || st.Sessions != 5 || st.CurrentStreakDays != 4 || st.LongestStreakDays != 4 ||
		st.AverageSessionSeconds != (4*1200+5400)/5 || len(st.ByWeekday) != 7 {
		t.Fatalf("statistics = %+v", st)
	}
	if len(st.ByInstrument) != 2 || st.ByInstrument[0].Instrument != "violin" || st.ByInstrument[0].PracticeSeconds != 3*1200+5400 || st.ByInstrument[1].Sessions != 1 {
		t.Fatalf("by instrument = %+v", st.ByInstrument)
	}
	e.must(t, u.Token, "GET", "/users/me/statistics?period=week", nil, 200, &st)
	if st.TotalPracticeSeconds != 4*1200 || st.Sessions != 4 || st.CurrentStreakDays != 4 {
		t.Fatalf("week statistics = %+v", st)
	}

	var dash dashboard
	e.must(t, u.Token, "GET", "/users/me/dashboard", nil, 200, &dash)
	if dash.Profile.UserID != u.ID || dash.Statistics.Sessions != 5 || dash.Lifetime.Sessions != 5 || dash.Lifetime.PracticeSeconds != 4*1200+5400 ||
		len(dash.RecentSessions) != 5 || dash.RecentSessions[0].SessionID != ids[3] || dash.ActiveSession != nil {
		t.Fatalf("dashboard = %+v", dash)
	}
	if n := len(dash.Calendar.Days); n < 78 || n > 84 || dash.Calendar.Days[n-1].Date != date(now) {
		t.Fatalf("dashboard calendar: %d days, last %+v", n, dash.Calendar.Days[len(dash.Calendar.Days)-1])
	}
	var live session
	e.must(t, u.Token, "POST", "/practice/start", map[string]string{"instrument": "cello"}, 201, &live)
	e.must(t, u.Token, "GET", "/users/me/dashboard", nil, 200, &dash)
	if dash.ActiveSession == nil || dash.ActiveSession.SessionID != live.SessionID || dash.Statistics.Sessions != 5 {
		t.Fatalf("dashboard with an active session = %+v", dash.ActiveSession)
	}
	e.must(t, u.Token, "DELETE", "/practice/sessions/"+live.SessionID, nil, 204, nil)

	// Moving to another zone keeps past days as recorded.
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"time_zone": "America/New_York"}, 200, nil)
	e.must(t, u.Token, "GET", "/users/me/calendar?from="+from+"&to="+to, nil, 200, &cal)
	if days := dayMap(cal); cal.TimeZone != "America/New_York" || days[date(late)].PracticeSeconds != 1800 || days[date(late.Add(time.Hour))].PracticeSeconds != 3600 {
		t.Fatalf("calendar after a zone change = %+v", cal)
	}

	// Deleting a session takes it off the calendar and the statistics.
	e.must(t, u.Token, "DELETE", "/practice/sessions/"+cross.SessionID, nil, 204, nil)
	e.must(t, u.Token, "GET", "/users/me/calendar?from="+from+"&to="+to, nil, 200, &cal)
	if days := dayMap(cal); days[date(late)].PracticeSeconds != 0 || days[date(late.Add(time.Hour))].PracticeSeconds != 0 {
		t.Fatalf("calendar after delete = %+v", cal)
	}
	e.must(t, u.Token, "GET", "/users/me/statistics", nil, 200, &st)
	if st.TotalPracticeSeconds != 4*1200 || st.Sessions != 4 || st.LongestStreakDays != 4 {
		t.Fatalf("statistics after delete = %+v", st)
	}

	// Bad ranges and periods are refused.
	for _, q := range []string{
		"from=2026-01-10&to=2026-01-01", "from=2025-01-01&to=2026-01-02", "from=2026-1-1&to=2026-01-31",
		"from=2026-01-01", "to=2026-01-01", "from=2026-02-30&to=2026-03-01", "from=yesterday&to=today",
	} {
		e.refused(t, u.Token, "GET", "/users/me/calendar?"+q, nil, 400, "validation_failed")
	}
	e.must(t, u.Token, "GET", "/users/me/calendar?from=2025-01-01&to=2026-01-01", nil, 200, &cal) // 366 days
	e.refused(t, u.Token, "GET", "/users/me/statistics?period=decade", nil, 400, "validation_failed")
	e.refused(t, u.Token, "GET", "/users/me/dashboard?period=decade", nil, 400, "validation_failed")

	// Another user: private is not found; public shows statistics but not the sessions.
	for _, p := range []string{"/calendar", "/statistics", "/dashboard"} {
		e.refused(t, other.Token, "GET", "/users/"+u.ID+p, nil, 404, "user_not_found")
	}
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"visibility": "public"}, 200, nil)
	e.must(t, other.Token, "GET", "/users/"+u.ID+"/dashboard", nil, 200, &dash)
	if dash.Statistics.Sessions != 4 || len(dash.RecentSessions) != 0 || dash.ActiveSession != nil {
		t.Fatalf("public dashboard seen by another user = %+v", dash)
	}
}
