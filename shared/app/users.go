package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"woodshed/shared/httpapi"
	"woodshed/shared/practice"
	"woodshed/shared/profile"
	"woodshed/shared/stats"
	"woodshed/shared/store"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
)

// userRules map profile errors.
var userRules = httpapi.Rules{
	{Target: errUserNotFound, Status: http.StatusNotFound, Code: "user_not_found", Message: "no such user"},
	{Target: errNotOwner, Status: http.StatusForbidden, Code: "forbidden", Message: "you can only change your own profile"},
}

var (
	// errUserNotFound is also what a private profile looks like to others: they cannot tell it
	// exists.
	errUserNotFound = errors.New("user not found")
	errNotOwner     = errors.New("not the profile's owner")
)

// Image upload limits.
const (
	MaxImageBytes  = 5 << 20
	imageUploadTTL = 10 * time.Minute
)

var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// profileResponse is GET /auth/me: the profile and the account's e-mail address.
type profileResponse struct {
	profile.View
	Email string `json:"email"`
}

func (a *App) userHandlers(add func(string, httpapi.Func)) {
	add("users-get", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		p, err := a.visibleProfile(ctx, r, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(p.View())
	}))
	add("users-update", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		if !ownTarget(r, uid) {
			return httpapi.Response{}, errNotOwner
		}
		var u profile.Update
		if err := r.Decode(&u); err != nil {
			return httpapi.Response{}, err
		}
		old, _, err := a.store.Profile(ctx, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		next := old
		if err := profile.Apply(&next, u); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.store.UpdateProfile(ctx, old, next); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(next.View())
	}))
	add("users-upload-image", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		if !ownTarget(r, uid) {
			return httpapi.Response{}, errNotOwner
		}
		var in struct {
			ContentType string `json:"content_type"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if !imageTypes[in.ContentType] {
			return httpapi.Response{}, valid.Errors{{Field: "content_type", Message: "must be image/jpeg, image/png or image/webp"}}
		}
		up, err := a.presign.PresignPost(ctx, a.cfg.ImagesBucket, uploadPrefix+uid+"/"+newID(), in.ContentType, MaxImageBytes, imageUploadTTL)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Created(map[string]any{"upload": up, "max_bytes": MaxImageBytes, "expires_at": up.ExpiresAt})
	}))
	add("users-calendar", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		p, err := a.visibleProfile(ctx, r, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		loc := zoneOf(p)
		var rng practice.DateRange
		if r.Query("from") == "" && r.Query("to") == "" {
			rng, err = stats.DashboardRange(practice.DateOf(a.now(), loc))
		} else {
			rng, err = practice.ParseDateRange(r.Query("from"), r.Query("to"), practice.MaxRangeDays)
		}
		if err != nil {
			return httpapi.Response{}, err
		}
		days, err := a.store.Days(ctx, p.UserID, rng.From, rng.To)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(stats.Calendar{TimeZone: p.TimeZone, Days: stats.CalendarDays(rng, days)})
	}))
	add("users-statistics", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		period, err := stats.ParsePeriod(r.Query("period"))
		if err != nil {
			return httpapi.Response{}, err
		}
		p, err := a.visibleProfile(ctx, r, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		days, err := a.store.Days(ctx, p.UserID, "", maxDate)
		if err != nil {
			return httpapi.Response{}, err
		}
		st, err := stats.Compute(period, practice.DateOf(a.now(), zoneOf(p)), days)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(st)
	}))
	add("users-dashboard", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		period, err := stats.ParsePeriod(r.Query("period"))
		if err != nil {
			return httpapi.Response{}, err
		}
		p, err := a.visibleProfile(ctx, r, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		d, err := a.dashboard(ctx, p, p.UserID == uid, period)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(d)
	}))
}

// maxDate is past every local date, for "all days" queries.
const maxDate = "9999-12-31"

// uploadPrefix starts the key of every browser upload to the images bucket; the image Lambda
// is triggered on it.
const uploadPrefix = "uploads/"

// Dashboard is GET /users/{user_id}/dashboard.
type Dashboard struct {
	Profile        profile.View       `json:"profile"`
	Statistics     stats.Statistics   `json:"statistics"`
	Lifetime       store.Totals       `json:"lifetime"`
	RecentSessions []practice.Session `json:"recent_sessions"`
	ActiveSession  *practice.Session  `json:"active_session"`
	Calendar       stats.Calendar     `json:"calendar"`
}

// dashboard reads everything the dashboard shows with four requests in parallel: all day items
// (statistics, streaks and the calendar), the lifetime totals, the recent sessions and the active
// session. Sessions are the owner's alone.
func (a *App) dashboard(ctx context.Context, p profile.Profile, owner bool, period stats.Period) (Dashboard, error) {
	today := practice.DateOf(a.now(), zoneOf(p))
	rng, err := stats.DashboardRange(today)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Profile: p.View(), RecentSessions: []practice.Session{}}
	var days []stats.Day
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		days, err = a.store.Days(gctx, p.UserID, "", maxDate)
		return err
	})
	g.Go(func() (err error) {
		d.Lifetime, err = a.store.Totals(gctx, p.UserID)
		return err
	})
	if owner {
		g.Go(func() error {
			page, err := a.store.ListSessions(gctx, p.UserID, practice.ListQuery{Limit: stats.DashboardRecentSessions})
			d.RecentSessions = page.Sessions
			return err
		})
		g.Go(func() error {
			s, err := a.store.ActiveSession(gctx, p.UserID)
			if errors.Is(err, practice.ErrNotFound) {
				return nil
			}
			d.ActiveSession = &s
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard of %s: %w", p.UserID, err)
	}
	if d.Statistics, err = stats.Compute(period, today, days); err != nil {
		return Dashboard{}, err
	}
	d.Calendar = stats.Calendar{TimeZone: p.TimeZone, Days: stats.CalendarDays(rng, days)}
	return d, nil
}

// ownTarget reports whether the {user_id} of the path is the caller ("me" or their own id).
func ownTarget(r *httpapi.Request, uid string) bool {
	id := r.Param("user_id")
	return id == "me" || id == uid
}

// visibleProfile is the profile {user_id} names if the caller may see it: their own always,
// another's only when public; anything else is errUserNotFound.
func (a *App) visibleProfile(ctx context.Context, r *httpapi.Request, uid string) (profile.Profile, error) {
	id := r.Param("user_id")
	if id == "me" {
		id = uid
	}
	p, _, err := a.store.Profile(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !p.VisibleTo(uid) {
		return profile.Profile{}, errUserNotFound
	}
	return p, err
}

// zoneOf is the profile's current zone, UTC if it no longer loads.
func zoneOf(p profile.Profile) *time.Location {
	loc, err := timezone.Load(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
