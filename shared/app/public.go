package app

import (
	"context"
	"errors"
	"net/http"

	"woodshed/shared/httpapi"
	"woodshed/shared/profile"
	"woodshed/shared/stats"
	"woodshed/shared/store"
)

// errNoPublicProfile is both an unknown nickname and a private profile, so the answer does not
// reveal which.
var errNoPublicProfile = errors.New("no public profile")

var publicRules = httpapi.Rules{
	{Target: errNoPublicProfile, Status: http.StatusNotFound, Code: "not_found", Message: "profile not found"},
}

// PublicProfile is GET /public/profiles/{nickname}: what a shared link shows to anyone.
type PublicProfile struct {
	Profile    profile.View     `json:"profile"`
	Statistics stats.Statistics `json:"statistics"`
	Calendar   stats.Calendar   `json:"calendar"`
}

func (a *App) publicHandlers(add func(string, httpapi.Func)) {
	// No caller: the route has no authorizer, and a token, if sent, changes nothing.
	add("public-profile", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		p, err := a.store.ProfileByNickname(ctx, r.Param("nickname"))
		if errors.Is(err, store.ErrNotFound) || err == nil && p.Visibility != profile.Public {
			return httpapi.Response{}, errNoPublicProfile
		}
		if err != nil {
			return httpapi.Response{}, err
		}
		d, err := a.dashboard(ctx, p, false, stats.All)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(PublicProfile{Profile: d.Profile, Statistics: d.Statistics, Calendar: d.Calendar})
	})
}
