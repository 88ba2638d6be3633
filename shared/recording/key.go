package recording

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// KeyPrefix is the folder of the recordings bucket that uploads go to and the analyzer listens on.
const KeyPrefix = "recordings/"

// ErrBadKey: an object key or analysis id outside the layout this package hands out.
var ErrBadKey = errors.New("not a recording key")

// ChunkRef names one chunk of one user's session.
type ChunkRef struct {
	UserID    string
	SessionID string
	Index     int
}

// ObjectKey is the chunk's key in the recordings bucket: recordings/<user>/<session>/<00000>.wav.
// The index is zero-padded so a listing of a session's folder is in chunk order.
func (c ChunkRef) ObjectKey() string {
	return fmt.Sprintf("%s%s/%s/%05d.wav", KeyPrefix, c.UserID, c.SessionID, c.Index)
}

// AnalysisID is <session_id>.<chunk_index>: with the caller's user id it names the chunk item,
// so reading an analysis is one GetItem on the caller's own partition.
func (c ChunkRef) AnalysisID() string { return c.SessionID + "." + strconv.Itoa(c.Index) }

// ParseKey reads an object key of the layout ObjectKey writes, and refuses anything else.
func ParseKey(key string) (ChunkRef, error) {
	rest, ok := strings.CutPrefix(key, KeyPrefix)
	if !ok {
		return ChunkRef{}, fmt.Errorf("%w: %q is not under %s", ErrBadKey, key, KeyPrefix)
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return ChunkRef{}, fmt.Errorf("%w: %q is not %s<user>/<session>/<chunk>.wav", ErrBadKey, key, KeyPrefix)
	}
	user, session, file := parts[0], parts[1], parts[2]
	if !ValidID(user) || !ValidID(session) {
		return ChunkRef{}, fmt.Errorf("%w: %q has a malformed user or session id", ErrBadKey, key)
	}
	digits, ok := strings.CutSuffix(file, ".wav")
	if !ok || len(digits) != 5 || !allDigits(digits) {
		return ChunkRef{}, fmt.Errorf("%w: %q: chunk file must be five digits and .wav", ErrBadKey, key)
	}
	n, _ := strconv.Atoi(digits)
	if n > MaxChunkIndex {
		return ChunkRef{}, fmt.Errorf("%w: %q: chunk index above %d", ErrBadKey, key, MaxChunkIndex)
	}
	return ChunkRef{UserID: user, SessionID: session, Index: n}, nil
}

// ParseAnalysisID reads <session_id>.<chunk_index> for the given user.
func ParseAnalysisID(userID, id string) (ChunkRef, error) {
	session, index, ok := strings.Cut(id, ".")
	if !ok || !ValidID(session) || index == "" || len(index) > 3 || !allDigits(index) || (len(index) > 1 && index[0] == '0') {
		return ChunkRef{}, fmt.Errorf("%w: analysis id %q", ErrBadKey, id)
	}
	n, _ := strconv.Atoi(index)
	if n > MaxChunkIndex {
		return ChunkRef{}, fmt.Errorf("%w: analysis id %q: chunk index above %d", ErrBadKey, id, MaxChunkIndex)
	}
	return ChunkRef{UserID: userID, SessionID: session, Index: n}, nil
}

// ValidID accepts the ids that may appear in keys: 1 to 128 characters of letters, digits, '-' and
// '_' (Cognito subs, UUIDs, ULIDs). Anything else could escape the key layout.
func ValidID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
