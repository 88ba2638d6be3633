// Package pipelinetest runs the audio pipeline end to end on the local stack, for its tests and
// benchmarks: the handlers the Lambdas run, DynamoDB Local, the embedded S3 with its signature
// checks, and the analyzer invoked in-process by the S3's ObjectCreated notifications.
package pipelinetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/app"
	"woodshed/shared/blob"
	"woodshed/shared/config"
	"woodshed/shared/localstack"
	"woodshed/shared/practice"
	"woodshed/shared/store"
)

// Harness is the app on the shared local stack with the analyzer listening to the bucket.
type Harness struct {
	Cfg   config.Config
	App   *app.App
	Store *store.Store
	Blobs *blob.Store

	analyzer func(context.Context, events.S3Event) error
	http     map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

	mu      sync.Mutex
	held    map[string]chan events.S3Event // user id → events kept from the analyzer
	waiters map[string][]chan error        // key → told when the analyzer has handled it
}

var shared struct {
	once sync.Once
	h    *Harness
	err  error
}

// Main runs the tests and stops the local stack afterwards.
func Main(m *testing.M) { localstack.Main(m) }

// New returns the test binary's harness, starting the local stack on first use.
func New(t testing.TB) *Harness {
	t.Helper()
	st := localstack.Shared(t)
	if st.Remote() {
		t.Skip("an attached stack delivers no ObjectCreated events to this process")
	}
	shared.once.Do(func() {
		ctx := context.Background()
		h := &Harness{Cfg: st.Config(), held: map[string]chan events.S3Event{}, waiters: map[string][]chan error{}}
		if h.App, shared.err = app.New(ctx, h.Cfg); shared.err != nil {
			return
		}
		if h.Store, shared.err = store.New(ctx, h.Cfg); shared.err != nil {
			return
		}
		if h.Blobs, shared.err = blob.New(ctx, h.Cfg); shared.err != nil {
			return
		}
		h.analyzer = h.App.S3Handlers()["analyzer"]
		h.http = map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error){}
		for name, f := range h.App.HTTPHandlers() {
			h.http[name] = f
		}
		st.OnObjectCreated(h.onObjectCreated)
		shared.h = h
	})
	if shared.err != nil {
		t.Fatalf("pipeline harness: %v", shared.err)
	}
	return shared.h
}

// onObjectCreated passes the notification on as the local stack does (by key prefix, recordings/ to
// the analyzer), unless a test holds the events of that user to deliver them itself (replays,
// reordering); those go to the analyzer Lambda's handler directly (Analyze).
func (h *Harness) onObjectCreated(ctx context.Context, ev events.S3Event) error {
	key := eventKey(ev)
	parts := strings.Split(key, "/")
	h.mu.Lock()
	var held chan events.S3Event
	if len(parts) > 1 {
		held = h.held[parts[1]]
	}
	h.mu.Unlock()
	if held != nil {
		held <- ev
		return nil
	}
	err := h.App.DispatchS3(ctx, ev) // as cmd/devstack routes the bucket's notifications
	h.mu.Lock()
	ws := h.waiters[key]
	delete(h.waiters, key)
	h.mu.Unlock()
	for _, w := range ws {
		w <- err
	}
	return err
}

func eventKey(ev events.S3Event) string {
	if len(ev.Records) == 0 {
		return ""
	}
	k, err := url.QueryUnescape(ev.Records[0].S3.Object.Key)
	if err != nil {
		return ev.Records[0].S3.Object.Key
	}
	return k
}

// Hold keeps the notifications of the user's uploads from the analyzer and hands them to the
// test instead.
func (h *Harness) Hold(userID string) <-chan events.S3Event {
	ch := make(chan events.S3Event, 64)
	h.mu.Lock()
	h.held[userID] = ch
	h.mu.Unlock()
	return ch
}

// Expect returns a channel told the analyzer's answer once the next notification of key was
// handled. Call it before the upload.
func (h *Harness) Expect(key string) <-chan error {
	ch := make(chan error, 1)
	h.mu.Lock()
	h.waiters[key] = append(h.waiters[key], ch)
	h.mu.Unlock()
	return ch
}

// Analyze delivers a notification to the analyzer Lambda's handler directly.
func (h *Harness) Analyze(ctx context.Context, ev events.S3Event) error { return h.analyzer(ctx, ev) }

