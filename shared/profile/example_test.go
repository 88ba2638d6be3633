package profile_test

import (
	"fmt"
	"strings"

	"woodshed/shared/profile"
)

func ExampleShownHashtags() {
	p := profile.Profile{Instruments: []string{"violin"}, UserType: profile.Student, Hashtags: []string{"바이올린"}}
	fmt.Println(strings.Join(profile.ShownHashtags(p), " "))
	// Output: #violin #student #바이올린
}

func ExampleApply() {
	p := profile.Profile{Nickname: "kim", TimeZone: "UTC", Visibility: profile.Private}
	tags := []string{"#Jazz Piano", "ＪＡＺＺ_piano", "#바이올린"}
	bad := "x"
	err := profile.Apply(&p, profile.Update{Hashtags: &tags, Nickname: &bad})
	fmt.Println(err)
	err = profile.Apply(&p, profile.Update{Hashtags: &tags})
	fmt.Println(err, p.Hashtags)
	// Output:
	// invalid input: nickname must be 2 to 20 characters
	// <nil> [jazz_piano 바이올린]
}
