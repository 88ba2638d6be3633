// Package timezone validates and loads IANA time-zone names. It embeds the time-zone database
// (time/tzdata), so it works on hosts without /usr/share/zoneinfo, such as a Lambda runtime;
// importing this package is enough to make every time.LoadLocation in the binary succeed.
package timezone

import (
	"errors"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // the Lambda runtime has no zoneinfo files
)

// ErrUnknown is returned for a name that is not an IANA time zone.
var ErrUnknown = errors.New("unknown time zone")

// maxNameLen is longer than any IANA name (the longest is about 30 bytes).
const maxNameLen = 64

var cache sync.Map // name → *time.Location; only valid names are stored, so it stays small

// Load returns the location for an IANA name such as "Asia/Seoul" or "UTC". It refuses the empty
// name and "Local", which time.LoadLocation would take for UTC and the host's zone.
func Load(name string) (*time.Location, error) {
	if loc, ok := cache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", name, ErrUnknown)
	}
	cache.Store(name, loc)
	return loc, nil
}

// Validate reports whether name is an IANA time zone Load accepts.
func Validate(name string) error {
	_, err := Load(name)
	return err
}

// checkName refuses names that cannot be IANA zones before touching the database.
func checkName(name string) error {
	if name == "" || name == "Local" || len(name) > maxNameLen {
		return fmt.Errorf("%q: %w", name, ErrUnknown)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '/' || r == '_' || r == '-' || r == '+'
		if !ok {
			return fmt.Errorf("%q: %w", name, ErrUnknown)
		}
	}
	return nil
}
