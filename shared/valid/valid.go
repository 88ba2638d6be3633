// Package valid is the validation error every domain package returns for bad input; the HTTP
// layer turns it into a 400 listing the fields.
package valid

import "strings"

// FieldError names one invalid input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Errors is a validation failure listing every bad field at once.
type Errors []FieldError

func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = f.Field + " " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add appends a field error.
func (e *Errors) Add(field, message string) { *e = append(*e, FieldError{field, message}) }

// Err returns e as an error, or nil when it is empty.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}
