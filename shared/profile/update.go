package profile

import (
	"errors"
	"strconv"
	"strings"

	"woodshed/shared/hashtag"
	"woodshed/shared/timezone"
)

// Update is a partial profile update; a nil field is left unchanged. It decodes from the JSON body
// of PUT /users/{user_id}. An empty user_type or bio clears it.
type Update struct {
	Nickname    *string   `json:"nickname,omitempty"`
	Instruments *[]string `json:"instruments,omitempty"`
	UserType    *string   `json:"user_type,omitempty"`
	Bio         *string   `json:"bio,omitempty"`
	Hashtags    *[]string `json:"hashtags,omitempty"`
	TimeZone    *string   `json:"time_zone,omitempty"`
	Visibility  *string   `json:"visibility,omitempty"`
}

// IsEmpty reports whether the update changes nothing.
func (u Update) IsEmpty() bool {
	return u.Nickname == nil && u.Instruments == nil && u.UserType == nil && u.Bio == nil &&
		u.Hashtags == nil && u.TimeZone == nil && u.Visibility == nil
}

// ValidationError is one field's problem. Field is the JSON name, with an index for list elements
// ("hashtags[2]"); Err is the sentinel behind Message, for errors.Is.
type ValidationError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Err     error  `json:"-"`
}

func (e ValidationError) Error() string { return e.Field + ": " + e.Message }
func (e ValidationError) Unwrap() error { return e.Err }

// ValidationErrors are all problems of one request, in field order. The HTTP layer answers 400
// with them as details.
type ValidationErrors []ValidationError

func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "invalid profile: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is find any field's sentinel.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// add records err under field; a *hashtag.ListError adds the element's index to the field.
func (es *ValidationErrors) add(field string, err error) {
	if err == nil {
		return
	}
	var le *hashtag.ListError
	if errors.As(err, &le) {
		field += "[" + strconv.Itoa(le.Index) + "]"
		err = le.Err
	}
	*es = append(*es, ValidationError{Field: field, Message: err.Error(), Err: err})
}

// Apply validates every field of u and, when all are valid, writes them into p. On any problem p
// is untouched and the error is ValidationErrors. A nickname change must still be checked for
// uniqueness by the caller: compare NicknameKey of the old and new nickname.
func Apply(p *Profile, u Update) error {
	next := *p
	var errs ValidationErrors
	var err error
	if u.Nickname != nil {
		next.Nickname, err = ParseNickname(*u.Nickname)
		errs.add("nickname", err)
	}
	if u.Instruments != nil {
		next.Instruments, err = ParseInstruments(*u.Instruments)
		errs.add("instruments", err)
	}
	if u.UserType != nil {
		next.UserType, err = ParseUserType(*u.UserType)
		errs.add("user_type", err)
	}
	if u.Bio != nil {
		next.Bio, err = ParseBio(*u.Bio)
		errs.add("bio", err)
	}
	if u.Hashtags != nil {
		next.Hashtags, err = ParseHashtags(*u.Hashtags)
		errs.add("hashtags", err)
	}
	if u.TimeZone != nil {
		tz := strings.TrimSpace(*u.TimeZone)
		errs.add("time_zone", timezone.Validate(tz))
		next.TimeZone = tz
	}
	if u.Visibility != nil {
		next.Visibility, err = ParseVisibility(*u.Visibility)
		errs.add("visibility", err)
	}
	if len(errs) > 0 {
		return errs
	}
	*p = next
	return nil
}
