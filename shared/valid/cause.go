package valid

import (
	"errors"
	"strings"
)

// Collector gathers field errors together with the domain errors behind them. Its error is an
// Errors for the HTTP layer (errors.As) and still matches each cause with errors.Is, so domain
// tests and callers can check for a package's sentinel.
type Collector struct {
	fields Errors
	causes []error
}

// Add records cause under field; a nil cause is ignored. The message is the cause's text without
// a leading mention of the field ("nickname must …" under "nickname" becomes "must …"), since
// the field is named beside it.
func (c *Collector) Add(field string, cause error) {
	if cause == nil {
		return
	}
	msg := cause.Error()
	name := strings.ReplaceAll(field, "_", " ")
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if rest, ok := strings.CutPrefix(msg, name+" "); ok && rest != "" {
		msg = rest
	}
	c.fields = append(c.fields, FieldError{Field: field, Message: msg})
	c.causes = append(c.causes, cause)
}

// Err returns the collected failure, or nil when nothing was added.
func (c *Collector) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &withCauses{fields: c.fields, causes: c.causes}
}

// Field is a failure of one field caused by err, or nil when err is nil.
func Field(field string, err error) error {
	var c Collector
	c.Add(field, err)
	return c.Err()
}

type withCauses struct {
	fields Errors
	causes []error
}

func (e *withCauses) Error() string { return e.fields.Error() }

func (e *withCauses) Unwrap() []error { return append([]error{e.fields}, e.causes...) }

// Fields returns the field errors of err, if it is or wraps a validation failure.
func Fields(err error) (Errors, bool) {
	var es Errors
	ok := errors.As(err, &es)
	return es, ok
}
