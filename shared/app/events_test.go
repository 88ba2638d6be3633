package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/apptest"
)

// TestSampleEvents feeds every API Gateway sample in events/apigw to its handler directly, as Lambda
// would, with the placeholders filled from a real sign-up.
func TestSampleEvents(t *testing.T) {
	env := apptest.Start(t)
	handlers := env.App.HTTPHandlers()
	u := env.NewUser(t)
	fresh := apptest.UniqueName("Ev")
	vars := map[string]string{
		"{{sub}}": u.ID, "{{client_id}}": env.Stack.Config().ClientID, "{{access_token}}": u.AccessToken,
		"{{refresh_token}}": u.RefreshToken, "{{email}}": u.Email, "{{nickname}}": fresh, "{{code}}": "000000",
	}
	// Each sample's expected status for these placeholders: the code is a wrong one, the email taken.
	want := map[string]int{
		"health": 200, "auth-register": 409, "auth-register-bad-email": 400, "auth-confirm": 400,
		"auth-resend-code": 409, "auth-login": 200, "auth-refresh": 200, "auth-logout": 204,
		"auth-forgot-password": 200, "auth-reset-password": 400, "auth-me": 200,
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "events", "apigw", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	// Logging out revokes the refresh token the refresh sample uses: run it last.
	sort.SliceStable(files, func(i, j int) bool {
		return !strings.Contains(files[i], "logout") && strings.Contains(files[j], "logout")
	})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(raw)
			for k, v := range vars {
				text = strings.ReplaceAll(text, k, v)
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal([]byte(text), &ev); err != nil {
				t.Fatalf("sample is not an API Gateway v2 request: %v", err)
			}
			fn := strings.TrimSuffix(name, "-bad-email")
			h := handlers[fn]
			if h == nil {
				t.Fatalf("no handler %q for sample %s", fn, name)
			}
			code, ok := want[name]
			if !ok {
				t.Fatalf("sample %s has no expected status in this test", name)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp, err := h(ctx, ev)
			if err != nil || resp.StatusCode != code {
				t.Fatalf("got %d %s (err %v), want %d", resp.StatusCode, resp.Body, err, code)
			}
		})
	}
}
