// Package apptest is the integration-test harness: the local stand-ins (shared/localstack), the
// app's real handlers behind the local API Gateway (shared/gateway) on an httptest server, and
// helpers to call the API as a signed-up user. One environment per test binary:
//
//	func TestMain(m *testing.M) { localstack.Main(m) }
//
//	func TestX(t *testing.T) {
//		env := apptest.Start(t)
//		u := env.NewUser(t)
//		status, body := env.Call(t, "GET", "/auth/me", u.AccessToken, nil)
//	}
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"woodshed/shared/app"
	"woodshed/shared/gateway"
	"woodshed/shared/jwtauth"
	"woodshed/shared/localstack"
	"woodshed/shared/routes"
)

// Env is a running app on the local stand-ins.
type Env struct {
	Stack *localstack.Stack
	App   *app.App
	URL   string // base URL of the API, e.g. http://127.0.0.1:PORT/api
}

var (
	once   sync.Once
	env    *Env
	envErr error
)

// Start returns the test binary's environment, starting it on first use.
func Start(t testing.TB) *Env {
	t.Helper()
	st := localstack.Shared(t)
	once.Do(func() { env, envErr = build(st) })
	if envErr != nil {
		t.Fatalf("apptest: %v", envErr)
	}
	return env
}

func build(st *localstack.Stack) (*Env, error) {
	ctx := context.Background()
	a, err := app.New(ctx, st.Config())
	if err != nil {
		return nil, err
	}
	v, err := jwtauth.New(jwtauth.Config{Issuer: st.Issuer(), JWKSURL: st.JWKSURL(), ClientID: st.Config().ClientID})
	if err != nil {
		return nil, err
	}
	st.OnObjectCreated(a.DispatchS3)
	gw := gateway.New(routes.Table, a.HTTPHandlers(), v, gateway.Options{})
	srv := httptest.NewServer(gw)
	return &Env{Stack: st, App: a, URL: srv.URL + "/api"}, nil
}

// Call sends a JSON request (body may be nil, a string sent as is, or a value to encode) with an
// optional bearer token and returns the status and the decoded JSON body (nil when empty).
func (e *Env) Call(t testing.TB, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	status, raw := e.CallRaw(t, method, path, token, body)
	if len(bytes.TrimSpace(raw)) == 0 {
		return status, nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: response is not a JSON object: %q", method, path, raw)
	}
	return status, out
}

// CallRaw is Call without decoding.
func (e *Env) CallRaw(t testing.TB, method, path, token string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// User is a confirmed, logged-in account.
type User struct {
	ID, Email, Password, Nickname string
	AccessToken, IDToken          string
	RefreshToken                  string
}

var seq atomic.Int64

// UniqueName returns a name no other test of this run uses (emails, nicknames).
func UniqueName(prefix string) string {
	return fmt.Sprintf("%s%d_%d", prefix, time.Now().UnixNano()%1e8, seq.Add(1))
}

// Password is a password that meets the policy.
const Password = "Practice2026"

// NewUser signs up, confirms with the code from the outbox and logs in, all through the API.
func (e *Env) NewUser(t testing.TB) User {
	t.Helper()
	name := UniqueName("u")
	u := User{Email: strings.ToLower(name) + "@example.com", Password: Password, Nickname: name}
	since := time.Now().Add(-time.Second)
	status, out := e.Call(t, "POST", "/auth/register", "", map[string]string{"email": u.Email, "password": u.Password, "nickname": u.Nickname})
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, out)
	}
	u.ID, _ = out["user_id"].(string)
	code := e.Code(t, u.Email, since)
	if status, out := e.Call(t, "POST", "/auth/confirm", "", map[string]string{"email": u.Email, "code": code}); status != http.StatusOK {
		t.Fatalf("confirm: %d %v", status, out)
	}
	e.Login(t, &u)
	return u
}

// Login logs u in and stores its tokens.
func (e *Env) Login(t testing.TB, u *User) {
	t.Helper()
	status, out := e.Call(t, "POST", "/auth/login", "", map[string]string{"email": u.Email, "password": u.Password})
	if status != http.StatusOK {
		t.Fatalf("login: %d %v", status, out)
	}
	u.AccessToken, _ = out["access_token"].(string)
	u.IDToken, _ = out["id_token"].(string)
	u.RefreshToken, _ = out["refresh_token"].(string)
}

// Code waits for the newest code e-mailed to addr after since.
func (e *Env) Code(t testing.TB, addr string, since time.Time) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := e.Stack.Outbox().Wait(ctx, addr, since)
	if err != nil {
		t.Fatalf("no code for %s: %v", addr, err)
	}
	return m.Code
}
