package localstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	bolt "go.etcd.io/bbolt"

	"woodshed/shared/blob"
	"woodshed/shared/config"
	"woodshed/shared/identity"
	"woodshed/shared/store"
)

// Options configure Start. The zero value is a throw-away in-memory stack on free ports.
type Options struct {
	// DataDir persists everything under it (dynamodb/, cognito/, s3.bolt) and remembers the
	// ports, so a restart keeps data, accounts and the token issuer. Empty: in memory.
	DataDir string

	TableName        string // default "woodshed"
	RecordingsBucket string // default "woodshed-recordings"
	ImagesBucket     string // default "woodshed-images" (anonymous GET allowed, as through CloudFront)
	Region           string // default "ap-northeast-2"

	Logger  *slog.Logger // default slog.Default()
	Console io.Writer    // if set, every outbox message is also printed here
}

// Stack is a running set of stand-ins: DynamoDB Local and cognito-local as child processes,
// gofakes3 in this process.
type Stack struct {
	cfg     config.Config
	issuer  string
	outbox  *Outbox
	log     *slog.Logger
	timings map[string]time.Duration

	s3       *fakeS3
	cogFront *cognitoProxy
	boltDB   *bolt.DB
	dynamo   *child
	cognito  *child

	dataDir   string // persisted stacks only
	tmpDir    string // in-memory stacks: cognito-local's working dir
	stackFile string // written for WOODSHED_STACK, removed on Close
	remote    bool   // attached to a stack run by another process
	closeOnce sync.Once
}

// Config is the service config that points every adapter at the stand-ins.
func (s *Stack) Config() config.Config { return s.cfg }

// Issuer is the `iss` of cognito-local's tokens for the pool.
func (s *Stack) Issuer() string { return s.issuer }

// JWKSURL is where the pool's signing keys are published.
func (s *Stack) JWKSURL() string { return s.issuer + "/.well-known/jwks.json" }

// Outbox holds the codes the pool would have e-mailed.
func (s *Stack) Outbox() *Outbox { return s.outbox }

// Remote reports whether the stack runs in another process (WOODSHED_STACK); such a stack
// delivers no ObjectCreated events to this process.
func (s *Stack) Remote() bool { return s.remote }

// OnObjectCreated registers a handler for every object stored through the fake S3 (PUT,
// browser POST, copy, completed multipart upload). Handlers run asynchronously, each event on
// its own goroutine, as S3 invokes a Lambda; an error is logged, not retried.
func (s *Stack) OnObjectCreated(fn func(context.Context, events.S3Event) error) {
	if s.remote {
		s.log.Warn("localstack: ObjectCreated handlers of an attached stack never fire; the owning process gets the events")
		return
	}
	s.s3.onObjectCreated(Listener(fn))
}

// Timings are how long the start-up steps took, for the start-up report.
func (s *Stack) Timings() map[string]time.Duration { return s.timings }

// TimingsString renders Timings in a stable order.
func (s *Stack) TimingsString() string {
	keys := make([]string, 0, len(s.timings))
	for k := range s.timings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%s", k, s.timings[k].Round(time.Millisecond))
	}
	return strings.Join(parts, " ")
}

// ports are remembered in DataDir so a restart gets the same endpoints when they are free.
type ports struct {
	DynamoDB int `json:"dynamodb"`
	Cognito  int `json:"cognito"`
	S3       int `json:"s3"`
}

