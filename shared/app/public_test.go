package app_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"
)

type publicProfile struct {
	Profile    profileView `json:"profile"`
	Statistics statistics  `json:"statistics"`
	Calendar   calendar    `json:"calendar"`
}

func TestPublicProfileByNickname(t *testing.T) {
	e := testEnv(t)
	u := e.signUp(t)
	path := "/public/profiles/" + url.PathEscape(u.Nickname)

	// Private (the default): no different from a nickname nobody holds, even to the owner's token.
	status, private := e.call(t, "", "GET", path, nil)
	_, unknown := e.call(t, "", "GET", "/public/profiles/nobody_"+u.Nickname, nil)
	if status != 404 || !bytes.Equal(private, unknown) || !strings.Contains(string(private), `"not_found"`) {
		t.Fatalf("private %d %s, unknown %s: want the same 404 not_found", status, private, unknown)
	}
	e.refused(t, u.Token, "GET", path, nil, 404, "not_found")

	start := time.Now().Add(-3 * time.Hour)
	e.must(t, u.Token, "POST", "/practice/sessions", manual("violin", start, 40*time.Minute), 201, nil)
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"visibility": "public", "bio": "Scales daily."}, 200, nil)

	// Public: anyone sees it without a token, by the nickname in any letter case.
	for _, nick := range []string{u.Nickname, strings.ToUpper(u.Nickname)} {
		var got publicProfile
		status, body := e.call(t, "", "GET", "/public/profiles/"+url.PathEscape(nick), nil)
		if status != 200 {
			t.Fatalf("GET public %q: %d %s", nick, status, body)
		}
		e.must(t, "", "GET", "/public/profiles/"+url.PathEscape(nick), nil, 200, &got)
		if got.Profile.UserID != u.ID || got.Profile.Nickname != u.Nickname || got.Profile.Bio != "Scales daily." || got.Profile.Visibility != "public" {
			t.Fatalf("public profile %q = %+v", nick, got.Profile)
		}
		if got.Statistics.Period != "all" || got.Statistics.Sessions != 1 || got.Statistics.TotalPracticeSeconds != 2400 {
			t.Fatalf("public statistics = %+v", got.Statistics)
		}
		if n := len(got.Calendar.Days); n < 78 || n > 84 {
			t.Fatalf("public calendar: %d days", n)
		}
		// Nothing private: no e-mail, no sessions, no lifetime or active session.
		for _, leak := range []string{u.Email, `"email"`, "recent_sessions", "active_session", "session_id", "lifetime"} {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("public body contains %q: %s", leak, body)
			}
		}
	}

	// Private again: gone for everyone.
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"visibility": "private"}, 200, nil)
	if status, body := e.call(t, "", "GET", path, nil); status != 404 || !bytes.Equal(body, unknown) {
		t.Fatalf("after going private: %d %s", status, body)
	}
}
