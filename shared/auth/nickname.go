package auth

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NicknameKey checks a nickname (2–20 letters, digits or underscores, any script) and returns the
// key that makes nicknames unique regardless of letter case.
func NicknameKey(nick string) (string, error) {
	nick = norm.NFC.String(strings.TrimSpace(nick))
	count := 0
	for _, r := range nick {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			return "", errors.New("may hold only letters, digits and underscores")
		}
		count++
	}
	if count < 2 || count > 20 {
		return "", errors.New("must be 2 to 20 characters long")
	}
	return cases.Fold().String(nick), nil
}
