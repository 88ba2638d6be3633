// Package gateway emulates API Gateway's HTTP API for the local stack: it matches a request
// against the route table, turns it into the same events.APIGatewayV2HTTPRequest (payload
// format 2.0) a Lambda receives on AWS, enforces the JWT authorizer on protected routes, calls
// the handler and writes its events.APIGatewayV2HTTPResponse back.
//
// Where API Gateway's behaviour is observable by a handler or a client it is copied: lower-cased
// headers with repeated values joined by commas, cookies moved out of the headers, base64
// bodies for non-text content, 401 {"message":"Unauthorized"} from the authorizer, 413 over
// 10 MB, 500 {"message":"Internal Server Error"} when the handler fails. Unknown routes and
// wrong methods answer in the API's own error format, so the SPA sees one shape of error.
package gateway

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"woodshed/shared/httpapi"
	"woodshed/shared/jwtauth"
	"woodshed/shared/routes"
)

// MaxBodyBytes is API Gateway's payload limit for HTTP APIs.
const MaxBodyBytes = 10 << 20

// Verifier checks a bearer token; *jwtauth.Verifier is one.
type Verifier interface {
	Verify(ctx context.Context, token string) (*jwtauth.Claims, error)
}

// Options tune the emulation; the zero value is what the local stack uses.
type Options struct {
	Prefix       string        // path prefix the API is served under; default "/api"
	Stage        string        // requestContext.stage; default "$default"
	MaxBodyBytes int64         // default MaxBodyBytes
	Timeout      time.Duration // integration timeout (API Gateway: 30 s); default 30 s
	Logger       *slog.Logger  // default slog.Default()
	Now          func() time.Time
}

type route struct {
	routes.Route
	segs    []string // path segments; "{x}" is a parameter, "{x+}" a greedy one
	handler httpapi.Handler
}

// Gateway is the http.Handler returned by New.
type Gateway struct {
	routes   []*route
	verifier Verifier
	opts     Options
}

// New builds the router. A malformed table (bad path, duplicate route) is a programming
// error and panics, as http.ServeMux does. A route without a handler answers 501.
func New(table []routes.Route, handlers map[string]httpapi.Handler, verifier Verifier, opts Options) *Gateway {
	if opts.Prefix == "" {
		opts.Prefix = "/api"
	}
	opts.Prefix = "/" + strings.Trim(opts.Prefix, "/")
	if opts.Stage == "" {
		opts.Stage = "$default"
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = MaxBodyBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := &Gateway{verifier: verifier, opts: opts}
	seen := map[string]bool{}
	for _, r := range table {
		if !strings.HasPrefix(r.Path, "/") || r.Method == "" || r.Method != strings.ToUpper(r.Method) {
			panic(fmt.Sprintf("gateway: bad route %q %q", r.Method, r.Path))
		}
		rt := &route{Route: r, segs: splitPath(r.Path), handler: handlers[r.Function]}
		var shape []string
		for i, s := range rt.segs {
			if isParam(s) {
				if strings.HasSuffix(s, "+}") && i != len(rt.segs)-1 {
					panic(fmt.Sprintf("gateway: greedy parameter not last in %q", r.Path))
				}
				s = "{}"
			}
			shape = append(shape, s)
		}
		key := r.Method + " /" + strings.Join(shape, "/")
		if seen[key] {
			panic(fmt.Sprintf("gateway: duplicate route %s %s", r.Method, r.Path))
		}
		seen[key] = true
		if rt.handler == nil {
			opts.Logger.Warn("route has no handler; it answers 501", "route", r.Method+" "+r.Path, "function", r.Function)
		}
		if r.Auth && verifier == nil {
			panic(fmt.Sprintf("gateway: route %s %s needs auth but no verifier was given", r.Method, r.Path))
		}
		g.routes = append(g.routes, rt)
	}
	return g
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func isParam(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

// match finds the most specific route for the path: literal segments beat parameters, which
// beat a greedy parameter, as in API Gateway. It also reports whether any method matched the path.
func (g *Gateway) match(method string, segs []string) (best *route, params map[string]string, pathKnown bool) {
	bestScore := -1
	for _, rt := range g.routes {
		p, score, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if rt.Method != method && rt.Method != "ANY" {
			continue
		}
		if score > bestScore {
			best, params, bestScore = rt, p, score
		}
	}
	return best, params, pathKnown
}

func matchSegs(pattern, segs []string) (map[string]string, int, bool) {
	params := map[string]string{}
	score := 0
	for i, ps := range pattern {
		if isParam(ps) && strings.HasSuffix(ps, "+}") {
			if i >= len(segs) {
				return nil, 0, false
			}
			params[ps[1:len(ps)-2]] = strings.Join(segs[i:], "/")
			return params, score, true
		}
		if i >= len(segs) {
			return nil, 0, false
		}
		if isParam(ps) {
			if segs[i] == "" {
				return nil, 0, false
			}
			params[ps[1:len(ps)-1]] = segs[i]
			score += 1
			continue
		}
		if ps != segs[i] {
			return nil, 0, false
		}
		score += 2
	}
	if len(pattern) != len(segs) {
		return nil, 0, false
	}
	return params, score, true
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := g.opts.Now()
	rawPath := r.URL.EscapedPath()
	if rawPath != g.opts.Prefix && !strings.HasPrefix(rawPath, g.opts.Prefix+"/") {
		writeAPIError(w, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path)
		return
	}
	segs, err := decodeSegments(strings.TrimPrefix(rawPath, g.opts.Prefix))
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "bad_request", "malformed path")
		return
	}
	rt, params, known := g.match(r.Method, segs)
	if rt == nil {
		if known {
			writeAPIError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path)
			return
		}
		writeAPIError(w, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path)
		return
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.opts.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeMessage(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			return
		}
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}

	ev := g.event(r, rt, params, body, start)

	if rt.Auth {
		claims, err := g.authorize(r)
		if err != nil {
			g.opts.Logger.Info("authorizer refused request", "route", ev.RouteKey, "request_id", ev.RequestContext.RequestID, "reason", err.Error())
			writeMessage(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: claims.StringMap(),
				Scopes: claims.Scopes(),
			},
		}
	}

	if rt.handler == nil {
		writeAPIError(w, http.StatusNotImplemented, "not_implemented", ev.RouteKey+" is not implemented yet")
		return
	}

	resp, err := g.invoke(r.Context(), rt, ev)
	status := resp.StatusCode
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		g.opts.Logger.Error("handler timed out", "route", ev.RouteKey, "request_id", ev.RequestContext.RequestID)
		writeMessage(w, http.StatusServiceUnavailable, "Service Unavailable")
		status = http.StatusServiceUnavailable
	case err != nil:
		g.opts.Logger.Error("handler failed", "route", ev.RouteKey, "request_id", ev.RequestContext.RequestID, "err", err.Error())
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		status = http.StatusInternalServerError
	default:
		if werr := writeResponse(w, resp); werr != nil {
			g.opts.Logger.Error("bad handler response", "route", ev.RouteKey, "err", werr.Error())
			writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
			status = http.StatusInternalServerError
		}
	}
	g.opts.Logger.Debug("request", "route", ev.RouteKey, "status", status, "request_id", ev.RequestContext.RequestID,
		"ms", g.opts.Now().Sub(start).Milliseconds())
}

