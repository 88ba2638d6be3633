package instrument

import (
	"errors"
	"fmt"
	"strings"

	"woodshed/shared/hashtag"
)

// CustomPrefix starts the id of an instrument that is not in the catalogue.
const CustomPrefix = "custom:"

// Errors Parse returns, wrapped with the input.
var (
	ErrUnknown   = errors.New(`unknown instrument: use a catalogue id such as "violin" or "custom:<name>"`)
	ErrBadCustom = errors.New("bad custom instrument name")
)

// Parse returns the canonical id of an instrument named as described in the package doc.
func Parse(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if len(s) >= len(CustomPrefix) && strings.EqualFold(s[:len(CustomPrefix)], CustomPrefix) {
		label, err := hashtag.Normalize(s[len(CustomPrefix):])
		if err != nil {
			return "", fmt.Errorf("%q: %w: %w", raw, ErrBadCustom, err)
		}
		if _, ok := byID[label]; ok {
			return label, nil
		}
		return CustomPrefix + label, nil
	}
	id := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(s))
	if _, ok := byID[id]; ok {
		return id, nil
	}
	return "", fmt.Errorf("%q: %w", raw, ErrUnknown)
}

// Valid reports whether id is already canonical (what Parse returns).
func Valid(id string) bool {
	got, err := Parse(id)
	return err == nil && got == id
}

// IsCustom reports whether id names a custom instrument.
func IsCustom(id string) bool { return strings.HasPrefix(id, CustomPrefix) }

// Label is the instrument's word for hashtags: the catalogue id or the custom label.
func Label(id string) string { return strings.TrimPrefix(id, CustomPrefix) }

// Name is the display name of id in a language ("ko" for Korean, anything else for English);
// a custom instrument shows its label.
func Name(id, lang string) string {
	in, ok := byID[id]
	switch {
	case !ok:
		return Label(id)
	case strings.HasPrefix(strings.ToLower(lang), "ko"):
		return in.Korean
	default:
		return in.English
	}
}
