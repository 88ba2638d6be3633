package profile

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"woodshed/shared/hashtag"
	"woodshed/shared/instrument"
	"woodshed/shared/timezone"
)

// Limits of a profile.
const (
	MinNicknameRunes     = 2
	MaxNicknameRunes     = 20
	MaxBioRunes          = 300
	MaxHashtags          = 10
	MaxInstruments       = 10
	MaxCustomInstruments = 3
	DefaultTimeZone      = "UTC"
)

// UserType says who the musician is.
type UserType string

// The user types; the zero value means not said.
const (
	Student      UserType = "student"
	Hobbyist     UserType = "hobbyist"
	Professional UserType = "professional"
	Teacher      UserType = "teacher"
	OtherType    UserType = "other"
)

// UserTypes lists the valid user types in display order.
var UserTypes = []UserType{Student, Hobbyist, Professional, Teacher, OtherType}

// Visibility says who may see the profile.
type Visibility string

// The visibilities.
const (
	Private Visibility = "private"
	Public  Visibility = "public"
)

// Profile is a musician's profile as stored. Hashtags holds the custom tags only, without '#'.
type Profile struct {
	UserID          string     `json:"user_id"`
	Nickname        string     `json:"nickname"`
	ProfileImageURL string     `json:"profile_image_url"`
	Instruments     []string   `json:"instruments"`
	UserType        UserType   `json:"user_type"`
	Bio             string     `json:"bio"`
	Hashtags        []string   `json:"hashtags"`
	TimeZone        string     `json:"time_zone"`
	Visibility      Visibility `json:"visibility"`
	CreatedAt       time.Time  `json:"created_at"`
}

// Errors of single fields; the validation failures of New and Apply wrap them.
var (
	ErrNicknameLength  = fmt.Errorf("nickname must be %d to %d characters", MinNicknameRunes, MaxNicknameRunes)
	ErrNicknameChars   = errors.New("nickname may hold only letters, digits and underscores")
	ErrUserType        = errors.New("user type must be student, hobbyist, professional, teacher or other")
	ErrVisibility      = errors.New("visibility must be private or public")
	ErrBioTooLong      = fmt.Errorf("bio must be at most %d characters", MaxBioRunes)
	ErrBioControl      = errors.New("bio holds control characters")
	ErrTooManyInstr    = fmt.Errorf("at most %d instruments", MaxInstruments)
	ErrTooManyCustom   = fmt.Errorf("at most %d custom instruments", MaxCustomInstruments)
	ErrTimeZone        = timezone.ErrUnknown
	ErrTooManyHashtags = hashtag.ErrTooMany
)

// New returns the profile of a new user: private, no instruments or tags, in timeZone (UTC when
// empty). createdAt is kept in UTC to the second.
func New(userID, nickname, timeZone string, createdAt time.Time) (Profile, error) {
	if timeZone == "" {
		timeZone = DefaultTimeZone
	}
	var errs collector
	nick, err := ParseNickname(nickname)
	errs.add("nickname", err)
	errs.add("time_zone", timezone.Validate(timeZone))
	if err := errs.Err(); err != nil {
		return Profile{}, err
	}
	return Profile{
		UserID:      userID,
		Nickname:    nick,
		Instruments: []string{},
		Hashtags:    []string{},
		TimeZone:    timeZone,
		Visibility:  Private,
		CreatedAt:   createdAt.UTC().Truncate(time.Second),
	}, nil
}

// ParseNickname trims white space, puts the nickname in NFC and checks the nickname rule.
func ParseNickname(raw string) (string, error) {
	s := norm.NFC.String(strings.TrimSpace(raw))
	if n := utf8.RuneCountInString(s); n < MinNicknameRunes || n > MaxNicknameRunes {
		return "", ErrNicknameLength
	}
	if !hashtag.ValidWord(s) || !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "", ErrNicknameChars
	}
	return s, nil
}

// ValidateNickname reports whether raw is an acceptable nickname.
func ValidateNickname(raw string) error {
	_, err := ParseNickname(raw)
	return err
}

// NicknameKey is the form nicknames are unique in: NFKC with Unicode case folding, after trimming.
// Store it beside the nickname; two nicknames clash when their keys are equal.
func NicknameKey(nickname string) string {
	s := norm.NFKC.String(strings.TrimSpace(nickname))
	return norm.NFKC.String(cases.Fold().String(s))
}

