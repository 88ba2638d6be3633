package localstack

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"
)

// Listener receives ObjectCreated notifications, as the analyzer Lambda does on AWS.
type Listener func(context.Context, events.S3Event) error

// fakeS3 is gofakes3 behind the checks it lacks: SigV4 (headers and presigned URLs), POST
// policies, private buckets, CORS; and the ObjectCreated notifications S3 would send.
type fakeS3 struct {
	backend  gofakes3.Backend
	inner    http.Handler
	sig      sigV4
	public   map[string]bool // buckets anyone may GET, as CloudFront serves the images bucket
	log      *slog.Logger
	srv      *http.Server
	ln       net.Listener
	endpoint string

	mu        sync.RWMutex
	listeners []Listener
	inflight  sync.WaitGroup
	seq       atomic.Uint64
	closed    atomic.Bool
}

func newFakeS3(backend gofakes3.Backend, region string, public []string, log *slog.Logger) *fakeS3 {
	f := &fakeS3{
		backend: backend,
		inner:   gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server(),
		sig:     sigV4{region: region, now: time.Now},
		public:  map[string]bool{},
		log:     log,
	}
	for _, b := range public {
		f.public[b] = true
	}
	return f
}

// listen serves on 127.0.0.1:port (0: any free port).
func (f *fakeS3) listen(port int) error {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("localstack: s3 listen: %w", err)
	}
	f.ln = ln
	f.endpoint = "http://" + ln.Addr().String()
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := f.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			f.log.Error("s3 server stopped", "err", err.Error())
		}
	}()
	return nil
}

func (f *fakeS3) onObjectCreated(l Listener) {
	f.mu.Lock()
	f.listeners = append(f.listeners, l)
	f.mu.Unlock()
}

// close stops serving and waits for notifications under way.
func (f *fakeS3) close(ctx context.Context) error {
	f.closed.Store(true)
	var err error
	if f.srv != nil {
		err = f.srv.Shutdown(ctx)
	}
	done := make(chan struct{})
	go func() { f.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return err
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, x-amz-request-id, x-amz-version-id")
	if r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		// The buckets' CORS rule allows the site to PUT, POST and GET with any header.
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
		h.Set("Access-Control-Max-Age", "3000")
		h.Add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
		w.WriteHeader(http.StatusOK)
		return
	}

	bucket, key := splitBucketKey(r.URL.Path)
	q := r.URL.Query()
	isFormPost := r.Method == http.MethodPost && key == "" && !q.Has("delete") &&
		strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data")

	var eventKey, eventName string
	switch {
	case isFormPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, maxPostBody+1))
		if err != nil {
			writeS3Error(w, &s3Error{http.StatusBadRequest, "IncompleteBody", "could not read the request body"})
			return
		}
		if len(body) > maxPostBody {
			writeS3Error(w, &s3Error{http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"})
			return
		}
		form, e := parsePostForm(body, r.Header.Get("Content-Type"))
		if e == nil {
			e = f.sig.verifyPost(bucket, form)
		}
		if e != nil {
			writeS3Error(w, e)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		eventKey, eventName = form.fields["key"], "ObjectCreated:Post"
	case q.Has("X-Amz-Signature"):
		if e := f.sig.verifyPresigned(r); e != nil {
			writeS3Error(w, e)
			return
		}
	case r.Header.Get("Authorization") != "":
		if e := f.sig.verifyHeader(r); e != nil {
			writeS3Error(w, e)
			return
		}
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && key != "" && f.public[bucket]:
	default:
		writeS3Error(w, denied("AccessDenied", "Access Denied"))
		return
	}

	if eventName == "" && key != "" {
		switch {
		case r.Method == http.MethodPut && !q.Has("uploadId") && !q.Has("partNumber"):
			eventKey, eventName = key, "ObjectCreated:Put"
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				eventName = "ObjectCreated:Copy"
			}
		case r.Method == http.MethodPost && q.Has("uploadId"):
			eventKey, eventName = key, "ObjectCreated:CompleteMultipartUpload"
		}
	}

	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	f.inner.ServeHTTP(sw, r)
	if eventName != "" && sw.status >= 200 && sw.status < 300 && !sw.errorBody() {
		f.notify(r, bucket, eventKey, eventName, sw.Header().Get("x-amz-request-id"))
	}
}

// splitBucketKey takes a path-style URL path apart.
func splitBucketKey(p string) (bucket, key string) {
	p = strings.TrimPrefix(p, "/")
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key
}

// notify builds the S3 notification for a stored object and hands it to every listener on
// its own goroutine, as S3 invokes a Lambda asynchronously.
func (f *fakeS3) notify(r *http.Request, bucket, key, name, requestID string) {
	obj, err := f.backend.HeadObject(bucket, key)
	if err != nil {
		f.log.Error("s3 notification: object vanished", "bucket", bucket, "key", key, "err", err.Error())
		return
	}
	if obj.Contents != nil {
		_ = obj.Contents.Close()
	}
	f.mu.RLock()
	ls := append([]Listener(nil), f.listeners...)
	f.mu.RUnlock()
	if len(ls) == 0 || f.closed.Load() {
		return
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	ev := events.S3Event{Records: []events.S3EventRecord{{
		EventVersion:      "2.1",
		EventSource:       "aws:s3",
		AWSRegion:         f.sig.region,
		EventTime:         time.Now().UTC(),
		EventName:         name,
		PrincipalID:       events.S3UserIdentity{PrincipalID: "local"},
		RequestParameters: events.S3RequestParameters{SourceIPAddress: ip},
		ResponseElements:  map[string]string{"x-amz-request-id": requestID, "x-amz-id-2": requestID},
		S3: events.S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: "local-object-created",
			Bucket: events.S3Bucket{
				Name:          bucket,
				OwnerIdentity: events.S3UserIdentity{PrincipalID: "local"},
				Arn:           "arn:aws:s3:::" + bucket,
			},
			Object: events.S3Object{
				Key:           eventKeyEncode(key),
				URLDecodedKey: key,
				Size:          obj.Size,
				ETag:          hex.EncodeToString(obj.Hash),
				VersionID:     string(obj.VersionID),
				Sequencer:     fmt.Sprintf("%016X", f.seq.Add(1)),
			},
		},
	}}}
	for _, l := range ls {
		f.inflight.Add(1)
		go func() {
			defer f.inflight.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			defer func() {
				if p := recover(); p != nil {
					f.log.Error("s3 notification handler panicked", "key", key, "panic", fmt.Sprint(p))
				}
			}()
			if err := l(ctx, ev); err != nil {
				f.log.Error("s3 notification handler failed", "bucket", bucket, "key", key, "err", err.Error())
			}
		}()
	}
}

// eventKeyEncode encodes a key as S3 does in notifications: form-encoded, slashes kept.
// Handlers must decode it (url.QueryUnescape), exactly as on AWS.
func eventKeyEncode(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

type statusWriter struct {
	http.ResponseWriter
	status  int
	wrote   bool
	errBody bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.wrote = true
	}
	// S3 answers a failed CompleteMultipartUpload with 200 and an <Error> body.
	if bytes.Contains(b, []byte("<Error>")) {
		s.errBody = true
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) errorBody() bool { return s.errBody }

func writeS3Error(w http.ResponseWriter, e *s3Error) {
	type errBody struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
		RequestID string   `xml:"RequestId"`
	}
	id := fmt.Sprintf("%016X", time.Now().UnixNano())
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-amz-request-id", id)
	w.WriteHeader(e.Status)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(errBody{Code: e.Code, Message: e.Message, RequestID: id})
}
