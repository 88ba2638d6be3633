package recording

import (
	"errors"
	"strings"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	ref := ChunkRef{UserID: "3f1c-9a_b", SessionID: "01JD5SESSION", Index: 42}
	key := ref.ObjectKey()
	if key != "recordings/3f1c-9a_b/01JD5SESSION/00042.wav" {
		t.Fatalf("key %q", key)
	}
	got, err := ParseKey(key)
	if err != nil || got != ref {
		t.Fatalf("ParseKey(%q) = %+v, %v", key, got, err)
	}
	if id := ref.AnalysisID(); id != "01JD5SESSION.42" {
		t.Fatalf("analysis id %q", id)
	}
	back, err := ParseAnalysisID("3f1c-9a_b", ref.AnalysisID())
	if err != nil || back != ref {
		t.Fatalf("ParseAnalysisID = %+v, %v", back, err)
	}
}

func TestParseKeyRefusesOtherLayouts(t *testing.T) {
	for _, key := range []string{
		"",
		"images/u/s/00000.wav",
		"recordings/u/s/00000.mp3",
		"recordings/u/s/0.wav",
		"recordings/u/s/000000.wav",
		"recordings/u/s/0000a.wav",
		"recordings/u/s/00720.wav", // above the last chunk index
		"recordings/u/00000.wav",
		"recordings/u/s/x/00000.wav",
		"recordings//s/00000.wav",
		"recordings/u/../00000.wav",
		"recordings/u/s%2F/00000.wav",
		"recordings/u/s /00000.wav",
		"recordings/" + strings.Repeat("u", 129) + "/s/00000.wav",
		"Recordings/u/s/00000.wav",
	} {
		if ref, err := ParseKey(key); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseKey(%q) = %+v, %v; want ErrBadKey", key, ref, err)
		}
	}
}

func TestParseAnalysisIDRefusesMalformed(t *testing.T) {
	for _, id := range []string{"", "s", "s.", ".1", "s.01", "s.-1", "s.720", "s.1.2", "s/x.1", "s.1x", "s.9999"} {
		if _, err := ParseAnalysisID("u", id); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseAnalysisID(%q): %v; want ErrBadKey", id, err)
		}
	}
}