// Start brings up the stand-ins (fetching them into the cache on first use), creates the
// table, the buckets and the user pool, and returns when all of them answer.
func Start(ctx context.Context, opts Options) (st *Stack, err error) {
	t0 := time.Now()
	if opts.TableName == "" {
		opts.TableName = "woodshed"
	}
	if opts.RecordingsBucket == "" {
		opts.RecordingsBucket = "woodshed-recordings"
	}
	if opts.ImagesBucket == "" {
		opts.ImagesBucket = "woodshed-images"
	}
	if opts.Region == "" {
		opts.Region = "ap-northeast-2"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	root, err := cacheRoot()
	if err != nil {
		return nil, err
	}

	s := &Stack{log: opts.Logger, timings: map[string]time.Duration{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	var dynamoDir, cognitoDir string
	var backend gofakes3.Backend
	var want ports
	if opts.DataDir != "" {
		if s.dataDir, err = filepath.Abs(opts.DataDir); err != nil {
			return nil, fmt.Errorf("localstack: %w", err)
		}
		dynamoDir, cognitoDir = filepath.Join(s.dataDir, "dynamodb"), filepath.Join(s.dataDir, "cognito")
		for _, d := range []string{dynamoDir, cognitoDir} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, fmt.Errorf("localstack: data dir: %w", err)
			}
		}
		db, err := bolt.Open(filepath.Join(s.dataDir, "s3.bolt"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
		if err != nil {
			return nil, fmt.Errorf("localstack: open %s/s3.bolt (is another local stack using this DATA_DIR?): %w", s.dataDir, err)
		}
		s.boltDB = db
		backend = s3bolt.New(db)
		if b, err := os.ReadFile(filepath.Join(s.dataDir, "ports.json")); err == nil {
			_ = json.Unmarshal(b, &want)
		}
	} else {
		if s.tmpDir, err = os.MkdirTemp("", "woodshed-stack-"); err != nil {
			return nil, fmt.Errorf("localstack: %w", err)
		}
		cognitoDir = s.tmpDir
		backend = s3mem.New()
	}
	s.outbox = newOutbox(opts.Console, filepath.Join(cognitoDir, ".cognito", "db"))

	// S3 first: it is in-process and instant.
	s.s3 = newFakeS3(backend, opts.Region, []string{opts.ImagesBucket}, opts.Logger)
	if err := s.s3.listen(want.S3); err != nil {
		if err = s.s3.listen(0); err != nil {
			return nil, err
		}
	}

	// cognito-local sits behind a proxy on the advertised port, which is also its token issuer.
	s.cogFront = newCognitoProxy(s.outbox, s.outbox.dbDir, opts.Logger)
	if err := s.cogFront.listen(want.Cognito); err != nil {
		if err = s.cogFront.listen(0); err != nil {
			return nil, err
		}
	}
	if err := writeIssuerConfig(cognitoDir, s.cogFront.endpoint); err != nil {
		return nil, err
	}

	// DynamoDB Local and cognito-local start side by side; the JVM is the slow one.
	var wg sync.WaitGroup
	var dynErr, cogErr error
	var dynPort, cogPort int
	var mu sync.Mutex
	timing := func(k string, since time.Time) {
		mu.Lock()
		s.timings[k] = time.Since(since)
		mu.Unlock()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		t := time.Now()
		emu, err := ensureDynamoLocal(ctx, root)
		if err != nil {
			dynErr = err
			return
		}
		timing("dynamodb_fetch", t)
		t = time.Now()
		s.dynamo, dynPort, dynErr = startReady(ctx, "DynamoDB Local", want.DynamoDB, "/", func(port int) (*child, error) {
			return startDynamo(emu, dynamoDir, port)
		})
		timing("dynamodb_ready", t)
	}()
	go func() {
		defer wg.Done()
		t := time.Now()
		js, err := ensureCognitoLocal(ctx, root)
		if err != nil {
			cogErr = err
			return
		}
		timing("cognito_fetch", t)
		t = time.Now()
		s.cognito, cogPort, cogErr = startReady(ctx, "cognito-local", 0, "/health", func(port int) (*child, error) {
			return startCognito(js, cognitoDir, port, s.outbox)
		})
		if cogErr == nil {
			s.cogFront.serve(fmt.Sprintf("http://127.0.0.1:%d", cogPort))
		}
		timing("cognito_ready", t)
	}()
	wg.Wait()
	if err := errors.Join(dynErr, cogErr); err != nil {
		return nil, err
	}

	s.cfg = config.Config{
		Region:           opts.Region,
		TableName:        opts.TableName,
		RecordingsBucket: opts.RecordingsBucket,
		ImagesBucket:     opts.ImagesBucket,
		ImagesBaseURL:    s.s3.endpoint + "/" + opts.ImagesBucket,
		DynamoDBEndpoint: fmt.Sprintf("http://127.0.0.1:%d", dynPort),
		S3Endpoint:       s.s3.endpoint,
		CognitoEndpoint:  s.cogFront.endpoint,
	}

	t := time.Now()
	if err := s.bootstrap(ctx, cognitoDir); err != nil {
		return nil, err
	}
	s.timings["bootstrap"] = time.Since(t)
	s.issuer = s.cfg.CognitoEndpoint + "/" + s.cfg.UserPoolID

	if s.dataDir != "" {
		p := ports{DynamoDB: dynPort, Cognito: portOf(s.cogFront.endpoint), S3: portOf(s.s3.endpoint)}
		if err := writeJSON(filepath.Join(s.dataDir, "ports.json"), p); err != nil {
			return nil, err
		}
		s.stackFile = filepath.Join(s.dataDir, "stack.json")
		if err := writeJSON(s.stackFile, stackFile{Config: s.cfg, Issuer: s.issuer, CognitoDBDir: s.outbox.dbDir, PID: os.Getpid()}); err != nil {
			return nil, err
		}
	}
	go s.watch()
	s.timings["total"] = time.Since(t0)
	return s, nil
}

func (s *Stack) bootstrap(ctx context.Context, cognitoDir string) error {
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Add(3)
	go func() { defer wg.Done(); errs[0] = store.EnsureTable(ctx, s.cfg) }()
	go func() { defer wg.Done(); errs[1] = blob.EnsureBuckets(ctx, s.cfg) }()
	go func() {
		defer wg.Done()
		s.cfg.UserPoolID, s.cfg.ClientID, errs[2] = identity.EnsureLocalPool(ctx, s.cfg.CognitoEndpoint, s.cfg.Region, cognitoDir)
	}()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("localstack: bootstrap: %w", err)
	}
	return nil
}

// watch reports a stand-in that dies while the stack runs; the requests that need it will fail.
func (s *Stack) watch() {
	for _, c := range []*child{s.dynamo, s.cognito} {
		go func() {
			<-c.done
			if !s.closing() {
				s.log.Error("localstack: stand-in exited", "name", c.name, "err", fmt.Sprint(c.err), "output", c.tail.String())
			}
		}()
	}
}

func (s *Stack) closing() bool { return s.s3 != nil && s.s3.closed.Load() }

// Close stops every stand-in and removes what an in-memory stack left on disk. It is safe
// to call more than once.
func (s *Stack) Close() {
	s.closeOnce.Do(func() {
		if s.remote {
			s.detach()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if s.s3 != nil {
			_ = s.s3.close(ctx)
		}
		if s.cogFront != nil {
			s.cogFront.close()
		}
		var wg sync.WaitGroup
		for _, c := range []*child{s.dynamo, s.cognito} {
			if c != nil {
				wg.Add(1)
				go func() { defer wg.Done(); c.stop(5 * time.Second) }()
			}
		}
		wg.Wait()
		if s.boltDB != nil {
			_ = s.boltDB.Close()
		}
		if s.stackFile != "" {
			_ = os.Remove(s.stackFile)
		}
		if s.tmpDir != "" {
			_ = os.RemoveAll(s.tmpDir)
		}
	})
}

// startReady starts a stand-in on the wanted port (or a free one) and waits until it answers
// HTTP on path. A port taken between choosing and binding costs one retry on another port.
func startReady(ctx context.Context, name string, want int, path string, start func(port int) (*child, error)) (*child, int, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := want
		if attempt > 0 || port == 0 || !portFree(port) {
			p, err := freePort()
			if err != nil {
				return nil, 0, err
			}
			port = p
		}
		c, err := start(port)
		if err != nil {
			return nil, 0, err
		}
		if err := waitHTTP(ctx, fmt.Sprintf("http://127.0.0.1:%d%s", port, path), c, 90*time.Second); err != nil {
			c.stop(2 * time.Second)
			lastErr = fmt.Errorf("localstack: %s: %w\n%s", name, err, c.tail.String())
			if ctx.Err() != nil {
				break
			}
			continue
		}
		return c, port, nil
	}
	return nil, 0, lastErr
}

func waitHTTP(ctx context.Context, url string, c *child, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	hc := &http.Client{Timeout: time.Second}
	for {
		if c.exited() {
			return fmt.Errorf("exited before answering (%v)", c.err)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer at %s within %s", url, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(40 * time.Millisecond):
		}
	}
}

func portOf(endpoint string) int {
	_, p, _ := net.SplitHostPort(strings.TrimPrefix(endpoint, "http://"))
	var n int
	fmt.Sscan(p, &n)
	return n
}

// writeIssuerConfig makes cognito-local sign tokens with the proxy's address as issuer, the
// address every client of the stack uses.
func writeIssuerConfig(cognitoDir, endpoint string) error {
	dir := filepath.Join(cognitoDir, ".cognito")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("localstack: %w", err)
	}
	return writeJSON(filepath.Join(dir, "config.json"), map[string]any{"TokenConfig": map[string]string{"IssuerDomain": endpoint}})
}

func portFree(port int) bool {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localstack: no free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("localstack: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("localstack: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("localstack: %w", err)
	}
	return nil
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
