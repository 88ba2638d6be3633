package hashtag

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"latin lower-cased", "Violin", "violin", nil},
		{"leading hash stripped", "#Jazz", "jazz", nil},
		{"several hashes and spaces", "  ##jazz  ", "jazz", nil},
		{"full-width hash", "＃クラシック", "クラシック", nil},
		{"inner spaces collapse to one underscore", "jazz   \t piano", "jazz_piano", nil},
		{"underscore kept", "big_band", "big_band", nil},
		{"korean", "#바이올린", "바이올린", nil},
		{"korean with spaces", "현악 사중주", "현악_사중주", nil},
		{"korean decomposed jamo become NFC syllables", "\u1107\u1161\u110b\u1175\u110b\u1169\u11af\u1105\u1175\u11ab", "바이올린", nil},
		{"korean compatibility jamo kept", "ㅋㅋ", "ㅋㅋ", nil},
		{"japanese katakana with long vowel mark", "ヴァイオリン練習ー", "ヴァイオリン練習ー", nil},
		{"japanese half-width katakana folded", "ﾊﾞｲｵﾘﾝ", "バイオリン", nil},
		{"japanese hiragana and kanji", "#ぴあの練習", "ぴあの練習", nil},
		{"full-width latin folded and lowered", "ＪＡＺＺ", "jazz", nil},
		{"latin accents composed", "Cafe\u0301", "café", nil},
		{"cyrillic lowered", "Скрипка", "скрипка", nil},
		{"devanagari with marks", "संगीत", "संगीत", nil},
		{"digits", "2026", "2026", nil},
		{"30 characters", strings.Repeat("가", 30), strings.Repeat("가", 30), nil},
		{"31 characters", strings.Repeat("가", 31), "", ErrTooLong},
		{"empty", "", "", ErrEmpty},
		{"only hashes", " ## ", "", ErrEmpty},
		{"punctuation", "rock&roll", "", ErrBadChars},
		{"hyphen", "lo-fi", "", ErrBadChars},
		{"emoji", "violin🎻", "", ErrBadChars},
		{"inner hash", "a#b", "", ErrBadChars},
		{"japanese middle dot", "ヴァイオリン・ソナタ", "", ErrBadChars},
		{"leading combining mark", "\u0301abc", "", ErrBadChars},
		{"invalid utf-8", "ab\xffcd", "", ErrBadChars},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Normalize(%q) error = %v, want %v", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestNormalizeIsIdempotent(t *testing.T) {
	for _, in := range []string{"Jazz Piano", "ﾊﾞｲｵﾘﾝ", "#바이올린", "Cafe\u0301", "ＪＡＺＺ"} {
		once, err := Normalize(in)
		if err != nil {
			t.Fatal(err)
		}
		twice, err := Normalize(once)
		if err != nil || twice != once {
			t.Errorf("Normalize(Normalize(%q)) = %q, %v; want %q", in, twice, err, once)
		}
	}
}

func TestNormalizeList(t *testing.T) {
	got, err := NormalizeList([]string{"#Jazz", "jazz", "ＪＡＺＺ", "바이올린", "#바이올린", "ﾊﾞｲｵﾘﾝ", "バイオリン"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"jazz", "바이올린", "バイオリン"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}

	// Repeats do not count against the limit.
	if _, err := NormalizeList([]string{"a1", "A1", "a2"}, 2); err != nil {
		t.Fatalf("two distinct tags under a limit of 2: %v", err)
	}
	if _, err := NormalizeList([]string{"a1", "a2", "a3"}, 2); !errors.Is(err, ErrTooMany) {
		t.Fatalf("three tags under a limit of 2: err = %v, want ErrTooMany", err)
	}

	_, err = NormalizeList([]string{"ok", "bad!"}, 10)
	var le *ListError
	if !errors.As(err, &le) || le.Index != 1 || !errors.Is(err, ErrBadChars) {
		t.Fatalf("err = %v, want ListError at index 1 wrapping ErrBadChars", err)
	}

	empty, err := NormalizeList(nil, 10)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("NormalizeList(nil) = %#v, %v; want an empty non-nil list", empty, err)
	}
}

// FuzzNormalize checks that a normalised tag is valid, short enough and a fixed point.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"#Jazz Piano", "ﾊﾞｲｵﾘﾝ", "바이올린", "İstanbul", "Cafe\u0301", "ＪＡＺＺ", "ǅ", "ß", "ﬁddle", "\u0345x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s)
		if err != nil {
			return
		}
		if !ValidWord(got) || utf8.RuneCountInString(got) > MaxRunes {
			t.Fatalf("Normalize(%q) = %q, which is not a valid tag", s, got)
		}
		if again, err := Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, got, got, again, err)
		}
	})
}
