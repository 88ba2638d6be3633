package profile

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"woodshed/shared/hashtag"
	"woodshed/shared/instrument"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
)

func TestParseNickname(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"bo", "bo", nil},
		{"Violin_Kim", "Violin_Kim", nil},
		{"  padded  ", "padded", nil},
		{"김바이올린", "김바이올린", nil},
		{"ヴァイオリン弾き", "ヴァイオリン弾き", nil},
		{"Ölçü", "Ölçü", nil},
		{"O\u0308l", "Öl", nil}, // decomposed input is stored composed
		{"user2026", "user2026", nil},
		{"2026", "2026", nil},
		{"_a", "_a", nil},
		{strings.Repeat("가", 20), strings.Repeat("가", 20), nil},
		{"a", "", ErrNicknameLength},
		{"가", "", ErrNicknameLength},
		{"", "", ErrNicknameLength},
		{strings.Repeat("a", 21), "", ErrNicknameLength},
		{strings.Repeat("가", 21), "", ErrNicknameLength},
		{"two words", "", ErrNicknameChars},
		{"dash-name", "", ErrNicknameChars},
		{"emoji🎻", "", ErrNicknameChars},
		{"dot.name", "", ErrNicknameChars},
		{"__", "", ErrNicknameChars},
		{"\u0301ab", "", ErrNicknameChars},
		{"bad\x00nul", "", ErrNicknameChars},
	}
	for _, tc := range tests {
		got, err := ParseNickname(tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("ParseNickname(%q) error = %v, want %v", tc.in, err, tc.err)
			}
			if ValidateNickname(tc.in) == nil {
				t.Errorf("ValidateNickname(%q) = nil", tc.in)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseNickname(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNicknameKey(t *testing.T) {
	same := [][]string{
		{"Bob", "BOB", "bob", "Ｂｏｂ", " bob "},
		{"Straße", "STRASSE", "strasse"},
		{"Öl", "O\u0308L", "öl"},
		{"김민수", "김민수"},
		{"ΟΔΥΣΣΕΑΣ", "οδυσσεας", "Οδυσσεας", "οδυσσεας"[:len("οδυσσεα")] + "ς"}, // final sigma folds too
	}
	for _, group := range same {
		for _, n := range group[1:] {
			if NicknameKey(n) != NicknameKey(group[0]) {
				t.Errorf("NicknameKey(%q) = %q, NicknameKey(%q) = %q; want equal", n, NicknameKey(n), group[0], NicknameKey(group[0]))
			}
		}
	}
	different := [][2]string{{"bob", "bob_"}, {"김민수", "김민서"}, {"ana", "anna"}, {"bob1", "bobl"}}
	for _, d := range different {
		if NicknameKey(d[0]) == NicknameKey(d[1]) {
			t.Errorf("NicknameKey(%q) == NicknameKey(%q)", d[0], d[1])
		}
	}
}

func TestParseUserTypeAndVisibility(t *testing.T) {
	for _, s := range []string{"student", "hobbyist", "professional", "teacher", "other", " Teacher "} {
		if _, err := ParseUserType(s); err != nil {
			t.Errorf("ParseUserType(%q): %v", s, err)
		}
	}
	if got, err := ParseUserType(""); err != nil || got != "" {
		t.Errorf("ParseUserType(\"\") = %q, %v; want empty", got, err)
	}
	for _, s := range []string{"pro", "students", "admin", "학생"} {
		if _, err := ParseUserType(s); !errors.Is(err, ErrUserType) {
			t.Errorf("ParseUserType(%q) error = %v", s, err)
		}
	}
	for s, want := range map[string]Visibility{"private": Private, "public": Public, "PUBLIC": Public} {
		if got, err := ParseVisibility(s); err != nil || got != want {
			t.Errorf("ParseVisibility(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "friends", "hidden"} {
		if _, err := ParseVisibility(s); !errors.Is(err, ErrVisibility) {
			t.Errorf("ParseVisibility(%q) error = %v", s, err)
		}
	}
}

func TestParseBio(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"  I play the violin.\r\nDaily!  ", "I play the violin.\nDaily!", nil},
		{"탭\t허용", "탭\t허용", nil},
		{"", "", nil},
		{strings.Repeat("가", 300), strings.Repeat("가", 300), nil},
		{strings.Repeat("가", 301), "", ErrBioTooLong},
		{strings.Repeat("e\u0301", 300), strings.Repeat("é", 300), nil}, // counted after NFC
		{"bell\x07", "", ErrBioControl},
		{"nul\x00inside", "", ErrBioControl},
		{"bad\xffutf8", "", ErrBioControl},
	}
	for _, tc := range tests {
		got, err := ParseBio(tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("ParseBio(%q) error = %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseBio(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseInstruments(t *testing.T) {
	got, err := ParseInstruments([]string{"Violin", "violin", "custom:Hang Drum", "piano"})
	if err != nil || !slices.Equal(got, []string{"violin", "custom:hang_drum", "piano"}) {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = ParseInstruments([]string{"piano", "kazoo"})
	var le *hashtag.ListError
	if !errors.As(err, &le) || le.Index != 1 || !errors.Is(err, instrument.ErrUnknown) {
		t.Fatalf("err = %v, want ListError at 1 wrapping instrument.ErrUnknown", err)
	}
	ids := []string{}
	for _, in := range instrument.Catalogue()[:11] {
		ids = append(ids, in.ID)
	}
	if _, err := ParseInstruments(ids); !errors.Is(err, ErrTooManyInstr) {
		t.Fatalf("11 instruments: err = %v", err)
	}
	if _, err := ParseInstruments(ids[:10]); err != nil {
		t.Fatalf("10 instruments: %v", err)
	}
	if _, err := ParseInstruments([]string{"custom:a1", "custom:a2", "custom:a3", "custom:a4"}); !errors.Is(err, ErrTooManyCustom) {
		t.Fatalf("4 custom instruments: err = %v", err)
	}
}

func TestShownHashtags(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want []string
	}{
		{"issue example", Profile{Instruments: []string{"violin"}, UserType: Student, Hashtags: []string{"바이올린"}},
			[]string{"#violin", "#student", "#바이올린"}},
		{"custom instrument label", Profile{Instruments: []string{"custom:hang_drum", "cello"}, UserType: Teacher},
			[]string{"#hang_drum", "#cello", "#teacher"}},
		{"other user type is not shown", Profile{Instruments: []string{"piano"}, UserType: OtherType, Hashtags: []string{"jazz"}},
			[]string{"#piano", "#jazz"}},
		{"repeats removed", Profile{Instruments: []string{"violin"}, UserType: Student, Hashtags: []string{"violin", "student", "クラシック"}},
			[]string{"#violin", "#student", "#クラシック"}},
		{"empty profile", Profile{}, []string{}},
	}
	for _, tc := range tests {
		if got := ShownHashtags(tc.p); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ShownHashtags = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewAndView(t *testing.T) {
	created := time.Date(2026, 3, 1, 9, 30, 15, 500, time.FixedZone("KST", 9*3600))
	p, err := New("u1", " Kim_Violin ", "Asia/Seoul", created)
	if err != nil {
		t.Fatal(err)
	}
	if p.Nickname != "Kim_Violin" || p.TimeZone != "Asia/Seoul" || p.Visibility != Private ||
		!p.CreatedAt.Equal(created.Truncate(time.Second)) || p.CreatedAt.Location() != time.UTC {
		t.Fatalf("New = %+v", p)
	}
	if q, err := New("u2", "someone", "", created); err != nil || q.TimeZone != "UTC" {
		t.Fatalf("New with no zone = %+v, %v", q, err)
	}
	_, err = New("u3", "x", "Mars/Base", created)
	ves, ok := valid.Fields(err)
	if !ok || len(ves) != 2 || ves[0].Field != "nickname" || ves[1].Field != "time_zone" {
		t.Fatalf("New with bad nickname and zone: %v", err)
	}

	b, err := json.Marshal(p.View())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"user_id", "nickname", "profile_image_url", "instruments", "user_type", "bio",
		"hashtags", "custom_hashtags", "time_zone", "visibility", "created_at"} {
		if _, ok := m[k]; !ok {
			t.Errorf("view JSON lacks %q: %s", k, b)
		}
	}
	if !strings.Contains(string(b), `"instruments":[]`) || !strings.Contains(string(b), `"hashtags":[]`) ||
		!strings.Contains(string(b), `"created_at":"2026-03-01T00:30:15Z"`) {
		t.Errorf("view JSON = %s", b)
	}
}

func TestVisibleTo(t *testing.T) {
	p := Profile{UserID: "u1", Visibility: Private}
	if !p.VisibleTo("u1") || p.VisibleTo("u2") || p.VisibleTo("") {
		t.Error("private profile visibility is wrong")
	}
	p.Visibility = Public
	if !p.VisibleTo("u2") || !p.VisibleTo("") {
		t.Error("public profile visibility is wrong")
	}
	if (Profile{UserID: ""}).VisibleTo("") {
		t.Error("an empty viewer must not own an empty user id")
	}
}

func ptr[T any](v T) *T { return &v }

func TestApply(t *testing.T) {
	base := Profile{UserID: "u1", Nickname: "kim", Instruments: []string{"violin"}, UserType: Student,
		Bio: "hi", Hashtags: []string{"jazz"}, TimeZone: "Asia/Seoul", Visibility: Private}

	p := base
	err := Apply(&p, Update{
		Nickname:    ptr("Kim_2"),
		Instruments: ptr([]string{"Cello", "custom:해금연습"}),
		UserType:    ptr("teacher"),
		Bio:         ptr("  새 소개  "),
		Hashtags:    ptr([]string{"#바이올린", "ＪＡＺＺ", "jazz"}),
		TimeZone:    ptr("Europe/Berlin"),
		Visibility:  ptr("public"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{UserID: "u1", Nickname: "Kim_2", Instruments: []string{"cello", "custom:해금연습"}, UserType: Teacher,
		Bio: "새 소개", Hashtags: []string{"바이올린", "jazz"}, TimeZone: "Europe/Berlin", Visibility: Public}
	if !equalProfile(p, want) {
		t.Fatalf("after Apply: %+v\nwant %+v", p, want)
	}

	// Untouched fields stay; empty user type and bio clear.
	p = base
	if err := Apply(&p, Update{UserType: ptr(""), Bio: ptr("")}); err != nil {
		t.Fatal(err)
	}
	if p.UserType != "" || p.Bio != "" || p.Nickname != "kim" || !slices.Equal(p.Hashtags, base.Hashtags) {
		t.Fatalf("clearing: %+v", p)
	}

	// Every bad field is reported, and nothing changes.
	p = base
	err = Apply(&p, Update{
		Nickname:    ptr("x"),
		Instruments: ptr([]string{"piano", "lute?"}),
		UserType:    ptr("guru"),
		Bio:         ptr(strings.Repeat("a", 301)),
		Hashtags:    ptr([]string{"ok", "ok2", "not ok!"}),
		TimeZone:    ptr("Asia/Nowhere"),
		Visibility:  ptr("friends"),
	})
	ves, ok := valid.Fields(err)
	if !ok {
		t.Fatalf("err = %v, want valid.Errors", err)
	}
	fields := []string{}
	for _, ve := range ves {
		fields = append(fields, ve.Field)
		if ve.Message == "" {
			t.Errorf("field %s has no message", ve.Field)
		}
	}
	wantFields := []string{"nickname", "instruments[1]", "user_type", "bio", "hashtags[2]", "time_zone", "visibility"}
	if !slices.Equal(fields, wantFields) {
		t.Errorf("fields = %q, want %q", fields, wantFields)
	}
	for _, sentinel := range []error{ErrNicknameLength, instrument.ErrUnknown, ErrUserType, ErrBioTooLong,
		hashtag.ErrBadChars, timezone.ErrUnknown, ErrVisibility} {
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(err, %v) = false", sentinel)
		}
	}
	if !equalProfile(p, base) {
		t.Fatalf("profile changed on a failed update: %+v", p)
	}

	tooMany := make([]string, 11)
	for i := range tooMany {
		tooMany[i] = "tag" + string(rune('a'+i))
	}
	p = base
	if err := Apply(&p, Update{Hashtags: &tooMany}); !errors.Is(err, ErrTooManyHashtags) {
		t.Fatalf("11 hashtags: err = %v", err)
	}
}

func TestUpdateJSON(t *testing.T) {
	var u Update
	if err := json.Unmarshal([]byte(`{"bio":"","hashtags":["#a"],"visibility":null}`), &u); err != nil {
		t.Fatal(err)
	}
	if u.Bio == nil || *u.Bio != "" || u.Hashtags == nil || u.Visibility != nil || u.Nickname != nil {
		t.Fatalf("decoded %+v", u)
	}
	if u.IsEmpty() || !(Update{}).IsEmpty() {
		t.Fatal("IsEmpty is wrong")
	}
}

func equalProfile(a, b Profile) bool {
	return a.UserID == b.UserID && a.Nickname == b.Nickname && slices.Equal(a.Instruments, b.Instruments) &&
		a.UserType == b.UserType && a.Bio == b.Bio && slices.Equal(a.Hashtags, b.Hashtags) &&
		a.TimeZone == b.TimeZone && a.Visibility == b.Visibility && a.CreatedAt.Equal(b.CreatedAt)
}
