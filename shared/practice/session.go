package practice

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"woodshed/shared/instrument"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
)

// Limits and allowances.
const (
	MaxSessionDuration = 12 * time.Hour
	// ClockSkew is how far in the future a manual entry's end may lie, for clients whose clock
	// runs a little fast.
	ClockSkew     = 2 * time.Minute
	MaxNotesRunes = 1000
)

// EarliestStart is the earliest start time a manual entry may have.
var EarliestStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Status is where a session is in its life.
type Status string

// The statuses.
const (
	Active    Status = "active"    // started, not ended
	Analyzing Status = "analyzing" // ended, recorded, waiting for the analysis of its audio
	Done      Status = "done"      // ended and final
)

// Source says how a session was made.
type Source string

// The sources.
const (
	Recorded Source = "recorded" // timed live with its audio analysed
	Timer    Source = "timer"    // timed live without audio
	Manual   Source = "manual"   // logged afterwards by hand
)

// Errors of the practice rules. Bad input comes back as a valid.Errors naming the field (the HTTP
// layer answers 400 with the fields) that still wraps one of these for errors.Is. ErrNotFound
// (404), ErrActiveExists and ErrOverlap (409) are returned bare, for the handler's error rules.
var (
	ErrNotFound       = errors.New("session not found")
	ErrActiveExists   = errors.New("another session is active")
	ErrEndBeforeStart = errors.New("end time must be after start time")
	ErrInFuture       = errors.New("session cannot end in the future")
	ErrTooLong        = errors.New("session cannot be longer than 12 hours")
	ErrTooOld         = errors.New("session cannot start before 2000-01-01")
	ErrMissingTime    = errors.New("start_time and end_time are required")
	ErrOverlap        = errors.New("session overlaps another session")
	ErrNotesTooLong   = fmt.Errorf("notes must be at most %d characters", MaxNotesRunes)
	ErrNotesControl   = errors.New("notes hold control characters")
	ErrNotRecorded    = errors.New("session has no recording to analyse")
)

// Segment is a span of playing, in seconds from the session's start.
type Segment struct {
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}

// Session is one practice session.
type Session struct {
	SessionID         string     `json:"session_id"`
	UserID            string     `json:"user_id"`
	Instrument        string     `json:"instrument"`
	StartTime         time.Time  `json:"start_time"`
	EndTime           *time.Time `json:"end_time"`
	DurationSeconds   int        `json:"duration_seconds"`
	ActualPlaySeconds *int       `json:"actual_play_seconds"`
	Status            Status     `json:"status"`
	Source            Source     `json:"source"`
	Notes             string     `json:"notes"`
	Timeline          []Segment  `json:"timeline"`
	// TimeZone is the IANA zone whose days the session counts on, fixed when it is made.
	TimeZone string `json:"time_zone"`
	// Capped is set when the end time was cut back to start + MaxSessionDuration.
	Capped    bool      `json:"capped"`
	CreatedAt time.Time `json:"created_at"`
}

// MarshalJSON writes an empty timeline as [] rather than null.
func (s Session) MarshalJSON() ([]byte, error) {
	type plain Session
	if s.Timeline == nil {
		s.Timeline = []Segment{}
	}
	return json.Marshal(plain(s))
}

// Ended reports whether the session has an end time.
func (s Session) Ended() bool { return s.EndTime != nil }

// Analysed reports whether the session's play time has been measured.
func (s Session) Analysed() bool { return s.ActualPlaySeconds != nil }

// PracticeSeconds is what the session counts in aggregates: the measured play time once analysed,
// else the duration (0 while active).
func PracticeSeconds(s Session) int {
	if s.ActualPlaySeconds != nil {
		return *s.ActualPlaySeconds
	}
	return s.DurationSeconds
}

// Stale reports whether an active session has run past MaxSessionDuration, so that it can only
// end capped; a handler may end it before starting a new one.
func Stale(s Session, now time.Time) bool {
	return s.Status == Active && now.Sub(s.StartTime) > MaxSessionDuration
}