// NewID is a random id of the shape user and session ids have in keys.
func NewID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StartSession starts a recorded session (analysis on) for the user and returns its id.
func (h *Harness) StartSession(ctx context.Context, userID string, at time.Time) (string, error) {
	s, err := practice.Start(practice.StartInput{SessionID: NewID(), UserID: userID, Instrument: "violin",
		TimeZone: "Asia/Seoul", Analyze: true}, at)
	if err != nil {
		return "", err
	}
	if err := h.Store.StartSession(ctx, s); err != nil {
		return "", err
	}
	return s.SessionID, nil
}

// Response is a handler's answer with its JSON body decoded.
type Response struct {
	Status int
	Body   map[string]any
	Raw    string
}

// ErrorCode is the error body's code, empty on success.
func (r Response) ErrorCode() string {
	e, _ := r.Body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// Call runs an HTTP function's handler as API Gateway does after its JWT authorizer accepted a
// token of userID.
func (h *Harness) Call(ctx context.Context, function, userID string, body any, params map[string]string) (Response, error) {
	f := h.http[function]
	if f == nil {
		return Response{}, fmt.Errorf("no handler %q", function)
	}
	ev := events.APIGatewayV2HTTPRequest{PathParameters: params}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return Response{}, err
		}
		ev.Body = string(b)
	}
	ev.RequestContext.RequestID = NewID()
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": userID}},
	}
	resp, err := f(ctx, ev)
	if err != nil {
		return Response{}, err
	}
	out := Response{Status: resp.StatusCode, Raw: resp.Body}
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &out.Body); err != nil {
			return out, fmt.Errorf("%s answered %d with a body that is not JSON: %q", function, resp.StatusCode, resp.Body)
		}
	}
	return out, nil
}

// Grant is the decoded answer of upload-audio.
type Grant struct {
	AnalysisID string `json:"analysis_id"`
	Upload     struct {
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	} `json:"upload"`
	ExpiresAt time.Time `json:"expires_at"`
}

// RequestUpload calls upload-audio for a chunk of wav bytes.
func (h *Harness) RequestUpload(ctx context.Context, userID, sessionID string, index int, size int64) (Grant, Response, error) {
	return h.RequestUploadLead(ctx, userID, sessionID, index, size, 0)
}

// RequestUploadLead is RequestUpload for a chunk whose first lead seconds repeat the previous one's end.
func (h *Harness) RequestUploadLead(ctx context.Context, userID, sessionID string, index int, size int64, lead float64) (Grant, Response, error) {
	resp, err := h.Call(ctx, "practice-upload-audio", userID, map[string]any{
		"session_id": sessionID, "chunk_index": index, "content_length": size, "content_type": "audio/wav", "lead_s": lead,
	}, nil)
	if err != nil || resp.Status != http.StatusCreated {
		return Grant{}, resp, err
	}
	var g Grant
	err = json.Unmarshal([]byte(resp.Raw), &g)
	return g, resp, err
}

// Put sends body to the presigned URL as a browser would: the signed headers, nothing else.
// override replaces or adds headers (to break the signature on purpose).
func Put(ctx context.Context, g Grant, body []byte, override map[string]string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, g.Upload.Method, g.Upload.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range g.Upload.Headers {
		req.Header.Set(k, v)
	}
	for k, v := range override {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// Analysis reads GET /practice/analysis/{id}.
func (h *Harness) Analysis(ctx context.Context, userID, analysisID string) (Response, error) {
	return h.Call(ctx, "practice-analysis", userID, nil, map[string]string{"analysis_id": analysisID})
}

// ObjectExists reports whether the bucket still holds key.
func (h *Harness) ObjectExists(ctx context.Context, key string) (bool, error) {
	obj, err := h.Blobs.Open(ctx, h.Cfg.RecordingsBucket, key)
	if errors.Is(err, blob.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	obj.Body.Close()
	return true, nil
}

// Wait waits for the analyzer to handle key (registered with Expect), failing after d.
func Wait(ch <-chan error, d time.Duration) error {
	select {
	case err := <-ch:
		return err
	case <-time.After(d):
		return fmt.Errorf("no analysis within %s", d)
	}
}
