// Package profile holds a musician's profile and its validation rules, free of storage and HTTP.
//
// Rules:
//   - nickname: 2–20 characters of letters, digits and underscores in any script, stored in NFC;
//     unique case-insensitively, compared through NicknameKey (NFKC case folding, so "Ｂｏｂ",
//     "BOB" and "bob" are one nickname);
//   - instruments: up to MaxInstruments ids from package instrument, at most MaxCustomInstruments of
//     them custom;
//   - user type: student, hobbyist, professional, teacher or other, or empty for not said;
//   - bio: at most MaxBioRunes characters after trimming, NFC; newlines and tabs allowed, other
//     control characters refused;
//   - hashtags: at most MaxHashtags custom tags normalised by package hashtag;
//   - time zone: an IANA name (package timezone, which embeds the zone database);
//   - visibility: private (the default) or public.
//
// A profile's Hashtags field holds only the custom tags. ShownHashtags adds the instruments and the
// user type in front, each with '#', which is what the API shows under "hashtags"; View builds that
// response shape.
//
// Apply performs a partial update (PUT /users/{user_id}): every field given is validated, all
// problems are reported together as a valid.Errors (which the HTTP layer answers with 400 and
// the field list; errors.Is still finds this package's sentinels), and the profile changes only when there are
// none.
package profile
