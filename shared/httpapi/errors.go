package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"woodshed/shared/valid"
)

// Error is an API error: a status, a snake_case code and a message safe to show the caller.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  []FieldError
	Headers map[string]string
}

// FieldError names one invalid field of the request.
type FieldError = valid.FieldError

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Invalid is a 400 validation_failed error listing the bad fields.
func Invalid(fields ...FieldError) *Error {
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = f.Field + " " + f.Message
	}
	return &Error{Status: http.StatusBadRequest, Code: "validation_failed", Message: strings.Join(msgs, "; "), Fields: fields}
}

// NotFound, Forbidden and Unauthorized are the common refusals.
func NotFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: what + " not found"}
}
func Forbidden(msg string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: msg}
}
func Unauthorized() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "a valid access token is required"}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

func (e *Error) body() errorBody {
	return errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}}
}

// Rule maps a domain error (matched with errors.Is) to an API error.
type Rule struct {
	Target  error
	Status  int
	Code    string
	Message string // empty: the error's own text
}

// Rules is the table of domain errors to API errors; unmatched errors become a 500.
type Rules []Rule

// Map finds the API error for err.
func (rs Rules) Map(err error) *Error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var ve valid.Errors
	if errors.As(err, &ve) {
		return Invalid(ve...)
	}
	for _, r := range rs {
		if errors.Is(err, r.Target) {
			msg := r.Message
			if msg == "" {
				msg = r.Target.Error()
			}
			return &Error{Status: r.Status, Code: r.Code, Message: msg}
		}
	}
	return &Error{Status: http.StatusInternalServerError, Code: internalBody.Error.Code, Message: internalBody.Error.Message}
}
