// Package httpapi holds the HTTP conventions every API handler follows: JSON in and out,
// the error body of the API, request ids, logging and panic recovery. It is the only place
// where errors become status codes.
package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// MaxBodyBytes is the largest request body any endpoint accepts.
const MaxBodyBytes = 64 << 10

// Handler is what every HTTP Lambda runs and what the local router calls.
type Handler func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Request is the API Gateway request with the caller's identity taken from the JWT authorizer's claims.
type Request struct {
	events.APIGatewayV2HTTPRequest
	// UserID is the `sub` claim, empty on public routes.
	UserID string
}

// Response is what a Func returns; Body is encoded as JSON unless nil.
type Response struct {
	Status  int
	Body    any
	Headers map[string]string
}

// Func is the shape of an endpoint's logic.
type Func func(ctx context.Context, r *Request) (Response, error)

// OK, Created and NoContent are the common responses.
func OK(body any) (Response, error) { return Response{Status: http.StatusOK, Body: body}, nil }
func Created(body any) (Response, error) {
	return Response{Status: http.StatusCreated, Body: body}, nil
}
func NoContent() (Response, error) { return Response{Status: http.StatusNoContent}, nil }

// Param returns a path parameter.
func (r *Request) Param(name string) string { return r.PathParameters[name] }

// Query returns a query-string parameter.
func (r *Request) Query(name string) string { return r.QueryStringParameters[name] }

// Decode reads the JSON body into v: at most MaxBodyBytes, one JSON value, no unknown fields.
// Every failure is an *Error the caller can return as is.
func (r *Request) Decode(v any) error {
	body := r.Body
	if r.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body is not valid base64"}
		}
		body = string(b)
	}
	if len(body) > MaxBodyBytes {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large",
			Message: fmt.Sprintf("request body is larger than %d bytes", MaxBodyBytes)}
	}
	if strings.TrimSpace(body) == "" {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body is empty; a JSON object is required"}
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body must hold a single JSON object"}
	}
	return nil
}

func decodeError(err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body is not valid JSON"}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body must be a JSON object"}
		}
		return Invalid(FieldError{Field: field, Message: "must be a " + jsonType(typ.Type.Kind().String())})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(FieldError{Field: name, Message: "is not a known field"})
	default:
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "request body is not valid JSON"}
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct", "ptr":
		return "object"
	default:
		return "number"
	}
}

// Handle turns a Func into a Handler: it adds the request id, logs one line per request, maps
// errors to the API's error JSON with the rules given, and turns panics into 500s.
func Handle(name string, rules Rules, f Func) Handler {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, err error) {
		start := time.Now()
		reqID := ev.RequestContext.RequestID
		log := slog.Default().With("function", name, "request_id", reqID, "route", ev.RouteKey)
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp = encode(reqID, Response{Status: http.StatusInternalServerError, Body: internalBody})
				err = nil
			}
			log.Info("request", "status", resp.StatusCode, "duration_ms", time.Since(start).Milliseconds())
		}()
		r := &Request{APIGatewayV2HTTPRequest: ev, UserID: claim(ev, "sub")}
		out, ferr := f(ctx, r)
		if ferr != nil {
			apiErr := rules.Map(ferr)
			if apiErr.Status >= 500 {
				log.Error("request failed", "error", ferr.Error())
			} else {
				log = log.With("error_code", apiErr.Code)
			}
			return encode(reqID, Response{Status: apiErr.Status, Body: apiErr.body(), Headers: apiErr.Headers}), nil
		}
		return encode(reqID, out), nil
	}
}

func claim(ev events.APIGatewayV2HTTPRequest, name string) string {
	if ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.JWT == nil {
		return ""
	}
	return ev.RequestContext.Authorizer.JWT.Claims[name]
}

var internalBody = errorBody{Error: errorDetail{Code: "internal", Message: "something went wrong on our side; please try again"}}

func encode(reqID string, r Response) events.APIGatewayV2HTTPResponse {
	h := map[string]string{"Cache-Control": "no-store"}
	if reqID != "" {
		h["X-Request-Id"] = reqID
	}
	for k, v := range r.Headers {
		h[k] = v
	}
	out := events.APIGatewayV2HTTPResponse{StatusCode: r.Status, Headers: h}
	if r.Status == 0 {
		out.StatusCode = http.StatusOK
	}
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			slog.Error("encode response", "error", err.Error(), "request_id", reqID)
			b, _ = json.Marshal(internalBody)
			out.StatusCode = http.StatusInternalServerError
		}
		h["Content-Type"] = "application/json"
		out.Body = string(b)
	}
	return out
}
