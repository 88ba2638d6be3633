package hashtag

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// MaxRunes is the longest a normalised tag may be, in characters.
const MaxRunes = 30

// Errors Normalize returns, wrapped with the offending input.
var (
	ErrEmpty    = errors.New("tag is empty")
	ErrTooLong  = fmt.Errorf("tag is longer than %d characters", MaxRunes)
	ErrBadChars = errors.New("tag may hold only letters, digits and underscores")
)

// lower is safe for concurrent use: a cases.Caser is not, so each call makes its own.
func lower(s string) string { return cases.Lower(language.Und).String(s) }

// Normalize returns the canonical form of one tag, as described in the package doc.
func Normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	s = strings.TrimLeft(s, "#＃")
	s = strings.Join(strings.Fields(s), "_")
	if s == "" {
		return "", ErrEmpty
	}
	s = width.Fold.String(s)
	s = norm.NFC.String(lower(norm.NFC.String(s)))
	if n := utf8.RuneCountInString(s); n > MaxRunes {
		return "", fmt.Errorf("%q: %w", raw, ErrTooLong)
	}
	if !ValidWord(s) {
		return "", fmt.Errorf("%q: %w", raw, ErrBadChars)
	}
	return s, nil
}

// ValidWord reports whether s is non-empty and made only of letters, decimal digits, underscores and
// combining marks, with no mark first (marks belong to the character before them).
func ValidWord(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '_':
		case unicode.IsMark(r) && i > 0:
		default:
			return false
		}
	}
	return true
}

// ListError tells which element of a list failed.
type ListError struct {
	Index int
	Err   error
}

func (e *ListError) Error() string { return fmt.Sprintf("tag %d: %v", e.Index+1, e.Err) }
func (e *ListError) Unwrap() error { return e.Err }

// ErrTooMany is returned by NormalizeList when more distinct tags than allowed remain.
var ErrTooMany = errors.New("too many tags")

// NormalizeList normalises every tag, drops repeats (keeping the first), and refuses more than max
// distinct tags. A bad element gives a *ListError naming its index.
func NormalizeList(raw []string, max int) ([]string, error) {
	out := make([]string, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for i, r := range raw {
		t, err := Normalize(r)
		if err != nil {
			return nil, &ListError{Index: i, Err: err}
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > max {
		return nil, fmt.Errorf("%w: %d given, at most %d allowed", ErrTooMany, len(out), max)
	}
	return out, nil
}
