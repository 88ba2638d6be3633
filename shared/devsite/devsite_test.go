package devsite

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"woodshed/shared/config"
	"woodshed/shared/localstack"
)

type outbox []localstack.Message

func (o outbox) Messages() []localstack.Message { return o }

func newSite(t *testing.T, msgs outbox, withSPA bool) http.Handler {
	t.Helper()
	dir := t.TempDir()
	if withSPA {
		if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>SPA</title>"), 0o644)
		_ = os.WriteFile(filepath.Join(dir, "assets", "app-123.js"), []byte("console.log(1)"), 0o644)
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-From", "api")
		_, _ = io.WriteString(w, r.Method+" "+r.URL.Path)
	})
	return Handler(Options{API: api, Outbox: msgs, WebDir: dir,
		Config: config.Config{Region: "ap-northeast-2", UserPoolID: "local_pool", ClientID: "client"}})
}

func get(h http.Handler, method, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	return w
}

func TestSPAAndFallback(t *testing.T) {
	h := newSite(t, nil, true)
	for _, p := range []string{"/", "/practice", "/sessions/abc", "/u/someone"} {
		if w := get(h, "GET", p); w.Code != 200 || !strings.Contains(w.Body.String(), "<title>SPA</title>") {
			t.Errorf("%s: %d %s", p, w.Code, w.Body)
		}
	}
	w := get(h, "GET", "/assets/app-123.js")
	if w.Code != 200 || w.Body.String() != "console.log(1)" || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %v", w.Code, w.Header())
	}
	if w := get(h, "GET", "/assets/gone.js"); w.Code != 404 {
		t.Errorf("missing asset: %d", w.Code)
	}
	if w := get(h, "GET", "/../../etc/passwd"); strings.Contains(w.Body.String(), "root:") {
		t.Errorf("traversal: %d %s", w.Code, w.Body)
	}
	if w := get(h, "POST", "/practice"); w.Code != 405 {
		t.Errorf("POST to the SPA: %d", w.Code)
	}
}

func TestNoSPABuilt(t *testing.T) {
	h := newSite(t, nil, false)
	w := get(h, "GET", "/")
	if w.Code != 503 || !strings.Contains(w.Body.String(), "not built") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestAPIAndConfig(t *testing.T) {
	h := newSite(t, nil, true)
	if w := get(h, "POST", "/api/auth/login"); w.Header().Get("X-From") != "api" || w.Body.String() != "POST /api/auth/login" {
		t.Errorf("api: %v %s", w.Header(), w.Body)
	}
	if w := get(h, "POST", "/api/_dev/outbox"); w.Header().Get("X-From") != "api" {
		t.Errorf("only GET is the outbox: %s", w.Body)
	}
	w := get(h, "GET", "/config.json")
	var rc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &rc); err != nil {
		t.Fatal(err)
	}
	if rc["api_base"] != "/api" || rc["user_pool_id"] != "local_pool" || rc["client_id"] != "client" || rc["region"] != "ap-northeast-2" {
		t.Errorf("config.json %v", rc)
	}
	if sp, ok := rc["social_providers"].([]any); !ok || len(sp) != 0 {
		t.Errorf("social providers %v", rc["social_providers"])
	}
}

func TestOutbox(t *testing.T) {
	at := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	msgs := outbox{
		{To: "new@example.com", Subject: "Your Woodshed password reset code", Code: "222222", SentAt: at.Add(time.Minute)},
		{To: "<script>x</script>@example.com", Subject: "Your Woodshed confirmation code", Code: "111111", SentAt: at},
	}
	h := newSite(t, msgs, true)
	w := get(h, "GET", "/api/_dev/outbox")
	var body struct {
		Messages []map[string]string `json:"messages"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body.Messages) != 2 {
		t.Fatalf("%s %v", w.Body, err)
	}
	m := body.Messages[0]
	if m["to"] != "new@example.com" || m["code"] != "222222" || m["subject"] == "" || m["sent_at"] != "2026-12-01T20:01:00Z" {
		t.Errorf("first message %v", m)
	}
	page := get(h, "GET", "/_dev/outbox").Body.String()
	if !strings.Contains(page, "222222") || strings.Contains(page, "<script>x") {
		t.Errorf("outbox page: %s", page)
	}
	empty := get(newSite(t, nil, true), "GET", "/api/_dev/outbox").Body.String()
	if strings.TrimSpace(empty) != `{"messages":[]}` {
		t.Errorf("empty outbox %s", empty)
	}
}
