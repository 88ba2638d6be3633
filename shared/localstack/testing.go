package localstack

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"
)

var shared struct {
	once sync.Once
	st   *Stack
	err  error
}

// Shared returns the test binary's stack, starting it on first use: in memory, on free ports,
// its own table. With WOODSHED_STACK set to a running stack's stack.json it attaches to that
// instead. Call Main from TestMain to stop it when the tests are done; without it the
// stand-ins still die with the test binary (Linux), but temp files stay.
func Shared(t testing.TB) *Stack {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute) // a first run downloads
		defer cancel()
		if path := os.Getenv("WOODSHED_STACK"); path != "" {
			shared.st, shared.err = Attach(ctx, path)
			return
		}
		shared.st, shared.err = Start(ctx, Options{TableName: "woodshed-test-" + randomSuffix()})
	})
	if shared.err != nil {
		t.Fatalf("local stack: %v", shared.err)
	}
	return shared.st
}

// Main runs the tests and then stops the shared stack, if one was started:
//
//	func TestMain(m *testing.M) { localstack.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if shared.st != nil {
		shared.st.Close()
	}
	if code != 0 && shared.err != nil {
		fmt.Fprintln(os.Stderr, "local stack:", shared.err)
	}
	os.Exit(code)
}

func slogDefault() *slog.Logger { return slog.Default() }
