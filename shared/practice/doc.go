// Package practice holds practice sessions and their rules, free of storage and HTTP: starting and
// ending sessions, logging past sessions by hand, analysis results, and how a session's time falls
// on the days of a time zone.
//
// Rules:
//   - A session is at most MaxSessionDuration (12 h). Ending a recorded or timer session later than
//     that does not fail: the end time is capped at start + 12 h and Capped is set, because a
//     forgotten Stop should not erase the practice nor count a night. A manual entry longer than
//     12 h is refused with ErrTooLong: the person is typing it and can correct it.
//   - Ending is idempotent: ending a session that has ended changes nothing and is no error.
//   - A manual entry must end after it starts, end no later than now + ClockSkew, start no earlier
//     than EarliestStart, and not overlap another session of the user (half-open intervals, so
//     back-to-back sessions are fine; an active session occupies start … start + 12 h).
//   - Times are kept in UTC to the whole second; durations are whole seconds.
//   - Practice seconds (what aggregates count) are ActualPlaySeconds once analysed, else
//     DurationSeconds; an active session counts nothing yet.
//
// Days: each session keeps the time zone it was recorded in (Session.TimeZone), and its seconds
// are attributed to the local days of that zone, so changing the profile's zone later leaves past
// days as they were. SplitByLocalDay splits a time span at local midnights, correctly across DST
// changes (including zones whose midnight is skipped or repeated). An analysed session's play
// seconds are attributed by its timeline: each day gets the play time that happened on it.
//
// Dates are "YYYY-MM-DD" strings in a named zone; ParseDateRange checks calendar query ranges.
package practice
