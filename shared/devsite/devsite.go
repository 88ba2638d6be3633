// Package devsite is the one-port web front of the local stack, standing in for CloudFront:
// the API under /api (through the gateway), the outbox of e-mails that were not sent, the
// SPA's runtime /config.json and the SPA itself with client-side routes falling back to
// index.html.
package devsite

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"woodshed/shared/config"
	"woodshed/shared/localstack"
)

// Options are the parts the site serves.
type Options struct {
	API    http.Handler  // the gateway, mounted at /api
	Outbox Outbox        // shown at /_dev/outbox and /api/_dev/outbox
	Config config.Config // the stack's config, for /config.json
	WebDir string        // the built SPA (web/dist)
}

// Outbox is where the site reads the e-mails not sent; *localstack.Outbox is one.
type Outbox interface {
	Messages() []localstack.Message // newest first
}

// RuntimeConfig is /config.json: what the SPA needs to know about its environment.
type RuntimeConfig struct {
	APIBase         string   `json:"api_base"`
	Region          string   `json:"region"`
	UserPoolID      string   `json:"user_pool_id"`
	ClientID        string   `json:"client_id"`
	HostedUIDomain  string   `json:"hosted_ui_domain,omitempty"`
	SocialProviders []string `json:"social_providers"`
}

// Handler serves the site.
func Handler(o Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/_dev/outbox", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"messages": nonNil(o.Outbox.Messages())})
	})
	mux.Handle("/api/", o.API)
	mux.Handle("/api", o.API)
	mux.HandleFunc("GET /_dev/outbox", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = outboxPage.Execute(w, o.Outbox.Messages())
	})
	mux.HandleFunc("GET /config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, RuntimeConfig{
			APIBase: "/api", Region: o.Config.Region, UserPoolID: o.Config.UserPoolID, ClientID: o.Config.ClientID,
			SocialProviders: []string{}, // no hosted UI locally: email and password only
		})
	})
	mux.Handle("/", spa(o.WebDir))
	return mux
}

func nonNil(m []localstack.Message) []localstack.Message {
	if m == nil {
		return []localstack.Message{}
	}
	return m
}

// spa serves the built files; any other GET path that looks like a client route gets
// index.html, as the CloudFront distribution answers 403/404 from the bucket.
func spa(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		index := filepath.Join(dir, "index.html")
		if _, err := os.Stat(index); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, noSPAPage)
			return
		}
		clean := path.Clean("/" + r.URL.Path)
		if clean != "/" {
			if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(clean))); err == nil && !fi.IsDir() {
				if strings.HasPrefix(clean, "/assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // content-hashed names
				}
				files.ServeHTTP(w, r)
				return
			}
			if path.Ext(clean) != "" {
				http.NotFound(w, r) // a missing file, not a client route
				return
			}
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, index)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

const noSPAPage = `<!doctype html><meta charset="utf-8"><title>Woodshed — build the SPA</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The SPA is not built yet</h1>
<p>The API is running under <a href="/api/health">/api</a>. Build the web app with
<code>make dev</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload.</p>
<p>Codes of sign-ups and password resets: <a href="/_dev/outbox">outbox</a>.</p>`

var outboxPage = template.Must(template.New("outbox").Parse(`<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Outbox — Woodshed local stack</title>
<style>body{font-family:system-ui;max-width:48rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}
.code{font:600 1.2rem ui-monospace,monospace;letter-spacing:.1em}</style>
<h1>Outbox</h1>
<p>The e-mails the service would have sent, newest first. <a href="/_dev/outbox">Refresh</a> · <a href="/">Back to the app</a></p>
{{if .}}<table><thead><tr><th>To</th><th>Subject</th><th>Code</th><th>Sent</th></tr></thead><tbody>
{{range .}}<tr><td>{{.To}}</td><td>{{.Subject}}</td><td class="code">{{.Code}}</td><td><time datetime="{{.SentAt.Format "2006-01-02T15:04:05Z07:00"}}">{{.SentAt.Format "15:04:05"}}</time></td></tr>
{{end}}</tbody></table>{{else}}<p>No messages yet. Create an account and its code appears here.</p>{{end}}
</html>`))
