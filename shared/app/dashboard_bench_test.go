package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/practice"
	"woodshed/shared/store"
)

// seedYear gives the user a year of practice: one or two sessions on most days, four instruments.
func seedYear(b *testing.B, e env, uid string) int {
	b.Helper()
	st, err := store.New(context.Background(), e.Stack.Config())
	if err != nil {
		b.Fatal(err)
	}
	instr := []string{"violin", "piano", "cello", "guitar"}
	now := time.Now().UTC()
	n := 0
	for d := 365; d >= 1; d-- {
		for k := range 1 + d%2 {
			if d%7 == 3 {
				continue // a rest day a week
			}
			start := now.AddDate(0, 0, -d).Add(time.Duration(k) * 3 * time.Hour)
			s, err := practice.NewManual(practice.ManualInput{SessionID: fmt.Sprintf("bench%05d%d", d, k), UserID: uid, Instrument: instr[(d+k)%4], TimeZone: "Asia/Seoul",
				StartTime: start, EndTime: start.Add(time.Duration(20+d%40) * time.Minute)}, now, nil)
			if err != nil {
				b.Fatal(err)
			}
			g, err := st.ManualGuard(context.Background(), uid)
			if err != nil {
				b.Fatal(err)
			}
			if err := st.AddManualSession(context.Background(), s, g); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	return n
}

var benchSeed struct {
	once sync.Once
	u    user
}

func benchUser(b *testing.B, e env) user {
	// One log line per request would flood the benchmark's output.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	benchSeed.once.Do(func() {
		benchSeed.u = e.signUp(b)
		n := seedYear(b, e, benchSeed.u.ID)
		b.Logf("seeded %d sessions over a year", n)
	})
	return benchSeed.u
}

// latencies collects request durations from many goroutines and reports p50 and p99.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B) {
	slices.Sort(l.d)
	if len(l.d) == 0 {
		return
	}
	q := func(p float64) float64 { return float64(l.d[int(p*float64(len(l.d)-1))]) / 1e6 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// BenchmarkDashboardHandler calls the dashboard handler as the Lambda runtime does, with an event
// carrying the caller's claims, against DynamoDB Local holding a year of practice.
func BenchmarkDashboardHandler(b *testing.B) {
	e := testEnv(b)
	u := benchUser(b, e)
	h := e.App.HTTPHandlers()["users-dashboard"]
	ev := events.APIGatewayV2HTTPRequest{
		RouteKey:       "GET /users/{user_id}/dashboard",
		PathParameters: map[string]string{"user_id": "me"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": u.ID}},
		}},
	}
	var lat latencies
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			resp, err := h(context.Background(), ev)
			lat.add(time.Since(t0))
			if err != nil || resp.StatusCode != 200 {
				b.Errorf("dashboard: %d %v %s", resp.StatusCode, err, resp.Body)
				return
			}
		}
	})
	lat.report(b)
}

// BenchmarkDashboardHTTP is the same through the local API Gateway: HTTP, JWT verification and
// the event mapping included.
func BenchmarkDashboardHTTP(b *testing.B) {
	e := testEnv(b)
	u := benchUser(b, e)
	var lat latencies
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", e.URL+"/users/me/dashboard", nil)
			req.Header.Set("Authorization", "Bearer "+u.Token)
			t0 := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			lat.add(time.Since(t0))
			if resp.StatusCode != 200 {
				b.Errorf("dashboard: %d", resp.StatusCode)
				return
			}
		}
	})
	lat.report(b)
}
