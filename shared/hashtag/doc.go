// Package hashtag normalises the short free-text labels Woodshed shows as hashtags: a profile's
// custom tags and the names of custom instruments.
//
// A tag is one word of letters, combining marks, decimal digits and underscores in any script
// (`바이올린`, `ヴァイオリン`, `jazz_piano`). Normalize turns what a person typed into that form:
//
//   - surrounding white space and any leading '#' are removed;
//   - runs of inner white space become a single '_' ("jazz piano" → "jazz_piano");
//   - full-width and half-width forms are folded to their usual width ("ＪＡＺＺ" → "jazz",
//     half-width "ﾊﾞｲｵﾘﾝ" → "バイオリン");
//   - the text is put in Unicode NFC and lower-cased (scripts without case are unchanged);
//   - the result must hold 1 to MaxRunes characters, none of them punctuation, symbols or emoji.
//
// Two inputs that normalise to the same string are the same tag; NormalizeList dedupes on that.
package hashtag
