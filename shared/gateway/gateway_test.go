package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/golang-jwt/jwt/v5"

	"woodshed/shared/httpapi"
	"woodshed/shared/jwtauth"
	"woodshed/shared/routes"
)

const clientID = "client-1"

// issuer is a JWKS server plus the key that signs tokens for it.
type issuer struct {
	url string
	key *rsa.PrivateKey
}

func newIssuer(t testing.TB) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jwks)
	}))
	t.Cleanup(srv.Close)
	return &issuer{url: srv.URL + "/local_pool", key: key}
}

func (is *issuer) token(t testing.TB, sub string, exp time.Time) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"sub": sub, "iss": is.url, "client_id": clientID, "token_use": "access",
		"scope": "aws.cognito.signin.user.admin", "username": sub,
		"iat": time.Now().Add(-time.Minute).Unix(), "exp": exp.Unix(),
	})
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(is.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var table = []routes.Route{
	{Method: "GET", Path: "/health", Function: "health"},
	{Method: "GET", Path: "/users/{user_id}", Function: "users-get"},
	{Method: "PUT", Path: "/users/{user_id}", Function: "users-put", Auth: true},
	{Method: "GET", Path: "/users/me", Function: "users-me"},
	{Method: "POST", Path: "/echo", Function: "echo"},
	{Method: "GET", Path: "/files/{path+}", Function: "files"},
	{Method: "GET", Path: "/boom", Function: "boom"},
	{Method: "GET", Path: "/fail", Function: "fail"},
	{Method: "GET", Path: "/slow", Function: "slow"},
	{Method: "GET", Path: "/missing", Function: "missing"},
	{Method: "GET", Path: "/binary", Function: "binary"},
}

type recorder struct {
	last events.APIGatewayV2HTTPRequest
}

func (rec *recorder) handlers() map[string]httpapi.Handler {
	ok := func(name string) httpapi.Handler {
		return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			rec.last = req
			lc, _ := lambdacontext.FromContext(ctx)
			b, _ := json.Marshal(map[string]any{"fn": name, "params": req.PathParameters, "request_id": lc.AwsRequestID})
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(b)}, nil
		}
	}
	return map[string]httpapi.Handler{
		"health": ok("health"), "users-get": ok("users-get"), "users-put": ok("users-put"),
		"users-me": ok("users-me"), "files": ok("files"),
		"echo": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			rec.last = req
			return events.APIGatewayV2HTTPResponse{
				StatusCode:        201,
				Headers:           map[string]string{"Content-Type": "text/plain", "X-One": "1"},
				MultiValueHeaders: map[string][]string{"X-Multi": {"a", "b"}},
				Cookies:           []string{"a=1; Path=/", "b=2; HttpOnly"},
				Body:              req.Body,
				IsBase64Encoded:   req.IsBase64Encoded,
			}, nil
		},
		"binary": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"},
				Body: base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G', 0}), IsBase64Encoded: true}, nil
		},
		"boom": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			panic("kaboom")
		},
		"fail": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{}, errors.New("db down")
		},
		"slow": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			<-ctx.Done()
			return events.APIGatewayV2HTTPResponse{}, ctx.Err()
		},
	}
}