// invoke runs the handler the way the Lambda runtime would: with a deadline, a Lambda context
// carrying the request id, and a panic turned into an error instead of a dead process.
func (g *Gateway) invoke(parent context.Context, rt *route, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, err error) {
	ctx, cancel := context.WithTimeout(parent, g.opts.Timeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       ev.RequestContext.RequestID,
		InvokedFunctionArn: "arn:aws:lambda:local:000000000000:function:" + rt.Function,
	})
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in %s: %v", rt.Function, p)
		}
	}()
	resp, err = rt.handler(ctx, ev)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return resp, err
}

func (g *Gateway) authorize(r *http.Request) (*jwtauth.Claims, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return nil, errors.New("no Authorization header")
	}
	token := h
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		token = strings.TrimSpace(h[7:])
	}
	return g.verifier.Verify(r.Context(), token)
}

func decodeSegments(p string) ([]string, error) {
	raw := splitPath(p)
	out := make([]string, len(raw))
	for i, s := range raw {
		d, err := url.PathUnescape(s)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// event builds the payload format 2.0 request.
func (g *Gateway) event(r *http.Request, rt *route, params map[string]string, body []byte, now time.Time) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	// Go moves Host out of the header map; API Gateway passes it on.
	headers["host"] = r.Host
	if r.ContentLength > 0 {
		headers["content-length"] = fmt.Sprint(r.ContentLength)
	}

	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}
	if len(params) == 0 {
		params = nil
	}

	sourceIP := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		sourceIP = host
	}
	// API Gateway appends the caller to X-Forwarded-For and says how it was reached.
	if xff := headers["x-forwarded-for"]; xff != "" {
		headers["x-forwarded-for"] = xff + ", " + sourceIP
	} else {
		headers["x-forwarded-for"] = sourceIP
	}
	headers["x-forwarded-proto"] = "http"
	if r.TLS != nil {
		headers["x-forwarded-proto"] = "https"
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil {
		headers["x-forwarded-port"] = port
	}
	domainPrefix, _, _ := strings.Cut(r.Host, ".")
	if h, _, err := net.SplitHostPort(domainPrefix); err == nil {
		domainPrefix = h
	}

	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rt.Method + " " + rt.Path,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rt.Method + " " + rt.Path,
			AccountID:    "000000000000",
			Stage:        g.opts.Stage,
			RequestID:    requestID(),
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: domainPrefix,
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) && utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isText reports whether API Gateway would pass a body of this type as text rather than base64.
func isText(contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	switch {
	case ct == "":
		return false
	case strings.HasPrefix(ct, "text/"),
		ct == "application/json", ct == "application/xml", ct == "application/javascript",
		ct == "application/x-www-form-urlencoded", ct == "application/graphql",
		strings.HasSuffix(ct, "+json"), strings.HasSuffix(ct, "+xml"):
		return true
	}
	return false
}

// requestID looks like API Gateway's: 14 base64 characters ending in '='.
func requestID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)[:14] + "="
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) error {
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return fmt.Errorf("status code %d", resp.StatusCode)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return fmt.Errorf("body is not base64: %w", err)
		}
		body = b
	}
	h := w.Header()
	// Sorted so repeated runs give identical responses.
	keys := make([]string, 0, len(resp.MultiValueHeaders))
	for k := range resp.MultiValueHeaders {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range resp.MultiValueHeaders[k] {
			h.Add(k, v)
		}
	}
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
	return nil
}

// writeMessage answers as API Gateway itself does, outside any handler.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// writeAPIError answers in the API's error format.
func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
