package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type site struct {
	t    *testing.T
	base string
}

func (s site) do(method, path, token string, body any) (int, string) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// start runs the devstack as `make dev` does, on a free port, until the returned stop is called.
func start(t *testing.T, dataDir, webDir string) (site, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	env := map[string]string{"PORT": port, "HOST": "127.0.0.1", "DATA_DIR": dataDir, "WEB_DIR": webDir}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- run(ctx, func(k string) string { return env[k] }, &out, ready) }()
	select {
	case addr := <-ready:
		t.Logf("devstack up: %s", firstLine(out.String(), "start-up"))
		return site{t, "http://" + addr}, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		}
	case err := <-done:
		cancel()
		t.Fatalf("devstack did not start: %v\n%s", err, out.String())
	case <-time.After(4 * time.Minute):
		cancel()
		t.Fatal("devstack start timed out")
	}
	return site{}, nil
}

func firstLine(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, prefix) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

func TestDevstackSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole local stack")
	}
	dataDir := t.TempDir()
	webDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(webDir, "index.html"), []byte("<!doctype html><title>Woodshed SPA</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, stop := start(t, dataDir, webDir)

	if code, body := s.do("GET", "/api/health", "", nil); code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Fatalf("health: %d %s", code, body)
	}
	if code, body := s.do("GET", "/api/nope", "", nil); code != 404 || !strings.Contains(body, `"not_found"`) {
		t.Errorf("unknown route: %d %s", code, body)
	}
	var rc struct {
		APIBase    string   `json:"api_base"`
		UserPoolID string   `json:"user_pool_id"`
		ClientID   string   `json:"client_id"`
		Social     []string `json:"social_providers"`
	}
	_, body := s.do("GET", "/config.json", "", nil)
	if err := json.Unmarshal([]byte(body), &rc); err != nil || rc.APIBase != "/api" || rc.UserPoolID == "" || rc.ClientID == "" || rc.Social == nil {
		t.Errorf("config.json: %s", body)
	}
	for _, p := range []string{"/", "/practice", "/sessions/abc"} {
		if code, body := s.do("GET", p, "", nil); code != 200 || !strings.Contains(body, "Woodshed SPA") {
			t.Errorf("SPA %s: %d %s", p, code, body)
		}
	}
	if code, _ := s.do("GET", "/assets/missing.js", "", nil); code != 404 {
		t.Errorf("missing asset: %d", code)
	}

	// Sign up, read the code from the outbox, confirm, log in, call a protected route.
	email := fmt.Sprintf("smoke-%d@example.com", time.Now().UnixNano())
	const password = "Practice-123"
	if code, body := s.do("POST", "/api/auth/register", "", map[string]string{"email": email, "password": password, "nickname": fmt.Sprintf("smoke%d", time.Now().UnixNano()%1e8)}); code != 201 {
		t.Fatalf("register: %d %s", code, body)
	}
	// The newest code to the address once n have arrived.
	codeAfter := func(n int) string {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			_, body := s.do("GET", "/api/_dev/outbox", "", nil)
			var ob struct {
				Messages []struct{ To, Subject, Code string } `json:"messages"`
			}
			_ = json.Unmarshal([]byte(body), &ob)
			var mine []string
			for _, m := range ob.Messages {
				if m.To == email {
					mine = append(mine, m.Code)
				}
			}
			if len(mine) >= n {
				return mine[0]
			}
		}
		t.Fatalf("fewer than %d codes for %s in /api/_dev/outbox", n, email)
		return ""
	}
	codeAfter(1)
	if c, body := s.do("POST", "/api/auth/resend-code", "", map[string]string{"email": email}); c != 200 {
		t.Fatalf("resend-code: %d %s", c, body)
	}
	code := codeAfter(2)
	if _, page := s.do("GET", "/_dev/outbox", "", nil); !strings.Contains(page, code) || !strings.Contains(page, email) {
		t.Errorf("outbox page lacks the code")
	}
	if c, body := s.do("POST", "/api/auth/confirm", "", map[string]string{"email": email, "code": code}); c != 200 {
		t.Fatalf("confirm: %d %s", c, body)
	}
	token := login(t, s, email, password)
	if c, body := s.do("GET", "/api/auth/me", "", nil); c != 401 || strings.TrimSpace(body) != `{"message":"Unauthorized"}` {
		t.Errorf("me without token: %d %s", c, body)
	}
	if c, body := s.do("GET", "/api/auth/me", token, nil); c != 200 || !strings.Contains(body, email) {
		t.Errorf("me: %d %s", c, body)
	}
	stop()

	// Everything persisted under DATA_DIR: after a restart the account still logs in.
	s, stop = start(t, dataDir, webDir)
	defer stop()
	token = login(t, s, email, password)
	if c, body := s.do("GET", "/api/auth/me", token, nil); c != 200 || !strings.Contains(body, email) {
		t.Errorf("me after restart: %d %s", c, body)
	}
}

func login(t *testing.T, s site, email, password string) string {
	t.Helper()
	c, body := s.do("POST", "/api/auth/login", "", map[string]string{"email": email, "password": password})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); c != 200 || err != nil || tok.AccessToken == "" {
		t.Fatalf("login: %d %s", c, body)
	}
	return tok.AccessToken
}
