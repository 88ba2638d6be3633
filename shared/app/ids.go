package app

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID is a random id of 128 bits, 26 lower-case letters and digits: safe in keys and URLs and
// impossible to guess, so ids say nothing about other users' items.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return strings.ToLower(idEncoding.EncodeToString(b))
}

// now is the service clock, in one place.
func (a *App) now() time.Time { return time.Now().UTC() }
