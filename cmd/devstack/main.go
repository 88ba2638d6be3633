// Command devstack runs the whole service on one machine with no AWS account: the local
// stand-ins (shared/localstack), the same handlers the Lambdas run (shared/app) behind the
// API Gateway emulation (shared/gateway), and the SPA (shared/devsite), on one port.
//
//	PORT=8080 DATA_DIR=.data/ go run ./cmd/devstack
//
// The fake S3 listens on its own 127.0.0.1 port (printed at start, and the S3 endpoint the
// presigner signs for); browsers upload to it directly, cross-origin, as they do to S3.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"woodshed/shared/app"
	"woodshed/shared/devsite"
	"woodshed/shared/gateway"
	"woodshed/shared/jwtauth"
	"woodshed/shared/localstack"
	"woodshed/shared/routes"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	if err := run(ctx, os.Getenv, os.Stdout, nil); err != nil {
		log.Error("devstack", "err", err.Error())
		os.Exit(1)
	}
}

// run serves until ctx ends. ready, if set, receives the address once the site answers.
func run(ctx context.Context, getenv func(string) string, out io.Writer, ready chan<- string) error {
	t0 := time.Now()
	port := getenv("PORT")
	if port == "" {
		port = "8080"
	}
	dataDir := getenv("DATA_DIR")
	if dataDir == "" {
		dataDir = ".data"
	}
	webDir := getenv("WEB_DIR")
	if webDir == "" {
		webDir = filepath.Join("web", "dist")
	}
	// Take the port first: a second instance on a busy port should fail before starting Java.
	ln, err := net.Listen("tcp", net.JoinHostPort(getenv("HOST"), port))
	if err != nil {
		return fmt.Errorf("listen on port %s (set PORT to use another): %w", port, err)
	}
	defer ln.Close()

	fmt.Fprintf(out, "Starting the local stack (data in %s)...\n", dataDir)
	st, err := localstack.Start(ctx, localstack.Options{DataDir: dataDir, Console: out})
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := st.Config()

	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	verifier, err := jwtauth.New(jwtauth.Config{Issuer: st.Issuer(), JWKSURL: st.JWKSURL(), ClientID: cfg.ClientID})
	if err != nil {
		return err
	}
	st.OnObjectCreated(a.DispatchS3) // recordings/ → analyzer, uploads/ → image-processor
	site := devsite.Handler(devsite.Options{
		API:    gateway.New(routes.Table, a.HTTPHandlers(), verifier, gateway.Options{}),
		Outbox: st.Outbox(),
		Config: cfg,
		WebDir: webDir,
	})
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	addr := ln.Addr().String()
	fmt.Fprintf(out, "\nWoodshed is running on http://localhost:%s/  (started in %s)\n", portOf(addr), time.Since(t0).Round(time.Millisecond))
	fmt.Fprintf(out, "  API      http://localhost:%s/api   outbox http://localhost:%s/_dev/outbox\n", portOf(addr), portOf(addr))
	fmt.Fprintf(out, "  S3       %s   DynamoDB %s   Cognito %s\n", cfg.S3Endpoint, cfg.DynamoDBEndpoint, cfg.CognitoEndpoint)
	fmt.Fprintf(out, "  tests    WOODSHED_STACK=%s go test ./...\n", filepath.Join(dataDir, "stack.json"))
	fmt.Fprintf(out, "  start-up %s\n  Ctrl-C stops everything.\n\n", st.TimingsString())
	if ready != nil {
		ready <- addr
	}

	select {
	case <-ctx.Done():
		fmt.Fprintln(out, "\nStopping...")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	return nil
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
