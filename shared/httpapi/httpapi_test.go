package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

type payload struct {
	Email string `json:"email"`
	Count int    `json:"count"`
}

var errTaken = errors.New("email taken")

func run(t *testing.T, body string, f Func) (int, map[string]any) {
	t.Helper()
	h := Handle("test", Rules{{Target: errTaken, Status: 409, Code: "email_taken"}}, f)
	ev := events.APIGatewayV2HTTPRequest{Body: body}
	ev.RequestContext.RequestID = "rid-1"
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatalf("handler returned error: %v", err)
	}
	if resp.Headers["X-Request-Id"] != "rid-1" {
		t.Errorf("missing request id header: %v", resp.Headers)
	}
	var out map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
			t.Fatalf("body is not JSON: %q", resp.Body)
		}
	}
	return resp.StatusCode, out
}

func decodeFunc(ctx context.Context, r *Request) (Response, error) {
	var p payload
	if err := r.Decode(&p); err != nil {
		return Response{}, err
	}
	return OK(p)
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"valid", `{"email":"a@b.c","count":2}`, 200, ""},
		{"malformed", `{"email":`, 400, "invalid_json"},
		{"not json", `hello`, 400, "invalid_json"},
		{"empty", ``, 400, "invalid_json"},
		{"array", `[1,2]`, 400, "invalid_json"},
		{"wrong type", `{"email":5}`, 400, "validation_failed"},
		{"unknown field", `{"email":"a","admin":true}`, 400, "validation_failed"},
		{"trailing", `{"email":"a"} {"email":"b"}`, 400, "invalid_json"},
		{"too large", `{"email":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, 413, "payload_too_large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := run(t, c.body, decodeFunc)
			if status != c.status || errCode(out) != c.code {
				t.Fatalf("got %d %v, want %d %s", status, out, c.status, c.code)
			}
		})
	}
}

func TestFieldNamedInTypeError(t *testing.T) {
	_, out := run(t, `{"count":"three"}`, decodeFunc)
	fields := out["error"].(map[string]any)["fields"].([]any)
	if f := fields[0].(map[string]any); f["field"] != "count" || f["message"] != "must be a number" {
		t.Fatalf("fields = %v", fields)
	}
}

func TestErrorMapping(t *testing.T) {
	status, out := run(t, "", func(ctx context.Context, r *Request) (Response, error) {
		return Response{}, errors.Join(errors.New("context"), errTaken)
	})
	if status != 409 || errCode(out) != "email_taken" {
		t.Fatalf("got %d %v", status, out)
	}
	status, out = run(t, "", func(ctx context.Context, r *Request) (Response, error) {
		return Response{}, errors.New("dynamodb: secret internals")
	})
	if status != 500 || errCode(out) != "internal" || strings.Contains(out["error"].(map[string]any)["message"].(string), "dynamodb") {
		t.Fatalf("internal error leaked: %d %v", status, out)
	}
}

func TestPanicBecomes500(t *testing.T) {
	status, out := run(t, "", func(ctx context.Context, r *Request) (Response, error) { panic("boom") })
	if status != 500 || errCode(out) != "internal" {
		t.Fatalf("got %d %v", status, out)
	}
}

func TestUserIDFromClaims(t *testing.T) {
	h := Handle("test", nil, func(ctx context.Context, r *Request) (Response, error) { return OK(map[string]string{"u": r.UserID}) })
	ev := events.APIGatewayV2HTTPRequest{}
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u-1"}},
	}
	resp, _ := h(context.Background(), ev)
	if resp.Body != `{"u":"u-1"}` {
		t.Fatalf("body %s", resp.Body)
	}
}
