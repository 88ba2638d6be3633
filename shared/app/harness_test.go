package app_test

import (
	"encoding/json"
	"testing"

	"woodshed/shared/apptest"
)

// env wraps the shared integration environment with typed helpers for these tests.
type env struct{ *apptest.Env }

func testEnv(t testing.TB) env { return env{apptest.Start(t)} }

// user is a signed-up, confirmed, logged-in account.
type user struct {
	ID, Email, Nickname, Token string
}

func (e env) signUp(t testing.TB) user {
	t.Helper()
	u := e.NewUser(t)
	return user{ID: u.ID, Email: u.Email, Nickname: u.Nickname, Token: u.AccessToken}
}

// call sends a request with the token (none when empty) and returns the status and raw body.
func (e env) call(t testing.TB, token, method, path string, body any) (int, []byte) {
	t.Helper()
	return e.CallRaw(t, method, path, token, body)
}

// must is call that fails the test unless the status is want, decoding the body into out.
func (e env) must(t testing.TB, token, method, path string, body any, want int, out any) {
	t.Helper()
	status, b := e.call(t, token, method, path, body)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

// refused checks that the request fails with status and error code.
func (e env) refused(t testing.TB, token, method, path string, body any, status int, code string) {
	t.Helper()
	got, b := e.call(t, token, method, path, body)
	var eb struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &eb)
	if got != status || eb.Error.Code != code {
		t.Errorf("%s %s %v: %d %s, want %d %s", method, path, body, got, b, status, code)
	}
}
