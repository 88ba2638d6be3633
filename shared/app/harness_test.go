package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/app"
	"woodshed/shared/gateway"
	"woodshed/shared/jwtauth"
	"woodshed/shared/localstack"
	"woodshed/shared/routes"
)

func TestMain(m *testing.M) {
	// One log line per request drowns the test output; failures report what they need.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	localstack.Main(m)
}

// env is the service on the local stack behind the API Gateway emulation, as `make dev` runs it.
type env struct {
	stack *localstack.Stack
	app   *app.App
	api   *httptest.Server
}

var shared struct {
	once sync.Once
	env  *env
	err  error
}

func testEnv(t testing.TB) *env {
	t.Helper()
	st := localstack.Shared(t)
	shared.once.Do(func() {
		ctx := context.Background()
		cfg := st.Config()
		a, err := app.New(ctx, cfg)
		if err != nil {
			shared.err = err
			return
		}
		v, err := jwtauth.New(jwtauth.Config{Issuer: st.Issuer(), JWKSURL: st.JWKSURL(), ClientID: cfg.ClientID})
		if err != nil {
			shared.err = err
			return
		}
		s3 := a.S3Handlers()
		st.OnObjectCreated(func(ctx context.Context, ev events.S3Event) error {
			if h := s3["image-processor"]; h != nil && len(ev.Records) > 0 && strings.HasPrefix(ev.Records[0].S3.Object.Key, "uploads/") {
				return h(ctx, ev)
			}
			return nil
		})
		shared.env = &env{stack: st, app: a, api: httptest.NewServer(gateway.New(routes.Table, a.HTTPHandlers(), v, gateway.Options{}))}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.env
}

// user is a signed-up, confirmed, logged-in account.
type user struct {
	ID, Email, Nickname, Token string
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// signUp registers, confirms with the code from the outbox and logs in, through the API.
func (e *env) signUp(t testing.TB) user {
	t.Helper()
	u := user{Email: "m" + randHex(6) + "@example.com", Nickname: "u" + randHex(6)}
	since := time.Now()
	var reg struct {
		UserID string `json:"user_id"`
	}
	e.must(t, "", "POST", "/auth/register", map[string]string{"email": u.Email, "password": "Passw0rd!long", "nickname": u.Nickname}, 201, &reg)
	u.ID = reg.UserID
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msg, err := e.stack.Outbox().Wait(ctx, u.Email, since)
	if err != nil {
		t.Fatalf("sign-up code: %v", err)
	}
	e.must(t, "", "POST", "/auth/confirm", map[string]string{"email": u.Email, "code": msg.Code}, 200, nil)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	e.must(t, "", "POST", "/auth/login", map[string]string{"email": u.Email, "password": "Passw0rd!long"}, 200, &tok)
	u.Token = tok.AccessToken
	return u
}

// call sends a request with the user's token (none when token is empty) and returns the status
// and body. body is JSON-encoded unless it is a string.
func (e *env) call(t testing.TB, token, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.api.URL+"/api"+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// must is call that fails the test unless the status is want, decoding the body into out.
func (e *env) must(t testing.TB, token, method, path string, body any, want int, out any) {
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
func (e *env) refused(t testing.TB, token, method, path string, body any, status int, code string) {
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
