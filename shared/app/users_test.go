package app_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

type profileView struct {
	UserID          string   `json:"user_id"`
	Nickname        string   `json:"nickname"`
	ProfileImageURL string   `json:"profile_image_url"`
	Instruments     []string `json:"instruments"`
	UserType        string   `json:"user_type"`
	Bio             string   `json:"bio"`
	Hashtags        []string `json:"hashtags"`
	CustomHashtags  []string `json:"custom_hashtags"`
	TimeZone        string   `json:"time_zone"`
	Visibility      string   `json:"visibility"`
	CreatedAt       string   `json:"created_at"`
	Email           string   `json:"email"`
}

func TestProfileReadAndUpdate(t *testing.T) {
	e := testEnv(t)
	u, other := e.signUp(t), e.signUp(t)

	var me profileView
	e.must(t, u.Token, "GET", "/users/me", nil, 200, &me)
	if me.UserID != u.ID || me.Nickname != u.Nickname || me.Visibility != "private" || me.Instruments == nil || me.Hashtags == nil || me.CreatedAt == "" {
		t.Fatalf("own profile = %+v", me)
	}
	var byID profileView
	e.must(t, u.Token, "GET", "/users/"+u.ID, nil, 200, &byID)
	if !reflect.DeepEqual(byID, me) {
		t.Fatalf("by id %+v != me %+v", byID, me)
	}
	// Private: others cannot tell it exists.
	e.refused(t, other.Token, "GET", "/users/"+u.ID, nil, 404, "user_not_found")
	e.refused(t, other.Token, "GET", "/users/no-such-user", nil, 404, "user_not_found")

	update := map[string]any{
		"instruments": []string{"Violin", "custom:바이올린"}, "user_type": "student", "bio": "Bach every morning.",
		"hashtags": []string{"#Bach", "바로크"}, "time_zone": "Asia/Seoul", "visibility": "public",
	}
	var got profileView
	e.must(t, u.Token, "PUT", "/users/me", update, 200, &got)
	want := []string{"#violin", "#바이올린", "#student", "#bach", "#바로크"}
	if !reflect.DeepEqual(got.Hashtags, want) || got.TimeZone != "Asia/Seoul" || got.Visibility != "public" || got.Bio != "Bach every morning." {
		t.Fatalf("updated = %+v, hashtags want %v", got, want)
	}
	// Partial: only what is given changes.
	e.must(t, u.Token, "PUT", "/users/"+u.ID, map[string]string{"bio": "Now Ysaÿe."}, 200, &got)
	if got.Bio != "Now Ysaÿe." || got.TimeZone != "Asia/Seoul" || len(got.Instruments) != 2 {
		t.Fatalf("partial update = %+v", got)
	}
	// Public now: others see it.
	var seen profileView
	e.must(t, other.Token, "GET", "/users/"+u.ID, nil, 200, &seen)
	if seen.Nickname != u.Nickname || seen.Email != "" {
		t.Fatalf("public view = %+v", seen)
	}
	var account profileView
	e.must(t, u.Token, "GET", "/auth/me", nil, 200, &account)
	if account.Email != u.Email || account.Bio != "Now Ysaÿe." || len(account.Hashtags) != 5 {
		t.Fatalf("auth/me = %+v", account)
	}

	// Writes to another profile are refused and change nothing.
	e.refused(t, other.Token, "PUT", "/users/"+u.ID, map[string]string{"bio": "hacked"}, 403, "forbidden")
	e.refused(t, other.Token, "POST", "/users/"+u.ID+"/upload-image", map[string]string{"content_type": "image/png"}, 403, "forbidden")
	e.must(t, u.Token, "GET", "/users/me", nil, 200, &got)
	if got.Bio != "Now Ysaÿe." {
		t.Fatalf("bio after another user's write = %q", got.Bio)
	}
}

func TestProfileRefusals(t *testing.T) {
	e := testEnv(t)
	u, other := e.signUp(t), e.signUp(t)
	var before profileView
	e.must(t, u.Token, "GET", "/users/me", nil, 200, &before)
	tags := make([]string, 11)
	for i := range tags {
		tags[i] = fmt.Sprintf("tag%d", i)
	}
	bad := []struct {
		name string
		body any
		code string
	}{
		{"short nickname", map[string]string{"nickname": "a"}, "validation_failed"},
		{"long nickname", map[string]string{"nickname": strings.Repeat("가", 21)}, "validation_failed"},
		{"nickname with space", map[string]string{"nickname": "two words"}, "validation_failed"},
		{"unknown instrument", map[string]any{"instruments": []string{"kazoo-9000!"}}, "validation_failed"},
		{"user type", map[string]string{"user_type": "pro"}, "validation_failed"},
		{"bio too long", map[string]string{"bio": strings.Repeat("a", 301)}, "validation_failed"},
		{"too many hashtags", map[string]any{"hashtags": tags}, "validation_failed"},
		{"bad hashtag", map[string]any{"hashtags": []string{"!!!"}}, "validation_failed"},
		{"time zone", map[string]string{"time_zone": "Mars/Olympus"}, "validation_failed"},
		{"visibility", map[string]string{"visibility": "friends"}, "validation_failed"},
		{"unknown field", map[string]string{"email": "x@example.com"}, "validation_failed"},
		{"wrong type", map[string]any{"instruments": "violin"}, "validation_failed"},
		{"not json", "nickname=bob", "invalid_json"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) { e.refused(t, u.Token, "PUT", "/users/me", b.body, 400, b.code) })
	}
	// Someone else's nickname, in any case, is taken.
	e.refused(t, u.Token, "PUT", "/users/me", map[string]string{"nickname": strings.ToUpper(other.Nickname)}, 409, "nickname_taken")
	var after profileView
	e.must(t, u.Token, "GET", "/users/me", nil, 200, &after)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("refused updates changed the profile: %+v → %+v", before, after)
	}

	// A rename frees the old nickname for others; a case-only change of one's own is fine.
	renamed := "r" + u.Nickname
	var got profileView
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"nickname": renamed}, 200, &got)
	e.must(t, u.Token, "PUT", "/users/me", map[string]string{"nickname": strings.ToUpper(renamed)}, 200, &got)
	if got.Nickname != strings.ToUpper(renamed) {
		t.Fatalf("nickname = %q", got.Nickname)
	}
	e.must(t, other.Token, "PUT", "/users/me", map[string]string{"nickname": u.Nickname}, 200, &got)
	e.refused(t, other.Token, "PUT", "/users/me", map[string]string{"nickname": renamed}, 409, "nickname_taken")
	code, _ := e.call(t, "", "POST", "/auth/register", map[string]string{"email": "n" + u.Email, "password": "Practice2026", "nickname": strings.ToLower(renamed)})
	if code != 409 {
		t.Fatalf("register with a renamed-to nickname: %d", code)
	}
}
