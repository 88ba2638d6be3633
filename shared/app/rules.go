package app

import "slices"

// errorRules is where domain errors become API errors: each API area's rules, most specific first.
var errorRules = slices.Concat(practiceRules, userRules, publicRules, audioRules, authRules)
