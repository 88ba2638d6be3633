package timezone

import (
	"errors"
	"testing"
)

func TestLoad(t *testing.T) {
	for _, name := range []string{"UTC", "Etc/UTC", "Asia/Seoul", "America/New_York", "Europe/Berlin",
		"Pacific/Chatham", "America/Argentina/Buenos_Aires", "Etc/GMT+9", "America/Port-au-Prince"} {
		loc, err := Load(name)
		if err != nil {
			t.Errorf("Load(%q): %v", name, err)
			continue
		}
		if loc.String() != name {
			t.Errorf("Load(%q).String() = %q", name, loc.String())
		}
		again, err := Load(name)
		if err != nil || again != loc {
			t.Errorf("second Load(%q) = %p, %v; want the cached %p", name, again, err, loc)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	for _, name := range []string{"", "Local", "Mars/Olympus", "asia/seoul", "Asia/Seoul ", "../etc/passwd",
		"Asia/../UTC", "/usr/share/zoneinfo/UTC", "Asia\\Seoul", "Asia/Seoul\x00", "Europe/" + string(make([]byte, 70))} {
		if _, err := Load(name); !errors.Is(err, ErrUnknown) {
			t.Errorf("Load(%q) error = %v, want ErrUnknown", name, err)
		}
		if err := Validate(name); !errors.Is(err, ErrUnknown) {
			t.Errorf("Validate(%q) error = %v, want ErrUnknown", name, err)
		}
	}
}
