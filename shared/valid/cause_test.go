package valid

import (
	"errors"
	"fmt"
	"testing"
)

func TestCollector(t *testing.T) {
	errA, errB := errors.New("is too short"), errors.New("is unknown")
	var c Collector
	if c.Err() != nil {
		t.Fatal("an empty collector has an error")
	}
	c.Add("nickname", errA)
	c.Add("bio", nil)
	c.Add("user_type", errors.New("user type must be one of the list"))
	c.Add("hashtags[1]", errors.New("hashtags are limited"))
	c.Add("time_zone", fmt.Errorf("%q %w", "Mars/Base", errB))
	err := fmt.Errorf("update: %w", c.Err())

	fields, ok := Fields(err)
	if !ok || len(fields) != 4 || fields[0] != (FieldError{"nickname", "is too short"}) ||
		fields[1] != (FieldError{"user_type", "must be one of the list"}) ||
		fields[2] != (FieldError{"hashtags[1]", "are limited"}) ||
		fields[3] != (FieldError{"time_zone", `"Mars/Base" is unknown`}) {
		t.Fatalf("fields = %+v, %v", fields, ok)
	}
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Fatal("causes are not found with errors.Is")
	}
	if got := err.Error(); got != `update: invalid input: nickname is too short; user_type must be one of the list; hashtags[1] are limited; time_zone "Mars/Base" is unknown` {
		t.Fatalf("Error() = %q", got)
	}
	if Field("x", nil) != nil {
		t.Fatal("Field with a nil cause is not nil")
	}
	if _, ok := Fields(errA); ok {
		t.Fatal("a plain error has fields")
	}
}