// ParseUserType accepts the user types and the empty string (not said).
func ParseUserType(s string) (UserType, error) {
	t := UserType(strings.ToLower(strings.TrimSpace(s)))
	if t == "" {
		return "", nil
	}
	for _, v := range UserTypes {
		if t == v {
			return t, nil
		}
	}
	return "", ErrUserType
}

// ParseVisibility accepts private and public.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(strings.ToLower(strings.TrimSpace(s))); v {
	case Private, Public:
		return v, nil
	}
	return "", ErrVisibility
}

// ParseBio trims white space, turns CRLF into LF, puts the text in NFC and checks its length.
func ParseBio(raw string) (string, error) {
	s := strings.ReplaceAll(raw, "\r\n", "\n")
	s = norm.NFC.String(strings.TrimSpace(s))
	if !utf8.ValidString(s) {
		return "", ErrBioControl
	}
	if utf8.RuneCountInString(s) > MaxBioRunes {
		return "", ErrBioTooLong
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		return "", ErrBioControl
	}
	return s, nil
}

// ParseInstruments canonicalises a profile's instrument list: drops repeats, keeps order, and
// enforces MaxInstruments and MaxCustomInstruments. A bad element gives a *hashtag.ListError.
func ParseInstruments(raw []string) ([]string, error) {
	out := make([]string, 0, len(raw))
	seen := map[string]bool{}
	custom := 0
	for i, r := range raw {
		id, err := instrument.Parse(r)
		if err != nil {
			return nil, &hashtag.ListError{Index: i, Err: err}
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if instrument.IsCustom(id) {
			custom++
		}
		out = append(out, id)
	}
	switch {
	case len(out) > MaxInstruments:
		return nil, ErrTooManyInstr
	case custom > MaxCustomInstruments:
		return nil, ErrTooManyCustom
	}
	return out, nil
}

// ParseHashtags normalises the custom tags (package hashtag) and enforces MaxHashtags.
func ParseHashtags(raw []string) ([]string, error) {
	return hashtag.NormalizeList(raw, MaxHashtags)
}

// ShownHashtags is what the API shows as a profile's hashtags: each instrument's label, then the
// user type (except "other", which says nothing), then the custom tags, each with a leading '#'
// and without repeats — e.g. ["#violin", "#student", "#바이올린"].
func ShownHashtags(p Profile) []string {
	words := make([]string, 0, len(p.Instruments)+1+len(p.Hashtags))
	for _, id := range p.Instruments {
		words = append(words, instrument.Label(id))
	}
	if p.UserType != "" && p.UserType != OtherType {
		words = append(words, string(p.UserType))
	}
	words = append(words, p.Hashtags...)
	out := make([]string, 0, len(words))
	seen := map[string]bool{}
	for _, w := range words {
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, "#"+w)
	}
	return out
}

// VisibleTo reports whether viewerID may see the profile: its owner always, others when public.
// An empty viewerID is an anonymous caller.
func (p Profile) VisibleTo(viewerID string) bool {
	return p.Visibility == Public || (viewerID != "" && viewerID == p.UserID)
}

// View is the profile as the API returns it: Hashtags are the shown tags, CustomHashtags the
// editable custom tags (what PUT takes as "hashtags").
type View struct {
	UserID          string     `json:"user_id"`
	Nickname        string     `json:"nickname"`
	ProfileImageURL string     `json:"profile_image_url"`
	Instruments     []string   `json:"instruments"`
	UserType        UserType   `json:"user_type"`
	Bio             string     `json:"bio"`
	Hashtags        []string   `json:"hashtags"`
	CustomHashtags  []string   `json:"custom_hashtags"`
	TimeZone        string     `json:"time_zone"`
	Visibility      Visibility `json:"visibility"`
	CreatedAt       time.Time  `json:"created_at"`
}

// View returns the API shape of p; lists are never nil, so they encode as [].
func (p Profile) View() View {
	return View{
		UserID:          p.UserID,
		Nickname:        p.Nickname,
		ProfileImageURL: p.ProfileImageURL,
		Instruments:     nonNil(p.Instruments),
		UserType:        p.UserType,
		Bio:             p.Bio,
		Hashtags:        ShownHashtags(p),
		CustomHashtags:  nonNil(p.Hashtags),
		TimeZone:        p.TimeZone,
		Visibility:      p.Visibility,
		CreatedAt:       p.CreatedAt.UTC(),
	}
}

func nonNil(s []string) []string {
	return append(make([]string, 0, len(s)), s...)
}