func newGateway(t testing.TB) (*Gateway, *recorder, *issuer) {
	t.Helper()
	is := newIssuer(t)
	v, err := jwtauth.New(jwtauth.Config{Issuer: is.url, ClientID: clientID})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	g := New(table, rec.handlers(), v, Options{Timeout: 200 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return g, rec, is
}

func do(g http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	g.ServeHTTP(w, req)
	return w
}

func TestRoutingAndEvent(t *testing.T) {
	g, rec, _ := newGateway(t)
	req := httptest.NewRequest("GET", "/api/users/u%20123?x=1&x=2&y=z%26", nil)
	req.Header.Add("X-Custom", "a")
	req.Header.Add("X-Custom", "b")
	req.Header.Set("Cookie", "s=1; t=2")
	req.Header.Set("User-Agent", "test-agent")
	w := do(g, req)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	ev := rec.last
	checks := map[string][2]string{
		"version":    {ev.Version, "2.0"},
		"routeKey":   {ev.RouteKey, "GET /users/{user_id}"},
		"ctxRoute":   {ev.RequestContext.RouteKey, "GET /users/{user_id}"},
		"rawPath":    {ev.RawPath, "/api/users/u%20123"},
		"rawQuery":   {ev.RawQueryString, "x=1&x=2&y=z%26"},
		"param":      {ev.PathParameters["user_id"], "u 123"},
		"query x":    {ev.QueryStringParameters["x"], "1,2"},
		"query y":    {ev.QueryStringParameters["y"], "z&"},
		"header":     {ev.Headers["x-custom"], "a,b"},
		"host":       {ev.Headers["host"], "example.com"},
		"xff":        {ev.Headers["x-forwarded-for"], "192.0.2.1"},
		"xfproto":    {ev.Headers["x-forwarded-proto"], "http"},
		"method":     {ev.RequestContext.HTTP.Method, "GET"},
		"path":       {ev.RequestContext.HTTP.Path, "/api/users/u 123"},
		"sourceIp":   {ev.RequestContext.HTTP.SourceIP, "192.0.2.1"},
		"userAgent":  {ev.RequestContext.HTTP.UserAgent, "test-agent"},
		"stage":      {ev.RequestContext.Stage, "$default"},
		"cookieHdr":  {ev.Headers["cookie"], ""},
		"cookies":    {strings.Join(ev.Cookies, "|"), "s=1|t=2"},
		"authorizer": {func() string { return map[bool]string{true: "set", false: ""}[ev.RequestContext.Authorizer != nil] }(), ""},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if len(ev.RequestContext.RequestID) != 15 || ev.RequestContext.TimeEpoch == 0 || ev.RequestContext.Time == "" {
		t.Errorf("request context = %+v", ev.RequestContext)
	}
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	if out["request_id"] != ev.RequestContext.RequestID {
		t.Errorf("lambda context request id %v, event %v", out["request_id"], ev.RequestContext.RequestID)
	}
}

func TestLiteralBeatsParameter(t *testing.T) {
	g, _, _ := newGateway(t)
	w := do(g, httptest.NewRequest("GET", "/api/users/me", nil))
	if !strings.Contains(w.Body.String(), `"fn":"users-me"`) {
		t.Errorf("body %s", w.Body)
	}
	w = do(g, httptest.NewRequest("GET", "/api/files/a/b/c.txt", nil))
	if !strings.Contains(w.Body.String(), `"path":"a/b/c.txt"`) {
		t.Errorf("greedy: %s", w.Body)
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	g, _, _ := newGateway(t)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/nope", 404, "not_found"},
		{"GET", "/health", 404, "not_found"},
		{"GET", "/api", 404, "not_found"},
		{"GET", "/api/users", 404, "not_found"},
		{"GET", "/api/users/a/b", 404, "not_found"},
		{"GET", "/api/files", 404, "not_found"},
		{"DELETE", "/api/users/x", 405, "method_not_allowed"},
		{"POST", "/api/health", 405, "method_not_allowed"},
	} {
		w := do(g, httptest.NewRequest(tc.method, tc.path, nil))
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != tc.status || body.Error.Code != tc.code || body.Error.Message == "" {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, w.Code, w.Body)
		}
	}
}

func TestAuthorizer(t *testing.T) {
	g, rec, is := newGateway(t)
	other := newIssuer(t)
	good := is.token(t, "user-7", time.Now().Add(time.Hour))
	for name, auth := range map[string]string{
		"missing":        "",
		"garbage":        "Bearer abc",
		"expired":        "Bearer " + is.token(t, "user-7", time.Now().Add(-time.Minute)),
		"foreign issuer": "Bearer " + other.token(t, "user-7", time.Now().Add(time.Hour)),
		"tampered":       "Bearer " + good[:len(good)-4] + "AAAA",
	} {
		req := httptest.NewRequest("PUT", "/api/users/me", strings.NewReader(`{}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		w := do(g, req)
		if w.Code != 401 || strings.TrimSpace(w.Body.String()) != `{"message":"Unauthorized"}` {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	for _, auth := range []string{"Bearer " + good, "bearer " + good, good} {
		req := httptest.NewRequest("PUT", "/api/users/me", strings.NewReader(`{}`))
		req.Header.Set("Authorization", auth)
		w := do(g, req)
		if w.Code != 200 {
			t.Fatalf("%q: %d %s", auth[:10], w.Code, w.Body)
		}
		a := rec.last.RequestContext.Authorizer
		if a == nil || a.JWT == nil || a.JWT.Claims["sub"] != "user-7" || a.JWT.Claims["token_use"] != "access" ||
			len(a.JWT.Scopes) != 1 || a.JWT.Scopes[0] != "aws.cognito.signin.user.admin" {
			t.Fatalf("authorizer = %+v", a)
		}
	}
	// A public route ignores a token entirely, like API Gateway without an authorizer.
	req := httptest.NewRequest("GET", "/api/users/x", nil)
	req.Header.Set("Authorization", "Bearer junk")
	if w := do(g, req); w.Code != 200 || rec.last.RequestContext.Authorizer != nil {
		t.Errorf("public route: %d %+v", w.Code, rec.last.RequestContext.Authorizer)
	}
}

func TestBodiesAndResponse(t *testing.T) {
	g, rec, _ := newGateway(t)
	req := httptest.NewRequest("POST", "/api/echo", strings.NewReader(`{"a":"é"}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	w := do(g, req)
	if rec.last.IsBase64Encoded || rec.last.Body != `{"a":"é"}` || rec.last.Headers["content-length"] != "10" {
		t.Errorf("text body: %+v", rec.last)
	}
	if w.Code != 201 || w.Body.String() != `{"a":"é"}` || w.Header().Get("X-One") != "1" ||
		strings.Join(w.Header().Values("X-Multi"), ",") != "a,b" ||
		strings.Join(w.Header().Values("Set-Cookie"), "|") != "a=1; Path=/|b=2; HttpOnly" {
		t.Errorf("response: %d %v %s", w.Code, w.Header(), w.Body)
	}

	bin := []byte{0, 1, 2, 0xff, 0xfe}
	req = httptest.NewRequest("POST", "/api/echo", bytes.NewReader(bin))
	req.Header.Set("Content-Type", "application/octet-stream")
	w = do(g, req)
	if !rec.last.IsBase64Encoded || rec.last.Body != base64.StdEncoding.EncodeToString(bin) {
		t.Errorf("binary body: %+v", rec.last)
	}
	if !bytes.Equal(w.Body.Bytes(), bin) {
		t.Errorf("binary echo = %v", w.Body.Bytes())
	}

	w = do(g, httptest.NewRequest("GET", "/api/binary", nil))
	if w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), []byte{0x89, 'P', 'N', 'G', 0}) {
		t.Errorf("base64 response: %v %v", w.Header(), w.Body.Bytes())
	}

	big := bytes.Repeat([]byte("a"), MaxBodyBytes+1)
	req = httptest.NewRequest("POST", "/api/echo", bytes.NewReader(big))
	req.Header.Set("Content-Type", "text/plain")
	w = do(g, req)
	if w.Code != 413 || !strings.Contains(w.Body.String(), "Request Entity Too Large") {
		t.Errorf("oversized: %d %s", w.Code, w.Body)
	}
}

func TestHandlerFailures(t *testing.T) {
	g, _, _ := newGateway(t)
	for path, want := range map[string]int{"/api/boom": 500, "/api/fail": 500, "/api/slow": 503, "/api/missing": 501} {
		w := do(g, httptest.NewRequest("GET", path, nil))
		if w.Code != want {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
		if want == 500 && strings.TrimSpace(w.Body.String()) != `{"message":"Internal Server Error"}` {
			t.Errorf("%s leaks: %s", path, w.Body)
		}
	}
}

func TestBadHandlerResponse(t *testing.T) {
	h := map[string]httpapi.Handler{
		"zero": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{Body: "x"}, nil
		},
		"b64": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "%%%", IsBase64Encoded: true}, nil
		},
	}
	g := New([]routes.Route{{Method: "GET", Path: "/zero", Function: "zero"}, {Method: "GET", Path: "/b64", Function: "b64"}},
		h, nil, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, p := range []string{"/api/zero", "/api/b64"} {
		if w := do(g, httptest.NewRequest("GET", p, nil)); w.Code != 500 {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
}

func TestBadTablePanics(t *testing.T) {
	for name, tbl := range map[string][]routes.Route{
		"no slash":      {{Method: "GET", Path: "x", Function: "f"}},
		"lower method":  {{Method: "get", Path: "/x", Function: "f"}},
		"duplicate":     {{Method: "GET", Path: "/a/{x}", Function: "f"}, {Method: "GET", Path: "/a/{y}", Function: "g"}},
		"greedy middle": {{Method: "GET", Path: "/a/{p+}/b", Function: "f"}},
		"auth no verif": {{Method: "GET", Path: "/a", Function: "f", Auth: true}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			New(tbl, nil, nil, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		}()
	}
}

func TestRealRouteTable(t *testing.T) {
	// Every row of the real table must be routable, and reach its own handler.
	hit := ""
	h := map[string]httpapi.Handler{}
	for _, r := range routes.Table {
		fn := r.Function
		h[fn] = func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			hit = fn
			return events.APIGatewayV2HTTPResponse{StatusCode: 204}, nil
		}
	}
	is := newIssuer(t)
	v, _ := jwtauth.New(jwtauth.Config{Issuer: is.url, ClientID: clientID})
	g := New(routes.Table, h, v, Options{})
	tok := is.token(t, "u", time.Now().Add(time.Hour))
	for _, r := range routes.Table {
		path := "/api" + strings.NewReplacer("{", "", "}", "").Replace(r.Path)
		req := httptest.NewRequest(r.Method, path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		hit = ""
		if w := do(g, req); w.Code != 204 || hit != r.Function {
			t.Errorf("%s %s: %d, hit %q", r.Method, r.Path, w.Code, hit)
		}
	}
}

// BenchmarkGateway measures the emulation's own cost per request: routing, the event, the
// authorizer's RS256 check (keys cached) and writing the response.
func BenchmarkGateway(b *testing.B) {
	g, _, is := newGateway(b)
	tok := is.token(b, "user-1", time.Now().Add(time.Hour))
	for _, bc := range []struct {
		name, method, path, auth string
	}{
		{"public", "GET", "/api/users/u1?x=1", ""},
		{"authorized", "PUT", "/api/users/me", "Bearer " + tok},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(bc.method, bc.path, strings.NewReader(`{"bio":"hi"}`))
				req.Header.Set("Content-Type", "application/json")
				if bc.auth != "" {
					req.Header.Set("Authorization", bc.auth)
				}
				w := httptest.NewRecorder()
				g.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
