package instrument

import (
	"errors"
	"testing"

	"woodshed/shared/hashtag"
)

func TestCatalogue(t *testing.T) {
	cat := Catalogue()
	if len(cat) < 30 {
		t.Fatalf("catalogue has %d instruments, want at least 30", len(cat))
	}
	seen := map[string]bool{}
	for _, in := range cat {
		if seen[in.ID] {
			t.Errorf("duplicate id %q", in.ID)
		}
		seen[in.ID] = true
		if !Valid(in.ID) {
			t.Errorf("catalogue id %q is not canonical", in.ID)
		}
		if norm, err := hashtag.Normalize(in.ID); err != nil || norm != in.ID {
			t.Errorf("catalogue id %q is not a valid hashtag word: %q, %v", in.ID, norm, err)
		}
		if in.English == "" || in.Korean == "" || in.Family == "" {
			t.Errorf("%q lacks a name or family: %+v", in.ID, in)
		}
	}
	for _, id := range []string{"violin", "piano", "guitar", "cello", "flute", "voice", "drums"} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("%q missing from the catalogue", id)
		}
	}
	cat[0].ID = "changed"
	if Catalogue()[0].ID == "changed" {
		t.Error("Catalogue returned the package's own slice")
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"violin", "violin", nil},
		{" Violin ", "violin", nil},
		{"DOUBLE_BASS", "double_bass", nil},
		{"double bass", "double_bass", nil},
		{"french-horn", "french_horn", nil},
		{"custom:hang drum", "custom:hang_drum", nil},
		{"Custom:Hang Drum", "custom:hang_drum", nil},
		{"custom:#Theremin", "custom:theremin", nil},
		{"custom:해금연습용", "custom:해금연습용", nil},
		{"custom:三味線", "custom:三味線", nil},
		{"custom:Violin", "violin", nil},
		{"kazoo", "", ErrUnknown},
		{"", "", ErrUnknown},
		{"바이올린", "", ErrUnknown},
		{"custom", "", ErrUnknown},
		{"violin!", "", ErrUnknown},
		{"custom:", "", ErrBadCustom},
		{"custom:lo-fi synth", "", ErrBadCustom},
		{"custom:" + string(make([]rune, 31)), "", ErrBadCustom},
		{"custom:abcdefghijklmnopqrstuvwxyz12345", "", hashtag.ErrTooLong},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Parse(%q) error = %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestLabelAndName(t *testing.T) {
	tests := []struct{ id, label, en, ko string }{
		{"violin", "violin", "Violin", "바이올린"},
		{"gayageum", "gayageum", "Gayageum", "가야금"},
		{"custom:hang_drum", "hang_drum", "hang_drum", "hang_drum"},
	}
	for _, tc := range tests {
		if got := Label(tc.id); got != tc.label {
			t.Errorf("Label(%q) = %q, want %q", tc.id, got, tc.label)
		}
		if got := Name(tc.id, "en"); got != tc.en {
			t.Errorf("Name(%q, en) = %q, want %q", tc.id, got, tc.en)
		}
		if got := Name(tc.id, "ko-KR"); got != tc.ko {
			t.Errorf("Name(%q, ko-KR) = %q, want %q", tc.id, got, tc.ko)
		}
	}
	if !IsCustom("custom:x1") || IsCustom("violin") {
		t.Error("IsCustom is wrong")
	}
	if Valid("Violin") || Valid("custom:Hang") || !Valid("custom:hang") {
		t.Error("Valid must accept only canonical ids")
	}
}
