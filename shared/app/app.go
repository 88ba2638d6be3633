// Package app wires configuration, stores and domain services into the handlers that the
// Lambdas in functions/ and the local stack both run.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"woodshed/shared/auth"
	"woodshed/shared/blob"
	"woodshed/shared/config"
	"woodshed/shared/httpapi"
	"woodshed/shared/identity"
	"woodshed/shared/recording"
	"woodshed/shared/store"
)

// App holds the built services.
type App struct {
	cfg   config.Config
	store *store.Store
	pool  *identity.Pool
	auth  *auth.Service
	rec   *recording.Service

	blobs   *blob.Store     // S3 objects (profile images, recordings)
	presign *blob.Presigner // browser uploads
}

// New builds the app from its config. It makes no network calls.
func New(ctx context.Context, cfg config.Config) (*App, error) {
	st, err := store.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	pool, err := identity.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	blobs, err := blob.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	presign, err := blob.NewPresigner(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	rec := newRecording(cfg, st, blobs, presign)
	return &App{cfg: cfg, store: st, pool: pool, auth: auth.New(pool, st), blobs: blobs, presign: presign, rec: rec}, nil
}

// HTTPHandlers maps each function name of routes.Table to its handler.
func (a *App) HTTPHandlers() map[string]httpapi.Handler {
	h := map[string]httpapi.Handler{}
	add := func(name string, f httpapi.Func) { h[name] = httpapi.Handle(name, errorRules, f) }
	add("health", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		return httpapi.OK(map[string]string{"status": "ok"})
	})
	a.authHandlers(add)
	a.userHandlers(add)
	a.publicHandlers(add)
	a.practiceHandlers(add)
	a.audioHandlers(add)
	return h
}

// S3Handlers maps each S3-triggered function name of routes.EventFunctions to its handler.
func (a *App) S3Handlers() map[string]func(context.Context, events.S3Event) error {
	return map[string]func(context.Context, events.S3Event) error{
		"analyzer":        a.analyzeRecordings,
		"image-processor": a.processImages,
	}
}

// Lambda is the whole main of a function: JSON logs, config from the environment, the named handler.
func Lambda(name string) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)).With("function", name))
	ctx := context.Background()
	cfg, err := config.FromEnv()
	if err != nil {
		fail(name, err)
	}
	a, err := New(ctx, cfg)
	if err != nil {
		fail(name, err)
	}
	if h, ok := a.HTTPHandlers()[name]; ok {
		lambda.Start(h)
		return
	}
	if h, ok := a.S3Handlers()[name]; ok {
		lambda.Start(h)
		return
	}
	fail(name, fmt.Errorf("no handler named %q", name))
}

func fail(name string, err error) {
	slog.Error("start-up failed", "function", name, "error", err.Error())
	os.Exit(1)
}

// DispatchS3 routes an S3 notification to the event function that owns its key prefix, as the
// bucket notifications in infra/ do: recordings/ → analyzer, uploads/ → image-processor.
func (a *App) DispatchS3(ctx context.Context, ev events.S3Event) error {
	hs := a.S3Handlers()
	byFn := map[string]events.S3Event{}
	for _, r := range ev.Records {
		fn := ""
		switch key := r.S3.Object.Key; {
		case strings.HasPrefix(key, "recordings/"):
			fn = "analyzer"
		case strings.HasPrefix(key, "uploads/"):
			fn = "image-processor"
		}
		if hs[fn] == nil {
			continue
		}
		e := byFn[fn]
		e.Records = append(e.Records, r)
		byFn[fn] = e
	}
	var errs []error
	for fn, e := range byFn {
		if err := hs[fn](ctx, e); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", fn, err))
		}
	}
	return errors.Join(errs...)
}
