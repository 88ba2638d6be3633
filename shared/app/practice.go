package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"woodshed/shared/httpapi"
	"woodshed/shared/practice"
	"woodshed/shared/store"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
)

// practiceRules map the practice rules' errors; field problems become validation_failed.
var practiceRules = httpapi.Rules{
	{Target: practice.ErrNotFound, Status: http.StatusNotFound, Code: "session_not_found", Message: "no such session"},
	{Target: practice.ErrOverlap, Status: http.StatusConflict, Code: "session_overlap", Message: "the session overlaps another of your sessions"},
	{Target: store.ErrBadCursor, Status: http.StatusBadRequest, Code: "invalid_cursor", Message: "cursor is not valid; start again without it"},
	{Target: store.ErrConflict, Status: http.StatusConflict, Code: "conflict", Message: "the item changed meanwhile; try again"},
}

type sessionRequest struct {
	Instrument string  `json:"instrument"`
	Notes      *string `json:"notes"`
	Analyze    bool    `json:"analyze"`
}

func (a *App) practiceHandlers(add func(string, httpapi.Func)) {
	add("practice-start", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		var in sessionRequest
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		s, err := a.startSession(ctx, uid, in, a.now())
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Created(s)
	}))
	add("practice-end", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		var in struct {
			SessionID string  `json:"session_id"`
			Notes     *string `json:"notes"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if in.SessionID == "" {
			return httpapi.Response{}, valid.Errors{{Field: "session_id", Message: "is required"}}
		}
		s, err := a.store.EndSession(ctx, uid, in.SessionID, a.now(), in.Notes)
		if err != nil {
			return httpapi.Response{}, err
		}
		if s.Status == practice.Analyzing {
			s = a.settleEnded(ctx, uid, s)
		}
		return httpapi.OK(s)
	}))
	add("practice-create", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		var in struct {
			StartTime  string `json:"start_time"`
			EndTime    string `json:"end_time"`
			Instrument string `json:"instrument"`
			Notes      string `json:"notes"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		s, err := a.addManual(ctx, uid, in.StartTime, in.EndTime, in.Instrument, in.Notes)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Created(s)
	}))
	add("practice-list", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		loc, err := a.userZone(ctx, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		q, err := practice.ParseListQuery(r.Query("limit"), r.Query("cursor"), r.Query("from"), r.Query("to"), r.Query("instrument"), loc)
		if err != nil {
			return httpapi.Response{}, err
		}
		page, err := a.store.ListSessions(ctx, uid, q)
		if err != nil {
			return httpapi.Response{}, err
		}
		for i, s := range page.Sessions {
			page.Sessions[i] = a.settleWaiting(ctx, uid, s)
		}
		return httpapi.OK(page)
	}))
	add("practice-get", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		s, err := a.store.Session(ctx, uid, r.Param("session_id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(a.settleWaiting(ctx, uid, s))
	}))
	add("practice-update", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		var in struct {
			Notes *string `json:"notes"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if in.Notes == nil {
			return httpapi.Response{}, httpapi.Invalid(httpapi.FieldError{Field: "notes", Message: "is required"})
		}
		notes, err := practice.ParseNotes(*in.Notes)
		if err != nil {
			return httpapi.Response{}, valid.Field("notes", err)
		}
		s, err := a.store.UpdateSession(ctx, uid, r.Param("session_id"), func(s *practice.Session) error {
			s.Notes = notes
			return nil
		})
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(s)
	}))
	add("practice-delete", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		if err := a.store.DeleteSession(ctx, uid, r.Param("session_id")); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent()
	}))
}

// caller runs f with the caller's user id, refusing requests without one.
func (a *App) caller(f func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error)) httpapi.Func {
	return func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if r.UserID == "" {
			return httpapi.Response{}, httpapi.Unauthorized()
		}
		return f(ctx, r, r.UserID)
	}
}

// startSession starts a session in the user's current time zone. A session left running past
// 12 h cannot be meant any more: it is ended (capped) so that the new one can start.
func (a *App) startSession(ctx context.Context, uid string, in sessionRequest, now time.Time) (practice.Session, error) {
	p, _, err := a.store.Profile(ctx, uid)
	if err != nil {
		return practice.Session{}, fmt.Errorf("start: profile: %w", err)
	}
	notes := ""
	if in.Notes != nil {
		notes = *in.Notes
	}
	s, err := practice.Start(practice.StartInput{SessionID: newID(), UserID: uid, Instrument: in.Instrument, Notes: notes,
		TimeZone: p.TimeZone, Analyze: in.Analyze}, now)
	if err != nil {
		return practice.Session{}, err
	}
	for attempt := 0; ; attempt++ {
		err = a.store.StartSession(ctx, s)
		if !errors.Is(err, practice.ErrActiveExists) {
			return s, err
		}
		active, aerr := a.store.ActiveSession(ctx, uid)
		switch {
		case errors.Is(aerr, practice.ErrNotFound) && attempt < 2:
			continue // it ended meanwhile
		case aerr != nil:
			return practice.Session{}, err
		case attempt < 2 && practice.Stale(active, now):
			if _, err := a.store.EndSession(ctx, uid, active.SessionID, now, nil); err != nil {
				return practice.Session{}, err
			}
			continue
		}
		return practice.Session{}, &httpapi.Error{Status: http.StatusConflict, Code: "session_active",
			Message: fmt.Sprintf("session %s is still active; end it first", active.SessionID)}
	}
}

func (a *App) addManual(ctx context.Context, uid, startS, endS, instr, notes string) (practice.Session, error) {
	var errs valid.Errors
	start := parseTime(&errs, "start_time", startS)
	end := parseTime(&errs, "end_time", endS)
	if len(errs) > 0 {
		return practice.Session{}, errs
	}
	p, _, err := a.store.Profile(ctx, uid)
	if err != nil {
		return practice.Session{}, fmt.Errorf("manual entry: profile: %w", err)
	}
	now := a.now()
	in := practice.ManualInput{SessionID: newID(), UserID: uid, Instrument: instr, Notes: notes, TimeZone: p.TimeZone, StartTime: start, EndTime: end}
	// The rules that need no reading come first, so bad input costs no query.
	if err := practice.ValidateManualTimes(start.Truncate(time.Second), end.Truncate(time.Second), now); err != nil {
		return practice.Session{}, err
	}
	from, to := practice.OverlapWindow(start, end)
	for attempt := 0; ; attempt++ {
		// The guard is read first: an entry that lands after it makes the write below fail.
		g, err := a.store.ManualGuard(ctx, uid)
		if err != nil {
			return practice.Session{}, err
		}
		existing, err := a.store.SessionsStartingIn(ctx, uid, from, to)
		if err != nil {
			return practice.Session{}, err
		}
		if existing, err = a.withRecent(ctx, uid, existing, g.Recent); err != nil {
			return practice.Session{}, err
		}
		s, err := practice.NewManual(in, now, existing)
		if err != nil {
			return practice.Session{}, err
		}
		err = a.store.AddManualSession(ctx, s, g)
		if errors.Is(err, store.ErrGuardChanged) && attempt < 4 {
			continue
		}
		if err != nil {
			return practice.Session{}, err
		}
		return s, nil
	}
}

// withRecent adds to the sessions the index returned the user's recent manual entries that it
// does not show yet, if they still exist (one may have been deleted since).
func (a *App) withRecent(ctx context.Context, uid string, existing []practice.Session, recent []store.RecentEntry) ([]practice.Session, error) {
	seen := map[string]bool{}
	for _, s := range existing {
		seen[s.SessionID] = true
	}
	for _, r := range recent {
		if seen[r.SessionID] {
			continue
		}
		s, err := a.store.Session(ctx, uid, r.SessionID)
		if errors.Is(err, practice.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		existing = append(existing, s)
	}
	return existing, nil
}

func parseTime(errs *valid.Errors, field, s string) time.Time {
	if s == "" {
		errs.Add(field, "is required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		errs.Add(field, "must be an RFC 3339 time such as 2026-03-01T09:30:00Z")
	}
	return t.UTC()
}

// userZone is the location of the user's current time zone.
func (a *App) userZone(ctx context.Context, uid string) (*time.Location, error) {
	p, _, err := a.store.Profile(ctx, uid)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", uid, err)
	}
	loc, err := timezone.Load(p.TimeZone)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}
