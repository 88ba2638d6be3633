package stack

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"woodshed/shared/routes"
)

// These tests need no synth: they cover the tables and checks the stack is built from.

func TestEveryFunctionHasASpec(t *testing.T) {
	rs, evs := testRoutes()
	for _, set := range []struct {
		name   string
		routes []routes.Route
		events []string
	}{
		{"shared/routes", routes.Table, routes.EventFunctions},
		{"planned families", rs, evs},
	} {
		fns, err := Functions(set.routes, set.events)
		if err != nil {
			t.Fatalf("%s: %v", set.name, err)
		}
		for _, f := range fns {
			if f.MemoryMB < 128 || f.Timeout <= 0 || f.Timeout > 15*time.Minute {
				t.Errorf("%s: %s: memory %d MB, timeout %s", set.name, f.Name, f.MemoryMB, f.Timeout)
			}
		}
	}
}

func TestFunctionsRejectsUnknownAndBadRows(t *testing.T) {
	cases := []struct {
		name   string
		routes []routes.Route
		events []string
		want   string
	}{
		{"no spec", []routes.Route{{Method: "GET", Path: "/x", Function: "reports-get"}}, nil, "no IAM/size entry"},
		{"event without source", nil, []string{"mailer"}, "no entry in eventSources"},
		{"route twice", []routes.Route{{Method: "GET", Path: "/health", Function: "health"}, {Method: "GET", Path: "/health", Function: "health"}}, nil, "listed twice"},
		{"bad name", []routes.Route{{Method: "GET", Path: "/x", Function: "Users_Get"}}, nil, "function name"},
		{"route and event", []routes.Route{{Method: "POST", Path: "/a", Function: "analyzer"}}, []string{"analyzer"}, "both an HTTP route"},
	}
	for _, c := range cases {
		_, err := Functions(c.routes, c.events)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

func find(t *testing.T, fns []Function, name string) Function {
	t.Helper()
	for _, f := range fns {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return Function{}
}

func actions(f Function, on Resource) []string {
	var out []string
	for _, g := range f.Grants {
		if g.On == on {
			out = append(out, g.Actions...)
		}
	}
	return out
}

func TestSpecsAreLeastPrivilege(t *testing.T) {
	rs, evs := testRoutes()
	fns, err := Functions(rs, evs)
	if err != nil {
		t.Fatal(err)
	}
	if g := find(t, fns, "health").Grants; len(g) != 0 {
		t.Errorf("health has grants %v", g)
	}
	// GET-only functions of a writing family are cut down to reads.
	for _, a := range actions(find(t, fns, "users-get"), Table) {
		if !slices.Contains(tableReadActions, a) {
			t.Errorf("users-get (GET only) may %s", a)
		}
	}
	if !slices.Contains(actions(find(t, fns, "users-update"), Table), "dynamodb:UpdateItem") {
		t.Error("users-update cannot update the table")
	}
	an := find(t, fns, "analyzer")
	if an.Event == nil || an.Event.Prefix != RecordingsPrefix || an.Event.Suffix != ".wav" {
		t.Errorf("analyzer event source %+v", an.Event)
	}
	for _, g := range an.Grants {
		switch g.On {
		case Recordings:
			if g.Keys != "recordings/*" || !slices.Equal(g.Actions, []string{"s3:GetObject", "s3:DeleteObject"}) {
				t.Errorf("analyzer recordings grant %+v", g)
			}
		case Table:
			if slices.Contains(g.Actions, "dynamodb:DeleteItem") || slices.Contains(g.Actions, "dynamodb:Scan") {
				t.Errorf("analyzer table grant %v", g.Actions)
			}
		default:
			t.Errorf("analyzer has a grant on %s", g.On)
		}
	}
	up := find(t, fns, "practice-upload-audio")
	if a := actions(up, Recordings); !slices.Equal(a, []string{"s3:PutObject"}) {
		t.Errorf("practice-upload-audio recordings actions %v", a)
	}
	if a := actions(find(t, fns, "users-upload-image"), Images); !slices.Equal(a, []string{"s3:PutObject"}) {
		t.Errorf("users-upload-image images actions %v", a)
	}
	for _, f := range fns {
		for _, g := range f.Grants {
			for _, a := range g.Actions {
				if strings.Contains(a, "*") || a == "dynamodb:Scan" {
					t.Errorf("%s: action %s", f.Name, a)
				}
			}
			if (g.On == Recordings || g.On == Images) && (g.Keys == "" || g.Keys == "*") {
				t.Errorf("%s: S3 grant on the whole bucket", f.Name)
			}
		}
	}
}

func TestCheckFunctionTree(t *testing.T) {
	table := []routes.Route{{Method: "GET", Path: "/health", Function: "health"}, {Method: "POST", Path: "/auth/login", Function: "auth-login"}}
	mk := func(names ...string) string {
		d := t.TempDir()
		for _, n := range names {
			if err := os.MkdirAll(filepath.Join(d, n), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		// A stray file is not a function folder.
		if err := os.WriteFile(filepath.Join(d, "README.md"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if err := CheckFunctionTree(mk("health", "auth-login", "analyzer"), table, []string{"analyzer"}); err != nil {
		t.Errorf("matching tree: %v", err)
	}
	err := CheckFunctionTree(mk("health"), table, []string{"analyzer"})
	if err == nil || !strings.Contains(err.Error(), "auth-login has no folder") || !strings.Contains(err.Error(), "analyzer has no folder") {
		t.Errorf("missing folders: %v", err)
	}
	err = CheckFunctionTree(mk("health", "auth-login", "old-thing"), table, nil)
	if err == nil || !strings.Contains(err.Error(), "old-thing has no route") {
		t.Errorf("extra folder: %v", err)
	}
	if err := CheckFunctionTree(filepath.Join(t.TempDir(), "nope"), table, nil); err == nil {
		t.Error("missing functions dir accepted")
	}
}

func TestCheckAssets(t *testing.T) {
	fns, err := Functions([]routes.Route{{Method: "GET", Path: "/health", Function: "health"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := t.TempDir()
	if err := CheckAssets(d, fns); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("missing bootstrap: %v", err)
	}
	os.MkdirAll(filepath.Join(d, "health"), 0o755)
	os.WriteFile(filepath.Join(d, "health", "bootstrap"), []byte("x"), 0o755)
	if err := CheckAssets(d, fns); err != nil {
		t.Errorf("with bootstrap: %v", err)
	}
}

func TestConfigFromContext(t *testing.T) {
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := ConfigFromContext(get(nil))
	if err != nil || c.Stage != Dev || c.AssetDir != "build" || c.AuthDomainPrefix != "woodshed-dev" || c.Google.Enabled() {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	p, err := ConfigFromContext(get(prodCtx))
	if err != nil || p.Stage != Prod || !p.Google.Enabled() || !p.Apple.Enabled() || !p.Kakao.Enabled() || p.APIRateLimit <= c.APIRateLimit {
		t.Fatalf("prod: %+v %v", p, err)
	}
	if c, err := ConfigFromContext(get(map[string]string{KeyCallbackURLs: "https://a.example/cb, http://localhost:8080/cb", KeyAPIRateLimit: "7"})); err != nil ||
		!slices.Equal(c.CallbackURLs, []string{"https://a.example/cb", "http://localhost:8080/cb"}) || c.APIRateLimit != 7 {
		t.Errorf("lists and numbers: %+v %v", c, err)
	}
	bad := map[string]map[string]string{
		"stage":            {KeyStage: "staging"},
		"domain, no cert":  {KeyDomainName: "a.example"},
		"cert, no domain":  {KeyCertificateArn: "arn:aws:acm:us-east-1:1:certificate/x"},
		"cert region":      {KeyDomainName: "a.example", KeyCertificateArn: "arn:aws:acm:eu-west-1:1:certificate/x"},
		"half google":      {KeyGoogleClientID: "id"},
		"half kakao":       {KeyKakaoSecret: "name"},
		"half apple":       {KeyAppleServicesID: "x", KeyAppleSecret: "y"},
		"prefix":           {KeyAuthDomainPrefix: "Woodshed_Dev"},
		"prefix cognito":   {KeyAuthDomainPrefix: "my-cognito"},
		"plain http":       {KeyLogoutURLs: "http://a.example/"},
		"rate not number":  {KeyAPIRateLimit: "fast"},
		"burst not > zero": {KeyAPIBurstLimit: "0"},
	}
	for name, ctx := range bad {
		if _, err := ConfigFromContext(get(ctx)); err == nil {
			t.Errorf("%s: accepted %v", name, ctx)
		}
	}
}

func TestContextArgs(t *testing.T) {
	ctx, err := ContextArgs([]string{"-c", "stage=prod", "--context", "domainName=a.example"})
	if err != nil || ctx["stage"] != "prod" || ctx["domainName"] != "a.example" {
		t.Errorf("got %v %v", ctx, err)
	}
	for _, args := range [][]string{{"stage=prod"}, {"-c"}, {"-c", "stage"}, {"-c", "=x"}} {
		if _, err := ContextArgs(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// The CloudFront Functions are JavaScript; run them in node with the events CloudFront sends.
func TestCloudFrontFunctions(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed for CDK synth and this test: ", err)
	}
	run := func(code, uri string) string {
		t.Helper()
		script := code + "\nconsole.log(handler({request: {uri: process.argv[1]}}).uri);"
		out, err := exec.Command(node, "-e", script, uri).CombinedOutput()
		if err != nil {
			t.Fatalf("node: %v: %s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for in, want := range map[string]string{
		"/api/health": "/health", "/api/users/me/calendar": "/users/me/calendar", "/api": "/", "/api/": "/",
		"/apiary/x": "/apiary/x",
	} {
		if got := run(stripAPIPrefixJS, in); got != want {
			t.Errorf("strip %s = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"/": "/index.html", "/practice": "/index.html", "/users/ab12/sessions/x": "/index.html",
		"/assets/app.3f2a.js": "/assets/app.3f2a.js", "/favicon.ico": "/favicon.ico", "/index.html": "/index.html",
	} {
		if got := run(spaFallbackJS, in); got != want {
			t.Errorf("spa %s = %s, want %s", in, got, want)
		}
	}
}
