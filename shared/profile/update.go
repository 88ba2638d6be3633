package profile

import (
	"errors"
	"strconv"
	"strings"

	"woodshed/shared/hashtag"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
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

// fieldOf is the JSON field an error belongs to; a *hashtag.ListError adds the element's index
// ("hashtags[2]") and is unwrapped.
func fieldOf(field string, err error) (string, error) {
	var le *hashtag.ListError
	if errors.As(err, &le) {
		return field + "[" + strconv.Itoa(le.Index) + "]", le.Err
	}
	return field, err
}

type collector struct{ valid.Collector }

func (c *collector) add(field string, err error) {
	if err != nil {
		c.Add(fieldOf(field, err))
	}
}

// Apply validates every field of u and, when all are valid, writes them into p. On any problem p
// is untouched and the error is a valid.Errors naming every bad field (errors.Is still finds
// the sentinels behind them). A nickname change must still be checked for
// uniqueness by the caller: compare NicknameKey of the old and new nickname.
func Apply(p *Profile, u Update) error {
	next := *p
	var errs collector
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
	if err := errs.Err(); err != nil {
		return err
	}
	*p = next
	return nil
}
