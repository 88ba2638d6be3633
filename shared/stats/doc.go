// Package stats holds the arithmetic of a user's practice aggregates and the statistics, streaks
// and calendars computed from them, free of storage and HTTP.
//
// # Aggregates
//
// The store keeps, per user, one daily item per local date (practice seconds and sessions, in
// total and per instrument) and lifetime totals (in total and per instrument). A session adds its
// Contribution: its practice seconds split over the local days of the zone it was recorded in
// (practice.PlayByLocalDay), and one session counted on the local day it started, under its
// instrument. A session that crosses midnight thus adds seconds to two days but one session, to
// the first; sums of daily items equal the lifetime totals.
//
// Every change of a session (end, analysis result, delete) turns one contribution into another,
// and Diff gives the Delta between them, which the store applies with DynamoDB ADD updates. To
// keep a retried Lambda from counting twice, the store writes, in one transaction:
//
//  1. the session item in its new state, conditioned on the state it was read in (a version
//     attribute), carrying the new Contribution it now stands for; and
//  2. the ADD updates of Diff(stored contribution, new contribution).
//
// A retry re-reads the session, finds its contribution already equal to the new one, gets an empty
// Delta (Delta.IsZero) and writes nothing. Deleting uses Diff(stored, Contribution{}). Diffing
// against the stored contribution, not one recomputed, means a later change of the splitting
// rules or of the user's time zone can never make a delete subtract what was not added.
//
// # Statistics
//
// Periods are rolling windows of local days ending today, in the user's current zone: week is the
// last 7 days, month the last 30, year the last 365 (today included); all is every day. Streaks
// always look at all days: a practice day is one with practice seconds; the current streak is
// the run of consecutive practice days ending today, or ending yesterday when today has none yet;
// the longest streak is the longest such run ever. The average session is the period's practice
// seconds over its sessions, rounded. Breakdowns are per instrument (largest first) and per
// weekday (Monday to Sunday, all seven).
//
// Calendars list every date of the asked range, zero days included, which is what a heatmap
// needs. The dashboard shows the 12 weeks (Monday to Sunday) ending with the current week, up to
// today.
package stats