// StartInput is what starting a session needs. TimeZone is the user's zone now.
type StartInput struct {
	SessionID  string
	UserID     string
	Instrument string
	Notes      string
	TimeZone   string
	// Analyze asks for the audio to be recorded and analysed (source recorded, else timer).
	Analyze bool
}

// Start makes a new active session beginning at now. Checking that no other session is active is
// the store's job (ErrActiveExists).
func Start(in StartInput, now time.Time) (Session, error) {
	inst, notes, err := checkCommon(in.Instrument, in.Notes, in.TimeZone)
	if err != nil {
		return Session{}, err
	}
	src := Timer
	if in.Analyze {
		src = Recorded
	}
	now = wholeSecond(now)
	return Session{
		SessionID:  in.SessionID,
		UserID:     in.UserID,
		Instrument: inst,
		StartTime:  now,
		Status:     Active,
		Source:     src,
		Notes:      notes,
		Timeline:   []Segment{},
		TimeZone:   in.TimeZone,
		CreatedAt:  now,
	}, nil
}

// End ends an active session at now, capping it at MaxSessionDuration, and replaces its notes when
// notes is not nil. A recorded session goes to Analyzing, any other to Done. On a session that has
// already ended End changes nothing and returns false.
func End(s *Session, now time.Time, notes *string) (bool, error) {
	if s.Status != Active || s.EndTime != nil {
		return false, nil
	}
	if notes != nil {
		n, err := ParseNotes(*notes)
		if err != nil {
			return false, valid.Field("notes", err)
		}
		s.Notes = n
	}
	end := wholeSecond(now)
	if end.Before(s.StartTime) { // the server clock stepped back
		end = s.StartTime
	}
	if end.Sub(s.StartTime) > MaxSessionDuration {
		end = s.StartTime.Add(MaxSessionDuration)
		s.Capped = true
	}
	s.EndTime = &end
	s.DurationSeconds = int(end.Sub(s.StartTime) / time.Second)
	s.Timeline = NormalizeTimeline(s.Timeline, float64(s.DurationSeconds))
	if s.Source == Recorded {
		s.Status = Analyzing
	} else {
		s.Status = Done
	}
	return true, nil
}

// UpdateAnalysis records the session's timeline as analysed so far (all chunks' segments, in
// seconds from the session start). When complete is true (every uploaded chunk has been
// analysed) and the session has ended, the play time is set to the measure of the timeline and
// the session is Done. Later calls on an analysed session update its play time; repeating a call
// changes nothing.
func UpdateAnalysis(s *Session, timeline []Segment, complete bool) error {
	if s.Source != Recorded {
		return fmt.Errorf("session %s (%s): %w", s.SessionID, s.Source, ErrNotRecorded)
	}
	limit := MaxSessionDuration.Seconds()
	if s.Ended() {
		limit = float64(s.DurationSeconds)
	}
	s.Timeline = NormalizeTimeline(timeline, limit)
	if s.Ended() && (complete || s.Analysed()) {
		play := int(math.Round(Measure(s.Timeline)))
		play = min(play, s.DurationSeconds)
		s.ActualPlaySeconds = &play
		s.Status = Done
	}
	return nil
}

// FinishUnanalysed ends the wait for analysis when none can come (every chunk failed, or nothing
// was uploaded): the session is Done and counts its duration. Other sessions are left alone.
func FinishUnanalysed(s *Session) {
	if s.Status == Analyzing && !s.Analysed() {
		s.Status = Done
	}
}

// ParseNotes trims white space, turns CRLF into LF, puts the text in NFC and checks its length.
func ParseNotes(raw string) (string, error) {
	s := norm.NFC.String(strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n")))
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		return "", ErrNotesControl
	}
	if utf8.RuneCountInString(s) > MaxNotesRunes {
		return "", ErrNotesTooLong
	}
	return s, nil
}

// checkCommon checks the fields every new session has; problems come back as valid.Errors.
func checkCommon(inst, notes, tz string) (string, string, error) {
	var c valid.Collector
	id, err := instrument.Parse(inst)
	c.Add("instrument", err)
	n, err := ParseNotes(notes)
	c.Add("notes", err)
	c.Add("time_zone", timezone.Validate(tz))
	return id, n, c.Err()
}

func wholeSecond(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
