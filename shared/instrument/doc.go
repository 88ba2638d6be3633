// Package instrument holds the instrument catalogue and the rule for naming an instrument, used by
// profiles (the instruments a musician plays) and practice sessions (the instrument practised).
//
// An instrument is named by an id, one of two forms:
//
//   - a catalogue id, lower-case ASCII snake case: "violin", "double_bass", "gayageum";
//   - a custom instrument, "custom:" followed by a label normalised like a hashtag (see package
//     hashtag): "custom:hang_drum", "custom:해금연습용". A custom label that names a catalogue id
//     ("custom:Violin") is the catalogue instrument.
//
// Parse accepts catalogue ids in any letter case, with spaces or hyphens for underscores, and
// returns the canonical id; anything else is refused with ErrUnknown or ErrBadCustom. The shown
// hashtag of an instrument is its label: the catalogue id, or the custom label.
package instrument
