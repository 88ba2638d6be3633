package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"woodshed/shared/routes"
)

var assetDir string

func TestMain(m *testing.M) {
	// JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION must be set before the binary starts (the jsii
	// runtime starts node early); mk/infra.mk exports it.
	dir, err := os.MkdirTemp("", "woodshed-assets-")
	if err != nil {
		panic(err)
	}
	assetDir = dir
	// prod also uploads a built SPA.
	site := filepath.Join(dir, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte("<!doctype html><title>Woodshed</title>"), 0o644); err != nil {
		panic(err)
	}
	prodCtx[KeySiteDir] = site
	code := m.Run()
	jsii.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testRoutes is the route table plus rows of the families the specs know, so every kind of
// function (read-only, presigning, re-analysing, S3-triggered) is in the synthesized template
// whether or not the table has those rows yet. Rows the table already has are not added twice.
func testRoutes() ([]routes.Route, []string) {
	rs := append([]routes.Route{}, routes.Table...)
	have := map[string]bool{}
	for _, r := range rs {
		have[r.Method+" "+r.Path] = true
	}
	for _, r := range []routes.Route{
		{Method: "GET", Path: "/users/{user_id}", Function: "users-get"},
		{Method: "PUT", Path: "/users/{user_id}", Function: "users-update", Auth: true},
		{Method: "POST", Path: "/users/{user_id}/upload-image", Function: "users-upload-image", Auth: true},
		{Method: "GET", Path: "/practice/sessions/{session_id}", Function: "practice-get", Auth: true},
		{Method: "DELETE", Path: "/practice/sessions/{session_id}", Function: "practice-delete", Auth: true},
		{Method: "POST", Path: "/practice/upload-audio", Function: "practice-upload-audio", Auth: true},
		{Method: "POST", Path: "/practice/analyze-audio", Function: "practice-analyze-audio", Auth: true},
	} {
		if !have[r.Method+" "+r.Path] {
			rs = append(rs, r)
		}
	}
	evs := append([]string{}, routes.EventFunctions...)
	for _, e := range []string{"analyzer", "image-processor"} {
		if !slices.Contains(evs, e) {
			evs = append(evs, e)
		}
	}
	return rs, evs
}

// placeholderAssets writes a bootstrap for every function: the stack only needs the folders to exist.
func placeholderAssets(t testing.TB, fns []Function) string {
	for _, f := range fns {
		d := filepath.Join(assetDir, f.Name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "bootstrap"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return assetDir
}

type synthed struct {
	stack awscdk.Stack
	tpl   assertions.Template
	json  map[string]any
	err   error
}

var (
	synthMu sync.Mutex
	cache   = map[string]*synthed{}
)

// synth builds and synthesizes a stack for a context, once per context for the whole test binary
// (each synth costs a round trip through the jsii runtime).
func synth(t testing.TB, ctx map[string]string) *synthed {
	t.Helper()
	key := fmt.Sprint(ctx)
	synthMu.Lock()
	defer synthMu.Unlock()
	if s, ok := cache[key]; ok {
		return s
	}
	rs, evs := testRoutes()
	fns, err := Functions(rs, evs)
	if err != nil {
		t.Fatal(err)
	}
	ctx = withDefault(ctx, KeyAssetDir, placeholderAssets(t, fns))
	cfg, err := ConfigFromContext(func(k string) string { return ctx[k] })
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.MkdirTemp(assetDir, "cdk.out-")
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
	st, err := New(app, Props{Config: cfg, Routes: rs, EventFunctions: evs})
	if err != nil {
		t.Fatal(err)
	}
	tpl := assertions.Template_FromStack(st.Stack, nil)
	var m map[string]any
	raw, err := json.Marshal(tpl.ToJSON())
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	s := &synthed{stack: st.Stack, tpl: tpl, json: m, err: err}
	cache[key] = s
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func withDefault(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for kk, vv := range m {
		out[kk] = vv
	}
	return out
}

// must runs a CDK assertion, which panics on failure, and turns the panic into a test failure.
func must(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	f()
}

// resources returns the template's resources of one type, keyed by logical id.
func (s *synthed) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.json["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		if rm["Type"] == typ {
			out[id] = rm
		}
	}
	return out
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

var devCtx = map[string]string{}

var prodCtx = map[string]string{
	KeyStage: "prod", KeyDomainName: "woodshed.example.com",
	KeyCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
	KeyGoogleClientID: "google-id", KeyGoogleSecret: "woodshed/prod/google",
	KeyAppleServicesID: "com.example.woodshed", KeyAppleTeamID: "TEAM123", KeyAppleKeyID: "KEY123",
	KeyAppleSecret: "woodshed/prod/apple", KeyKakaoClientID: "kakao-id", KeyKakaoSecret: "woodshed/prod/kakao",
	KeyAlarmEmail: "ops@example.com",
}
